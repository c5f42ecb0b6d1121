#!/usr/bin/env bash
# Builds the local Kubernetes control plane (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kubectl) and KWOK from the Go module proxy, once per version.
#
# The result is cached under ${XDG_CACHE_HOME:-~/.cache}/jobset-temporal/k8s-bin/<key>/ and
# marked complete with a `.complete` file; a lock makes concurrent runs build only once.
# Prints the binary directory on stdout when done; progress goes to stderr.
#
# Why a throwaway module: `go install k8s.io/kubernetes/cmd/...@vX` is refused because
# k8s.io/kubernetes has `replace` directives for its staging modules, and so does etcd's server.
set -euo pipefail

K8S_VERSION=${K8S_VERSION:-1.34.4}
ETCD_VERSION=${ETCD_VERSION:-3.6.16}
KWOK_VERSION=${KWOK_VERSION:-0.8.0}

arch=$(go env GOARCH)
key="k8s-v${K8S_VERSION}-etcd-v${ETCD_VERSION}-kwok-v${KWOK_VERSION}-linux-${arch}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/jobset-temporal/k8s-bin"
bin_dir="$cache_root/$key"

log() { printf '[k8s-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -f "$bin_dir/.complete" ]]; then
  echo "$bin_dir"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/$key.lock"
if ! flock -n 9; then
  log "another build of $key is running; waiting for it"
  flock 9
fi
if [[ -f "$bin_dir/.complete" ]]; then
  echo "$bin_dir"
  exit 0
fi

partial="$bin_dir.partial"
rm -rf "$partial"
mkdir -p "$partial/bin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS

# A heartbeat so that a person (or CI log) sees the long first build is alive.
( while sleep 30; do log "still building... $((SECONDS - started))s elapsed"; done ) &
heartbeat=$!
trap 'kill $heartbeat 2>/dev/null; rm -rf "$work"' EXIT

log "building $key (first build takes about 10 minutes on 2 cores; later runs reuse the cache)"

# --- kubernetes ---------------------------------------------------------------------------
log "downloading k8s.io/kubernetes v$K8S_VERSION"
kdir=$(cd "$work" && go mod download -json "k8s.io/kubernetes@v$K8S_VERSION" \
  | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
[[ -d "$kdir" ]] || { log "could not download k8s.io/kubernetes v$K8S_VERSION"; exit 1; }
staging="v0.${K8S_VERSION#1.}"
mkdir -p "$work/k8s"
{
  printf 'module localk8sbuild\n\ngo 1.24.0\n\ngodebug default=go1.24\n\nrequire k8s.io/kubernetes v%s\n\n' "$K8S_VERSION"
  printf 'tool (\n\tk8s.io/kubernetes/cmd/kube-apiserver\n\tk8s.io/kubernetes/cmd/kube-controller-manager\n'
  printf '\tk8s.io/kubernetes/cmd/kube-scheduler\n\tk8s.io/kubernetes/cmd/kubectl\n)\n\nreplace (\n'
  sed -n '/^replace (/,/^)/p' "$kdir/go.mod" | awk -v v="$staging" '$3 ~ /^\.\/staging\// {print "\t"$1" => "$1" "v}'
  printf ')\n'
} > "$work/k8s/go.mod"
log "resolving kubernetes modules (go mod tidy)"
(cd "$work/k8s" && go mod tidy)

minor=${K8S_VERSION#1.}; minor=${minor%%.*}
ldflags="-s -w"
for p in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  ldflags="$ldflags -X $p.gitVersion=v$K8S_VERSION -X $p.gitMajor=1 -X $p.gitMinor=$minor -X $p.gitTreeState=clean"
done
for cmd in kube-apiserver kube-controller-manager kube-scheduler kubectl; do
  log "compiling $cmd"
  (cd "$work/k8s" && go build -trimpath -ldflags="$ldflags" -o "$partial/bin/$cmd" "k8s.io/kubernetes/cmd/$cmd")
done

# --- etcd ---------------------------------------------------------------------------------
log "compiling etcd v$ETCD_VERSION"
mkdir -p "$work/etcd"
{
  printf 'module localetcdbuild\n\ngo 1.24.0\n\nrequire go.etcd.io/etcd/server/v3 v%s\n\n' "$ETCD_VERSION"
  printf 'tool go.etcd.io/etcd/server/v3\n\nreplace (\n'
  for m in api/v3 client/pkg/v3 client/v3 pkg/v3; do
    printf '\tgo.etcd.io/etcd/%s => go.etcd.io/etcd/%s v%s\n' "$m" "$m" "$ETCD_VERSION"
  done
  printf ')\n'
} > "$work/etcd/go.mod"
(cd "$work/etcd" && go mod tidy && go build -trimpath -ldflags='-s -w' -o "$partial/bin/etcd" go.etcd.io/etcd/server/v3)

# --- kwok ---------------------------------------------------------------------------------
log "compiling kwok v$KWOK_VERSION"
GOBIN="$partial/bin" go install -trimpath -ldflags='-s -w' "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION"

for b in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kwok; do
  [[ -x "$partial/bin/$b" ]] || { log "missing $b after build"; exit 1; }
done
rm -rf "$bin_dir"
mv "$partial" "$bin_dir"
touch "$bin_dir/.complete"
log "done in $((SECONDS - started))s: $bin_dir"
echo "$bin_dir"
