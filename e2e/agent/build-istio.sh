#!/usr/bin/env bash
# Builds one of Istio's programs from the istio.io/istio module pinned in e2e/agent/go/ into the versioned cache beside
# the cluster binaries, keyed by the pinned version, the module's go.sum and this script. A warm cache builds nothing.
# Prints the binary's path as its last line.
#   pilot-agent      the waypoint pod's agent (CA client, SDS, xDS proxy, Envoy's supervisor): about a minute cold
#   pilot-discovery  istiod, the tests' oracle (never shipped): 5-6 minutes cold on 2 cores, 2.7 GB peak
set -euo pipefail

name=${1:-}
case "$name" in
  pilot-agent) need_gb=2 minutes="about a minute" ;;
  pilot-discovery) need_gb=4 minutes="5-6 minutes" ;;
  *) echo "usage: $0 pilot-agent|pilot-discovery" >&2; exit 2 ;;
esac

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mod="$here/go"
# shellcheck source=../cluster/go-build.sh
source "$here/../cluster/go-build.sh"
pseudo=$(sed -n 's/^require istio\.io\/istio \(v[^ ]*\)$/\1/p' "$mod/go.mod")
[ -n "$pseudo" ] || { echo "error: $mod/go.mod does not pin istio.io/istio on a 'require' line of its own" >&2; exit 1; }
# This script is in the key too: a change to how it builds (the version stamps) rebuilds.
sums=$(cat "$mod/go.mod" "$mod/go.sum" "${BASH_SOURCE[0]}" | sha256sum | cut -c1-12)
bin_dir="$cache_root/bin/$name-$pseudo-$sums"
binary="$bin_dir/$name"

complete() { [ -f "$bin_dir/.complete" ] && [ -x "$binary" ]; }

if complete; then echo "$binary"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.$name.lock"
flock 9                                  # a second build waits for the first and then finds the cache warm
if complete; then echo "$binary"; exit 0; fi

go_build_preflight "$need_gb" "$name (istio.io/istio $pseudo)"
echo "building $name ($pseudo) into $bin_dir (a cold build takes $minutes on 2 cores)" >&2
started=$(date +%s)
go -C "$mod" mod download istio.io/istio
istio_dir=$(go -C "$mod" list -m -f '{{.Dir}}' istio.io/istio)

# Without these stamps the programs report version "unknown" (the agent also in its node metadata), as Istio's own
# report_build_info.sh would set them: <VERSION>-dev-<short revision>.
revision=${pseudo##*-}
version="$(tr -d '[:space:]' <"$istio_dir/VERSION")-dev-${revision:0:8}"
stamp=""
for kv in "buildVersion=$version" "buildGitRevision=$revision" "buildStatus=Clean" "buildTag=$version"; do
  stamp="$stamp -X istio.io/istio/pkg/version.$kv"
done

staging="$bin_dir.partial"
rm -rf "$staging" && mkdir -p "$staging"
go -C "$mod" build -trimpath -ldflags "-s -w$stamp" -o "$staging/$name" "istio.io/istio/pilot/cmd/$name"
reported=$("$staging/$name" version --short 2>/dev/null || true)
case "$reported" in
  *"$version"*) ;;
  *) echo "error: the built $name reports '$reported', not $version" >&2; exit 1 ;;
esac
touch "$staging/.complete"
rm -rf "$bin_dir" && mv "$staging" "$bin_dir"
echo "built $name $version in $(( $(date +%s) - started )) s ($(du -h "$binary" | cut -f1))" >&2
echo "$binary"
