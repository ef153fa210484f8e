// Prints the plain closing line CI reads: "N passed, N failed[, N skipped]" over every vitest JSON report.
import { readFileSync } from 'node:fs';

let passed = 0,
  failed = 0,
  skipped = 0,
  suitesFailed = 0;
for (const file of process.argv.slice(2)) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    console.error(`no readable test report at ${file}: the test run crashed before finishing`);
    failed += 1;
    continue;
  }
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  // A file that fails to load has no failed tests but still failed.
  suitesFailed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.every((a) => a.status !== 'failed')).length;
}
if (suitesFailed) console.error(`${suitesFailed} test file(s) failed to run`);
console.log(`${passed} passed, ${failed + suitesFailed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed + suitesFailed > 0 || passed === 0 ? 1 : 0);
