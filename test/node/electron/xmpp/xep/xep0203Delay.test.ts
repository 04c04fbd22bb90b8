import xml from '@xmpp/xml';
import { describe, expect, it } from 'vitest';
import { NS_DELAY, readDateTime, readDelayStamp } from '../../../../../electron/xmpp/xep/xep0203Delay';

const withDelay = (...stamps: (string | undefined)[]) => xml('message', {}, ...stamps.map((stamp) => xml('delay', { xmlns: NS_DELAY, from: 'localhost', stamp })));

describe('readDelayStamp (XEP-0203)', () => {
  it('reads the stamp of the §4 example as UTC ms', () => {
    expect(readDelayStamp(withDelay('2002-09-10T23:08:25Z'))).toBe(Date.UTC(2002, 8, 10, 23, 8, 25));
  });
  it('reads fractions and offsets (XEP-0082 §3.3) and takes the earliest of several delays', () => {
    expect(readDelayStamp(withDelay('2002-09-10T23:08:25.123+02:00', '2002-09-10T22:00:00Z'))).toBe(Date.UTC(2002, 8, 10, 21, 8, 25, 123));
  });
  it.each([
    ['no delay', xml('message', {})],
    ['a missing stamp', withDelay(undefined)],
    ['a stamp without a time zone', withDelay('2002-09-10T23:08:25')],
    ['a date only', withDelay('2002-09-10')],
    ['garbage', withDelay('yesterday')],
    ['an impossible date', withDelay('2002-13-45T99:08:25Z')],
    ['the legacy jabber:x:delay namespace', xml('message', {}, xml('x', { xmlns: 'jabber:x:delay', stamp: '20020910T23:08:25' }))],
  ])('ignores %s', (_name, stanza) => {
    expect(readDelayStamp(stanza)).toBeNull();
  });
  it('refuses overlong input', () => {
    expect(readDateTime(`2002-09-10T23:08:25.${'1'.repeat(50)}Z`)).toBeNull();
  });
});
