#!/usr/bin/env bash
# The Python SDK's tests, against the real local environment and the TypeScript worker, run on the
# package as users get it: built as a wheel and installed into a fresh virtualenv.
#
#   bash clients/python/run-tests.sh [pytest args...]     e.g. --junitxml=/tmp/python.xml
#
# clients/python/.venv holds the build tools (created the first time, re-installed when
# pyproject.toml changes); the wheel is built from it without network isolation, installed with
# its test extras into a virtualenv of its own under a temporary directory, and pytest runs there
# (its imports reach the installed wheel, not src/). The tests bring up the local environment
# themselves (deploy/local/*.sh up, idempotent) and run the repository's built worker
# (node_modules from npm install; dist/ from `npm run build`, run here). Exit status: pytest's.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
tools="$here/.venv"
stamp="$tools/.installed"

if [[ ! -x "$tools/bin/python" ]]; then
  echo "== python3 -m venv $tools"
  python3 -m venv "$tools"
fi
if [[ ! -f "$stamp" || pyproject.toml -nt "$stamp" ]]; then
  echo "== pip install build hatchling (the wheel's build tools)"
  "$tools/bin/python" -m pip install --quiet --disable-pip-version-check 'build>=1.2,<2' 'hatchling>=1.25,<2'
  touch "$stamp"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "== python -m build --wheel"
"$tools/bin/python" -m build --wheel --no-isolation --outdir "$work/dist" "$here" > "$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
wheel=$(ls "$work"/dist/*.whl)
echo "== fresh virtualenv with $(basename "$wheel")[test]"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet --disable-pip-version-check "$wheel[test]"

[[ ${JOBSET_BUILT:-} == 1 ]] || (cd "$here/../.." && npm run --silent build)
JOBSET_PYTHON_WHEEL="$wheel" "$work/venv/bin/python" -m pytest -p no:cacheprovider "$@"
