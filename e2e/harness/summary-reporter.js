// Prints the run's totals as one `N passed, N failed` line and keeps them in .run/test-summary.json for .ci/run.
import { mkdirSync, writeFileSync } from 'node:fs';

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const summary = { passed: results.numPassedTests, failed, skipped: results.numPendingTests + results.numTodoTests };
    mkdirSync('.run', { recursive: true });
    writeFileSync('.run/test-summary.json', JSON.stringify(summary) + '\n');
    process.stdout.write(`\n${summary.passed} passed, ${summary.failed} failed\n`);
  }
}
