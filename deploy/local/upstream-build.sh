#!/usr/bin/env bash
# Builds the upstream JobSet controller (sigs.k8s.io/jobset, its manager binary) from the Go
# module proxy, once per version, for the peer benchmark (`npm run bench -- --peer upstream`).
#
# The result is cached under ${XDG_CACHE_HOME:-~/.cache}/jobset-temporal/upstream-jobset/<key>/
# and marked complete with a `.complete` file, like k8s-build.sh. Prints the binary's path on
# stdout; progress goes to stderr. The first build takes about 4 minutes on 2 cores.
#
# Why a throwaway module: `go install sigs.k8s.io/jobset@vX` asks the proxy for the module's
# version list (to check deprecation), which it does not serve; a module that requires the exact
# version and names it as a `tool` needs only that version.
set -euo pipefail

JOBSET_UPSTREAM_VERSION=${JOBSET_UPSTREAM_VERSION:-0.12.0}

arch=$(go env GOARCH)
key="jobset-v${JOBSET_UPSTREAM_VERSION}-linux-${arch}"
cache_root="${XDG_CACHE_HOME:-$HOME/.cache}/jobset-temporal/upstream-jobset"
dir="$cache_root/$key"
bin="$dir/jobset-controller"

log() { printf '[upstream-build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [[ -f "$dir/.complete" ]]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$cache_root"
exec 9>"$cache_root/$key.lock"
flock 9
if [[ -f "$dir/.complete" ]]; then
  echo "$bin"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$SECONDS
log "building $key (about 4 minutes the first time; later runs reuse the cache)"
printf 'module localjobsetbuild\n\ngo 1.26.0\n\nrequire sigs.k8s.io/jobset v%s\n\ntool sigs.k8s.io/jobset\n' \
  "$JOBSET_UPSTREAM_VERSION" > "$work/go.mod"
rm -rf "$dir.partial"
mkdir -p "$dir.partial"
(cd "$work" && go mod tidy && go build -trimpath -ldflags='-s -w' -o "$dir.partial/jobset-controller" sigs.k8s.io/jobset)
rm -rf "$dir"
mv "$dir.partial" "$dir"
touch "$dir/.complete"
log "done in $((SECONDS - started))s: $bin"
echo "$bin"
