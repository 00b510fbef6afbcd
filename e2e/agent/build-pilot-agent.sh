#!/usr/bin/env bash
# Builds Istio's pilot-agent (the waypoint pod's agent: CA client, SDS, xDS proxy, Envoy's supervisor) from the
# istio.io/istio module pinned in e2e/agent/go/ into the versioned cache beside the cluster binaries, keyed by the
# pinned version and the module's go.sum. A warm cache builds nothing. Prints the binary's path as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod="$here/go"
# shellcheck source=../cluster/go-build.sh
source "$here/../cluster/go-build.sh"
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

go_build_preflight 2 "pilot-agent (istio.io/istio $pseudo)"
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
