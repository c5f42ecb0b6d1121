// Sums jest --json result files and pytest --junitxml files into the closing line CI reads:
// `N passed, N failed`.
// A suite that failed to run (syntax error, failing hook) counts as one failure, so a broken file
// can never pass silently. Exit status 0 only when nothing failed and something ran.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
/** pytest's junit XML: passed = tests - failures - errors - skipped. */
function junit(file) {
  let xml;
  try {
    xml = readFileSync(file, 'utf8');
  } catch {
    console.error(`no results in ${file}: the run did not finish`);
    failed += 1;
    return;
  }
  for (const m of xml.matchAll(/<testsuite\b([^>]*)>/g)) {
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(m[1])?.[1] ?? 0);
    const bad = attr('failures') + attr('errors');
    passed += attr('tests') - bad - attr('skipped');
    failed += bad;
  }
}

for (const file of process.argv.slice(2)) {
  if (file.endsWith('.xml')) {
    junit(file);
    continue;
  }
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`no results in ${file}: the run did not finish`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  for (const suite of report.testResults) {
    if (suite.status === 'failed' && suite.assertionResults.every((a) => a.status !== 'failed')) {
      console.error(`suite failed to run: ${suite.name}\n${suite.message}`);
      failed += 1;
    }
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
