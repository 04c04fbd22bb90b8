import { describe, expect, it } from 'vitest';
import { isCi, skipUnlessPresent } from '../../support/requiredTool';

describe('skip guards for outside tools (test/support/requiredTool.ts)', () => {
  it('skips nothing when every tool is present, under CI or not', () => {
    expect(skipUnlessPresent({ prosody: true, slixmpp: true }, {})).toBe(false);
    expect(skipUnlessPresent({ prosody: true, slixmpp: true }, { CI: 'true' })).toBe(false);
  });

  it('skips the suite when a tool is missing on a developer machine', () => {
    expect(skipUnlessPresent({ prosody: true, 'slixmpp (apt-get install python3-slixmpp)': false }, {})).toBe(true);
    expect(skipUnlessPresent({ ejabberd: false }, { CI: 'false' })).toBe(true);
  });

  it('fails instead under CI (CI=true), naming every missing tool', () => {
    expect(() => skipUnlessPresent({ prosody: false, slixmpp: false, ejabberd: true }, { CI: 'true' }))
      .toThrow(/missing under CI: prosody, slixmpp\. A missing interop tool fails the run/);
  });

  it('reads CI the way CI services set it', () => {
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
  });
});
