#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, lints (ESLint and Prettier, counted as one test),
# brings up the real local environment (Temporal dev server + local Kubernetes, built once and
# cached), runs the unit tests, the workflow tests (Java test server, installed once and cached),
# then the integration, e2e and resilience tests, then the Python SDK's pytest suite, and ends
# with one line `N passed, N failed`. The environment is left running for the next run;
# `npm run env:down` stops it. Exit status: 0 only when every test passed.
set -uo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)

if [[ ! -d node_modules/@temporalio/worker || package.json -nt node_modules/.package-lock.json ]]; then
  echo "== npm install"
  npm install --no-audit --no-fund || exit 1
fi

echo "== build (dist/: the CLI, worker and bridge that tests start as processes run it)"
npm run --silent build || exit 1
export JOBSET_BUILT=1

echo "== lint (ESLint with type-aware rules, Prettier; counted as one test)"
lint_failures=0
npm run --silent lint || lint_failures=1
printf '<testsuite name="lint" tests="1" failures="%d" errors="0" skipped="0"></testsuite>\n' "$lint_failures" >"$results/lint.xml"

echo "== local environment (the first build of the Kubernetes binaries takes about 10 minutes)"
bash deploy/local/temporal.sh up || exit 1
bash deploy/local/cluster.sh up || exit 1

jest() { node --experimental-vm-modules node_modules/jest/bin/jest.js "$@"; }

echo "== unit tests"
jest --selectProjects unit --json --outputFile="$results/unit.json"
echo "== workflow tests (the real workflows on a time-skipping test server, fake cluster)"
# One jest process for all files: each test starts its own test server on a free port.
jest --selectProjects workflow --json --outputFile="$results/workflow.json"
echo "== integration, e2e and resilience tests (real Temporal dev server, real kube-apiserver, controller-manager, scheduler, KWOK)"
# One jest process per file: a file's leftover timers (a gRPC retry of an aborted Temporal call)
# cannot fire inside the next file, and the files run one after the other on the shared cluster.
n=0
for file in $(find test/integration test/e2e test/resilience -name '*.test.ts' | sort); do
  n=$((n + 1))
  project=$(echo "$file" | cut -d/ -f2)
  jest "$file" --selectProjects "$project" --runInBand --json --outputFile="$results/server-$n.json"
done

echo "== Python SDK tests (pytest, real dev server + the TypeScript worker)"
bash clients/python/run-tests.sh --junitxml="$results/python.xml"

node scripts/summarize-results.mjs "$results"/*.json "$results"/lint.xml "$results"/python.xml
