import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(__dirname, '..', '..', '..');
const fixture = (name: string) => join(__dirname, 'fixtures', name);
const count = (file: string) => execFileSync(process.execPath, [join(root, 'scripts/lib/countResults.mjs'), file], { cwd: root, encoding: 'utf8' }).trimEnd().split('\n');

// The fixtures are trimmed real reports: vitest 4.1 `--reporter=json` (a test that passed on its second
// attempt keeps the first attempt's failure message) and Playwright 1.65 json (status 'flaky').
describe('scripts/lib/countResults.mjs: the closing line hides nothing', () => {
  it('vitest: counts a test that passed only on a retry as flaky, skipped and todo as skipped, and a file that failed with no test', () => {
    expect(count(fixture('vitest-report.json'))).toEqual([
      '2 2 2 1',
      'flaky\ttest/node/probe.test.ts > flaky one',
      'skipped\ttest/node/probe.test.ts > skipped one',
      'skipped\ttest/node/probe.test.ts > todo one',
      'failed\ttest/integration/broken.test.ts (the file failed: Error: slixmpp is not installed, and under CI a missing interop tool fails the run)',
      'failed\ttest/node/red.test.ts > suite red one',
    ]);
  });

  it('Playwright: names the flaky test and the skipped one', () => {
    expect(count(fixture('playwright-report.json'))).toEqual([
      '3 0 1 1',
      'flaky\tsubscription.spec.ts › a subscription request shows with Approve, and approving answers the requester',
      'skipped\tsubscription.spec.ts › a spec skipped on this platform',
    ]);
  });

  it('a missing report counts nothing; an unreadable one is a failure', () => {
    expect(count(fixture('no-such-report.json'))).toEqual(['0 0 0 0']);
    expect(count(join(root, 'package.json'))[0]).toBe('0 1 0 0');
  });

  it('scripts/test-all.sh adds the reports up into "N passed, N failed, N skipped, N flaky" and lists the flaky ones', () => {
    const script = [
      'set -u; passed=0; failed=0; skipped=0; failures=(); flaky_names=(); skipped_names=()',
      'source <(sed -n "/^count_json()/,/^}/p" scripts/test-all.sh)',
      `count_json ${fixture('vitest-report.json')} vitest`,
      `count_json ${fixture('playwright-report.json')} playwright`,
      'printf "flaky: %s\\n" "${flaky_names[@]}"',
      'echo "${passed} passed, ${failed} failed, ${skipped} skipped, ${#flaky_names[@]} flaky"',
    ].join('\n');
    const lines = execFileSync('bash', ['-c', script], { cwd: root, encoding: 'utf8' }).trimEnd().split('\n');
    expect(lines).toEqual([
      'flaky: vitest: test/node/probe.test.ts > flaky one',
      'flaky: playwright: subscription.spec.ts › a subscription request shows with Approve, and approving answers the requester',
      '5 passed, 2 failed, 3 skipped, 2 flaky',
    ]);
  });
});
