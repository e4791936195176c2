#!/usr/bin/env bash
# Builds the binaries the tests and the local demo run, from Go modules only,
# into bin/<name>-<version>. A binary that is already there is never rebuilt.
#
#   hack/build-tools.sh [control-plane|kube-apiserver|kube-controller-manager|
#                        kube-scheduler|kubectl|etcd|kwok|traefik|all] ...
#
# The versions live in versions.env next to this script; bumping one there
# makes the next run build the new binary beside the old one.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=hack/versions.env
source "$root/hack/versions.env"
bin="$root/bin"
mkdir -p "$bin"

# One build at a time: test packages run in parallel and may all ask at once.
exec 9>"$bin/.build-tools.lock"
flock 9

log() { printf 'build-tools: %s\n' "$*" >&2; }

# build MODULE_DIR OUT PKG: go build PKG inside the tool module MODULE_DIR.
build() {
  local dir=$1 out=$2 pkg=$3
  if [[ -x "$out" ]]; then return 0; fi
  log "building $(basename "$out") (first time only; cached by version under bin/)"
  local start=$SECONDS
  (cd "$dir" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$out.tmp.$$" "$pkg")
  mv "$out.tmp.$$" "$out"
  log "built $(basename "$out") in $((SECONDS - start))s"
}

# kube CMD...: build commands of k8s.io/kubernetes at KUBERNETES_VERSION.
kube() {
  local d="$root/hack/tools/kube" v=$KUBERNETES_VERSION
  # k8s.io/component-base reads the version from these ldflags; without them
  # the binaries report v0.0.0 and kubectl warns about version skew.
  local minor=${v#v1.}
  minor=${minor%%.*}
  local ld="-X k8s.io/component-base/version.gitVersion=$v -X k8s.io/component-base/version.gitMajor=1 -X k8s.io/component-base/version.gitMinor=$minor"
  for cmd in "$@"; do
    local out="$bin/$cmd-$v"
    if [[ -x "$out" ]]; then continue; fi
    log "building $cmd $v (first time only; about 8 minutes on 2 cores for the lot)"
    local start=$SECONDS
    (cd "$d" && CGO_ENABLED=0 go build -trimpath -ldflags="-s -w $ld" -o "$out.tmp.$$" "k8s.io/kubernetes/cmd/$cmd")
    mv "$out.tmp.$$" "$out"
    log "built $cmd in $((SECONDS - start))s"
  done
}

etcd() { build "$root/hack/tools/etcd" "$bin/etcd-$ETCD_VERSION" go.etcd.io/etcd/server/v3; }

kwok() {
  build "$root/hack/tools/kwok" "$bin/kwokctl-$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwokctl
  build "$root/hack/tools/kwok" "$bin/kwok-$KWOK_VERSION" sigs.k8s.io/kwok/cmd/kwok
}

traefik() { build "$root/hack/tools/traefik" "$bin/traefik-$TRAEFIK_VERSION" github.com/traefik/traefik/v3/cmd/traefik; }

[[ $# -gt 0 ]] || set -- control-plane etcd
for what in "$@"; do
  case $what in
    control-plane) kube kube-apiserver kube-controller-manager kube-scheduler kubectl ;;
    kube-apiserver|kube-controller-manager|kube-scheduler|kubectl) kube "$what" ;;
    etcd) etcd ;;
    kwok) kwok ;;
    traefik) traefik ;;
    all) kube kube-apiserver kube-controller-manager kube-scheduler kubectl; etcd; kwok; traefik ;;
    *) log "unknown target $what"; exit 2 ;;
  esac
done
