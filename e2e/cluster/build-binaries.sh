#!/usr/bin/env bash
# Builds the test cluster's binaries (kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok,
# helm) from the pinned Go modules in e2e/cluster/go/ into a cache folder outside the work tree, keyed by the versions
# and the modules' go.sum. A warm cache builds nothing. Prints the binary folder as its last line.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.env
source "$here/versions.env"
# shellcheck source=go-build.sh
source "$here/go-build.sh"
sums=$(cat "$here"/go/{helm,kubernetes,kwok}/go.sum "$here"/go/{helm,kubernetes,kwok}/go.mod | sha256sum | cut -c1-12)
key="k8s-$KUBERNETES_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION-helm-$HELM_VERSION-$sums"
bin_dir="$cache_root/bin/$key"
binaries=(kube-apiserver kube-controller-manager kube-scheduler kubectl etcd kwok helm)

complete() {
  [ -f "$bin_dir/.complete" ] || return 1
  for b in "${binaries[@]}"; do [ -x "$bin_dir/$b" ] || return 1; done
}

if complete; then echo "$bin_dir"; exit 0; fi

mkdir -p "$cache_root"
exec 9>"$cache_root/.build.lock"
flock 9                                  # a second build waits for the first and then finds the cache warm
if complete; then echo "$bin_dir"; exit 0; fi

go_build_preflight 8 "the test cluster (Kubernetes v$KUBERNETES_VERSION)"
staging="$bin_dir.partial"
rm -rf "$staging" && mkdir -p "$staging"
echo "building test cluster binaries into $bin_dir (a cold build takes about 6-9 minutes on 2 cores)" >&2
started=$(date +%s)

k8s_minor=${KUBERNETES_VERSION#*.}; k8s_minor=${k8s_minor%%.*}
stamp=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamp="$stamp -X $p.gitVersion=v$KUBERNETES_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$k8s_minor"
  stamp="$stamp -X $p.gitTreeState=clean -X $p.gitCommit=0000000000000000000000000000000000000000"
  stamp="$stamp -X $p.buildDate=2026-01-01T00:00:00Z"
done
helm_stamp="-X helm.sh/helm/v3/internal/version.version=v$HELM_VERSION -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for p in helm.sh/helm/v3/pkg/chartutil helm.sh/helm/v3/pkg/lint/rules; do
  helm_stamp="$helm_stamp -X $p.k8sVersionMajor=1 -X $p.k8sVersionMinor=$k8s_minor"
done

build() { # module-dir output package ldflags
  local t0; t0=$(date +%s)
  go -C "$here/go/$1" build -trimpath -ldflags "-s -w $4" -o "$staging/$2" "$3"
  echo "  $2: $(( $(date +%s) - t0 )) s" >&2
}
build kubernetes kube-apiserver k8s.io/kubernetes/cmd/kube-apiserver "$stamp"
build kubernetes kube-controller-manager k8s.io/kubernetes/cmd/kube-controller-manager "$stamp"
build kubernetes kube-scheduler k8s.io/kubernetes/cmd/kube-scheduler "$stamp"
build kubernetes kubectl k8s.io/kubernetes/cmd/kubectl "$stamp"
build kubernetes etcd go.etcd.io/etcd/server/v3 "-X go.etcd.io/etcd/api/v3/version.GitSHA=v$ETCD_VERSION"
build kwok kwok sigs.k8s.io/kwok/cmd/kwok ""
build helm helm helm.sh/helm/v3/cmd/helm "$helm_stamp"

# kwok's upstream Stage definitions (node initialize/heartbeat, pod ready/complete/delete) come from its module.
kwok_src=$(go -C "$here/go/kwok" list -m -f '{{.Dir}}' sigs.k8s.io/kwok)
for s in node/fast/node-initialize node/heartbeat-with-lease/node-heartbeat-with-lease pod/fast/pod-ready \
         pod/fast/pod-complete pod/fast/pod-delete; do
  cat "$kwok_src/kustomize/stage/$s.yaml"; echo "---"
done > "$staging/kwok-stages.yaml"

touch "$staging/.complete"
rm -rf "$bin_dir" && mv "$staging" "$bin_dir"
echo "built in $(( $(date +%s) - started )) s; cache: $(du -sh "$cache_root" | cut -f1) at $cache_root" >&2
echo "$bin_dir"
