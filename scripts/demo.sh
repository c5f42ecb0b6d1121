#!/usr/bin/env bash
# `npm run demo`: everything from a clean clone. Installs the Node packages if needed, builds the
# package (dist/, for the `jobset` CLI the demo points at), brings up
# the local environment (Temporal dev server + local Kubernetes; the first time the Kubernetes
# binaries are built, about 10 minutes), then runs scripts/demo.ts: an in-process worker, a
# PyTorch-style JobSet that completes and one that fails and restarts, with live progress.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules/@temporalio/worker || package.json -nt node_modules/.package-lock.json ]]; then
  echo "== npm install"
  npm install --no-audit --no-fund
fi

echo "== build"
npm run --silent build

echo "== local environment"
bash deploy/local/temporal.sh up
bash deploy/local/cluster.sh up
eval "$(bash deploy/local/temporal.sh env)"
eval "$(bash deploy/local/cluster.sh env)"

echo "== demo"
exec node_modules/.bin/tsx scripts/demo.ts
