# Sourced by the scripts that build test binaries from Go modules (build-binaries.sh, e2e/agent/build-istio.sh):
# the cache folder they share, the checks before a cold build, and one Go environment (one module and build cache).

cache_root=${AMBIT_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ambit}

# go_build_preflight NEED_GB WHAT: exits with what to do unless NEED_GB are free under the cache and Go 1.26+ is here.
go_build_preflight() {
  local need_gb=$1 what=$2 free_gb go_minor
  free_gb=$(df -Pk "$cache_root" | awk 'NR==2 {print int($4 / 1048576)}')
  if [ "$free_gb" -lt "$need_gb" ]; then
    echo "error: building $what needs about $need_gb GB free under $cache_root (Go module and build caches" \
         "plus binaries); only $free_gb GB are free. Free some space or set AMBIT_CACHE_DIR to a larger disk." >&2
    exit 1
  fi
  command -v go >/dev/null || { echo "error: 'go' (1.26 or newer) is needed to build $what; install Go first." >&2; exit 1; }
  go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
  if [ "${go_minor:-0}" -lt 26 ]; then
    echo "error: Go 1.26 or newer is needed to build $what; found $(go env GOVERSION)." >&2
    exit 1
  fi
  export GOWORK=off GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"
  export GOMODCACHE=${AMBIT_GOMODCACHE:-$cache_root/go/mod} GOCACHE=$cache_root/go/build
}
