import { describe, expect, it } from 'vitest';
import { Output, terminalSafe } from '../../../../../electron/hosts/cli/output';

/** A string sink that keeps what was written. */
function sink(): { write(text: string): void; text: string } {
  return { text: '', write(text: string) { this.text += text; } };
}

/** Anything a terminal would act on: C0 (incl. ESC, CR, LF inside a field), DEL, C1, bidi controls. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const HOSTILE = 'a\u001b]0;pwned\u0007b\u001b[2J\rc\nfake: done\u009b31md\u202efdp.exe\u0000';

describe('terminalSafe (ECMA-48 C0/C1 controls, Unicode bidi controls)', () => {
  it('turns every control character into visible text and leaves the rest alone', () => {
    expect(terminalSafe(HOSTILE)).toBe('a\\x1b]0;pwned\\x07b\\x1b[2J\\x0dc\\x0afake: done\\x9b31md\\u202efdp.exe\\x00');
    expect(terminalSafe('Grüße, 日本語 & emoji 📦 stay')).toBe('Grüße, 日本語 & emoji 📦 stay');
  });
});

describe('Output', () => {
  it('prints peer-supplied text for people without a single control character, one line per line', () => {
    const [stdout, stderr] = [sink(), sink()];
    const output = new Output(stdout, stderr, false);
    output.result({ name: HOSTILE }, () => [`offer: ${HOSTILE}`, 'second']);
    output.note(`note ${HOSTILE}`);
    output.error({ code: 'timeout', message: `reason ${HOSTILE}` }, 1);
    expect(stdout.text.split('\n')).toEqual([`offer: ${terminalSafe(HOSTILE)}`, 'second', '']);
    expect(stdout.text).not.toMatch(UNSAFE);
    expect(stderr.text).not.toMatch(UNSAFE);
    expect(stderr.text.split('\n')).toHaveLength(3);
  });

  it('keeps JSON lines valid JSON that read back to the exact peer string', () => {
    const [stdout, stderr] = [sink(), sink()];
    const output = new Output(stdout, stderr, true);
    output.result({ event: 'offer', name: HOSTILE }, () => ['unused']);
    output.error({ code: 'timeout', message: HOSTILE }, 1);
    const lines = stdout.text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0])).toEqual({ event: 'offer', name: HOSTILE });
    expect(JSON.parse(lines[1])).toMatchObject({ event: 'error', message: HOSTILE });
    expect(stdout.text).not.toContain('\u001b');
    expect(stderr.text).not.toMatch(UNSAFE);
  });
});
