// Prints "passed failed" from a vitest or Playwright JSON report (0 0 when the file is missing).
import { existsSync, readFileSync } from 'node:fs';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log('0 0');
  process.exit(0);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
if (typeof report.numPassedTests === 'number') {
  console.log(`${report.numPassedTests} ${report.numFailedTests}`);
} else if (report.stats) {
  const { expected = 0, unexpected = 0, flaky = 0 } = report.stats;
  console.log(`${expected + flaky} ${unexpected}`);
} else {
  console.log('0 1');
}
