#!/usr/bin/env bash
# The Python SDK's tests, against the real local environment and the TypeScript worker.
#
#   bash clients/python/run-tests.sh [pytest args...]     e.g. --junitxml=/tmp/python.xml
#
# Creates clients/python/.venv with python3 -m venv the first time (and re-installs when
# pyproject.toml changes), installs the package (editable) with its test extras, and runs
# pytest, which prints its summary line (`N passed, ... in Xs`). The tests bring up the local
# environment themselves (deploy/local/*.sh up, idempotent) and run the repository's built worker
# (node_modules from npm install; dist/ from `npm run build`, run here). Exit status: pytest's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
venv="$here/.venv"
stamp="$venv/.installed"

if [[ ! -x "$venv/bin/python" ]]; then
  echo "== python3 -m venv $venv"
  python3 -m venv "$venv"
fi
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  echo "== pip install -e .[test]"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[test]'
  touch "$stamp"
fi
[[ ${JOBSET_BUILT:-} == 1 ]] || (cd "$here/../.." && npm run --silent build)
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"
