#!/usr/bin/env bash
# Builds Istio's pilot-agent (the waypoint pod's agent: CA client, SDS, xDS proxy, Envoy's supervisor) from the
# istio.io/istio module pinned in e2e/agent/go/ into the versioned cache beside the cluster binaries, keyed by the
# pinned version and the module's go.sum. A warm cache builds nothing. Prints the binary's path as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod="$here/go"
cache_root=${AMBIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ambit}
pseudo=$(sed -n 's/^require istio\.io\/istio \(v[^ ]*\)$/\1/p' "$mod/go.mod")
[ -n "$pseudo" ] || { echo "error: $mod/go.mod does not pin istio.io/istio on a 'require' line of its own" >&2; exit 1; }
# This script is in the key too: a change to how it builds (the version stamps) rebuilds.
sums=$(cat "$mod/go.mod" "$mod/go.sum" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
bin_dir="$cache_root/bin/pilot-agent-$pseudo-$sums"
binary="$bin_dir/pilot-agent"

complete() { [ -f "$bin_dir/.complete" ] && [ -x "$binary" ]; }

if complete; then echo "$binary"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.pilot-agent.lock"
flock 9                                  # a second build waits for the first and then finds the cache warm
if complete; then echo "$binary"; exit 0; fi

need_gb=2
free_gb=$(df -Pk "$cache_root" | awk 'NR==2 {print int($4 / 1048576)}')
if [ "$free_gb" -lt "$need_gb" ]; then
  echo "error: building pilot-agent needs about $need_gb GB free under $cache_root (Go module and build caches);" \
       "only $free_gb GB are free. Free some space or set AMBIT_CACHE_DIR to a larger disk." >&2
  exit 1
fi
command -v go >/dev/null || { echo "error: 'go' (1.26 or newer) is needed to build pilot-agent; install Go first." >&2; exit 1; }
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
if [ "${go_minor:-0}" -lt 26 ]; then
  echo "error: Go 1.26 or newer is needed to build istio.io/istio $pseudo; found $(go env GOVERSION)." >&2
  exit 1
fi

# The same module and build caches as e2e/cluster/build-binaries.sh.
export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
export GOMODCACHE=${AMBIT_GOMODCACHE:-$cache_root/go/mod} GOCACHE=$cache_root/go/build
echo "building pilot-agent ($pseudo) into $bin_dir (a cold build takes about a minute on 2 cores)" >&2
started=$(date +%s)
go -C "$mod" mod download istio.io/istio
istio_dir=$(go -C "$mod" list -m -f '{{.Dir}}' istio.io/istio)

# Without these stamps the agent reports version "unknown" (also in its node metadata), as Istio's own
# report_build_info.sh would set them: <VERSION>-dev-<short revision>.
revision=${pseudo##*-}
version="$(tr -d '[:space:]' <"$istio_dir/VERSION")-dev-${revision:0:8}"
stamp=""
for kv in "buildVersion=$version" "buildGitRevision=$revision" "buildStatus=Clean" "buildTag=$version"; do
  stamp="$stamp -X istio.io/istio/pkg/version.$kv"
done

staging="$bin_dir.partial"
rm -rf "$staging" && mkdir -p "$staging"
go -C "$mod" build -trimpath -ldflags "-s -w$stamp" -o "$staging/pilot-agent" istio.io/istio/pilot/cmd/pilot-agent
reported=$("$staging/pilot-agent" version --short 2>/dev/null)
[ "$reported" = "client version: $version" ] || { echo "error: the built pilot-agent reports '$reported', not $version" >&2; exit 1; }
touch "$staging/.complete"
rm -rf "$bin_dir" && mv "$staging" "$bin_dir"
echo "built pilot-agent $version in $(( $(date +%s) - started )) s ($(du -h "$binary" | cut -f1))" >&2
echo "$binary"
