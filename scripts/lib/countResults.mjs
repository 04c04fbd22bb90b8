// Counts a vitest or Playwright JSON report so the closing line of scripts/test-all.sh hides nothing.
// Prints one line "passed failed skipped flaky", then one line per test worth naming:
//   "flaky<TAB>name"   passed only on a retry (vitest: status passed with failure messages from the
//                      earlier attempts; Playwright: status 'flaky')
//   "skipped<TAB>name" skipped or todo
//   "failed<TAB>name"  failed, or a test file that failed without any failed test (an import or hook error)
// A missing file prints "0 0 0 0"; an unreadable one counts as one failure.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** @typedef {{ passed: number, failed: number, skipped: number, flaky: string[], skippedNames: string[], failedNames: string[] }} Counts */

/** @returns {Counts} */
function emptyCounts() {
  return { passed: 0, failed: 0, skipped: 0, flaky: [], skippedNames: [], failedNames: [] };
}

/** @param {any} report @returns {Counts} */
export function countVitest(report) {
  const counts = emptyCounts();
  for (const file of report.testResults ?? []) {
    const fileName = relative(process.cwd(), String(file.name ?? ''));
    let fileFailures = 0;
    for (const test of file.assertionResults ?? []) {
      const name = `${fileName} > ${test.fullName ?? test.title}`;
      if (test.status === 'passed') {
        counts.passed += 1;
        if ((test.failureMessages ?? []).length > 0) counts.flaky.push(name);
      } else if (test.status === 'failed') {
        counts.failed += 1;
        fileFailures += 1;
        counts.failedNames.push(name);
      } else {
        counts.skipped += 1;
        counts.skippedNames.push(name);
      }
    }
    if (file.status === 'failed' && fileFailures === 0) {
      counts.failed += 1;
      counts.failedNames.push(`${fileName} (the file failed: ${String(file.message ?? '').split('\n')[0]})`);
    }
  }
  return counts;
}

/** @param {any} report @returns {Counts} */
export function countPlaywright(report) {
  const counts = emptyCounts();
  /** @param {any} suite @param {string[]} titles */
  const walk = (suite, titles) => {
    const here = suite.title ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        const name = [...here, spec.title].join(' › ') + (test.projectName ? ` [${test.projectName}]` : '');
        if (test.status === 'expected') counts.passed += 1;
        else if (test.status === 'flaky') { counts.passed += 1; counts.flaky.push(name); }
        else if (test.status === 'skipped') { counts.skipped += 1; counts.skippedNames.push(name); }
        else { counts.failed += 1; counts.failedNames.push(name); }
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  for (const suite of report.suites ?? []) walk(suite, []);
  for (const error of report.errors ?? []) {
    counts.failed += 1;
    counts.failedNames.push(`playwright error: ${String(error.message ?? '').split('\n')[0]}`);
  }
  return counts;
}

/** @param {string} file @returns {Counts} */
export function countReport(file) {
  if (!existsSync(file)) return emptyCounts();
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    return { ...emptyCounts(), failed: 1, failedNames: [`${file} is not a JSON report: ${String(error)}`] };
  }
  if (Array.isArray(report.testResults)) return countVitest(report);
  if (report.stats && Array.isArray(report.suites)) return countPlaywright(report);
  return { ...emptyCounts(), failed: 1, failedNames: [`${file} is neither a vitest nor a Playwright report`] };
}

/** @param {Counts} counts @returns {string} */
export function formatCounts(counts) {
  const lines = [`${counts.passed} ${counts.failed} ${counts.skipped} ${counts.flaky.length}`];
  for (const name of counts.flaky) lines.push(`flaky\t${name}`);
  for (const name of counts.skippedNames) lines.push(`skipped\t${name}`);
  for (const name of counts.failedNames) lines.push(`failed\t${name}`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  console.log(formatCounts(countReport(process.argv[2] ?? '')));
}
