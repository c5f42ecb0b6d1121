#!/usr/bin/env bash
# `npm test`: installs what is missing, brings up the real local environment (Temporal dev server
# + local Kubernetes, built once and cached), runs the unit tests, then the integration, e2e and
# resilience tests, then the Python SDK's pytest suite,
# and ends with one line `N passed, N failed`. The environment is left running for the next run;
# `npm run env:down` stops it. Exit status: 0 only when every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)

if [[ ! -d node_modules/@temporalio/worker || package.json -nt node_modules/.package-lock.json ]]; then
  echo "== npm install"
  npm install --no-audit --no-fund || exit 1
fi

echo "== local environment (the first build of the Kubernetes binaries takes about 10 minutes)"
bash deploy/local/temporal.sh up || exit 1
bash deploy/local/cluster.sh up || exit 1

jest() { node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"; }

echo "== unit tests"
jest --selectProjects unit --json --outputFile="$results/unit.json"
echo "== integration tests (real Temporal dev server, real kube-apiserver, controller-manager, scheduler, KWOK)"
jest --selectProjects integration e2e resilience --runInBand --json --outputFile="$results/integration.json"

echo "== Python SDK tests (pytest, real dev server + the TypeScript worker)"
bash clients/python/run-tests.sh --junitxml="$results/python.xml"

node scripts/summarize-results.mjs "$results"/*.json "$results"/python.xml
