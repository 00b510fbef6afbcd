#!/usr/bin/env bash
# Runs a command in a network namespace of its own where only loopback is up, so everything the test run starts
# (cluster, control planes, Envoys, pilot-agents, whose status and metrics ports bind every interface) is reachable
# from this machine's loopback only and can dial nothing else. Usage: scripts/isolated-network.sh CMD [ARG...]
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG...]" >&2; exit 2; }

# Already isolated (a nested call): nothing to do. /proc/net/dev is this network namespace's (/sys may not be).
if [ "$(awk -F: 'NR > 2 { gsub(/ /, "", $1); print $1 }' /proc/net/dev)" = lo ]; then exec "$@"; fi

# A cluster from `make cluster-up` lives in the host's network namespace, which a fresh one cannot reach.
if [ -n "${AMBIT_E2E_RUN_DIR:-}" ]; then
  echo "note: AMBIT_E2E_RUN_DIR is set, so this run reuses that cluster without network isolation;" \
       "tests that start pilot-agent refuse to run outside an isolated network" >&2
  exec "$@"
fi

command -v unshare >/dev/null || { echo "error: unshare (util-linux) is needed to isolate the test network" >&2; exit 1; }
command -v ip >/dev/null || { echo "error: ip (iproute2) is needed to bring loopback up in the test network" >&2; exit 1; }
if [ "$(id -u)" -eq 0 ]; then
  ns=(unshare --net)
  then_run=(exec)
else
  # A user namespace of our own grants the capability to configure the new network namespace; --keep-caps carries
  # it across exec to `ip` (the user keeps its own ID there), and setpriv drops it again for the command.
  ns=(unshare --user --map-current-user --keep-caps --net)
  then_run=(exec setpriv --inh-caps=-all --ambient-caps=-all --)
fi
if ! "${ns[@]}" true 2>/dev/null; then
  echo "error: '${ns[*]}' is not permitted here, so the tests cannot get a loopback-only network. Run as root, or" \
       "allow unprivileged user namespaces (sysctl user.max_user_namespaces > 0, and on Ubuntu" \
       "kernel.apparmor_restrict_unprivileged_userns=0)." >&2
  exit 1
fi
exec "${ns[@]}" bash -c 'ip link set lo up && "$@"' isolated-network "${then_run[@]}" "$@"
