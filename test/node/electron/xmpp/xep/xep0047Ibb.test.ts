import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DATA_ERRORS, NS_IBB, buildClose, buildData, buildOpen, checkBlockSize, isNmtoken, parseClose, parseData, parseOpen,
} from '../../../../../electron/xmpp/xep/xep0047Ibb';
import { arbitraryElement, payload, reparse } from '../../../../support/xepFixtures';

const SPEC_BLOCK = 'qANQR1DBwU4DX7jmYZnncmUQB/9KuKBddzQH+tZ1ZywKK0yHKnq57kWq+RFtQdCJ';

describe('XEP-0047 open (§2.1)', () => {
  it.each([
    ['the spec example', `<iq from='romeo@montague.net/orchard' id='jn3h8g65' to='juliet@capulet.com/balcony' type='set'>
        <open xmlns='http://jabber.org/protocol/ibb' block-size='4096' sid='i781hf64' stanza='iq'/></iq>`,
    { sid: 'i781hf64', blockSize: 4096, stanza: 'iq' }],
    ['Spark, without stanza (default iq; seed 001)', `<iq id="vrC08-128" to="user2@host/spark" from="user1@host/spark" type="set">
        <open xmlns="http://jabber.org/protocol/ibb" sid="jsi_5471441136722873260" block-size="4096"></open></iq>`,
    { sid: 'jsi_5471441136722873260', blockSize: 4096, stanza: 'iq' }],
    ['message stanzas at the maximum block-size', `<iq><open xmlns='${NS_IBB}' block-size='65535' sid='s' stanza='message'/></iq>`,
      { sid: 's', blockSize: 65535, stanza: 'message' }],
  ])('parses %s and round-trips', (_label, stanza, expected) => {
    expect(parseOpen(payload(stanza))).toEqual({ ok: true, value: expected });
    expect(parseOpen(reparse(buildOpen(expected as Parameters<typeof buildOpen>[0])))).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['block-size over 65535 (MUST NOT be greater)', "block-size='65536' sid='s'"],
    ['block-size 0', "block-size='0' sid='s'"],
    ['no block-size', "sid='s'"],
    ['a negative block-size', "block-size='-1' sid='s'"],
    ['no sid', "block-size='4096'"],
    ['a sid with whitespace', "block-size='4096' sid='a b'"],
    ['an unknown stanza kind', "block-size='4096' sid='s' stanza='presence'"],
  ])('refuses an open with %s as bad-request', (_label, attrs) => {
    expect(parseOpen(payload(`<iq><open xmlns='${NS_IBB}' ${attrs}/></iq>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('answers a block-size above ours with resource-constraint, type modify (§2.1 example)', () => {
    expect(checkBlockSize({ sid: 's', blockSize: 65535, stanza: 'iq' }, 16384)).toMatchObject({ condition: 'resource-constraint', type: 'modify' });
    expect(checkBlockSize({ sid: 's', blockSize: 4096, stanza: 'iq' }, 16384)).toBeNull();
  });

  it('refuses to send a sid that is not an NMTOKEN or a block-size out of range', () => {
    expect(isNmtoken('jsi_5471441136722873260')).toBe(true);
    expect(isNmtoken('a/b')).toBe(false);
    expect(() => buildOpen({ sid: 'a b', blockSize: 4096, stanza: 'iq' })).toThrow(RangeError);
    expect(() => buildOpen({ sid: 's', blockSize: 65536, stanza: 'iq' })).toThrow(RangeError);
  });
});

describe('XEP-0047 data (§2.2, §4) and close (§2.3)', () => {
  it('parses data in an iq and in a message, returning the text untouched', () => {
    const inIq = payload(`<iq type='set'><data xmlns='http://jabber.org/protocol/ibb' seq='0' sid='i781hf64'>${SPEC_BLOCK}</data></iq>`);
    const inMessage = payload(`<message id='dsw71gj3'><data xmlns='http://jabber.org/protocol/ibb' seq='65535' sid='i781hf64'>\n  ${SPEC_BLOCK}\n</data></message>`);
    expect(parseData(inIq)).toEqual({ ok: true, value: { sid: 'i781hf64', seq: 0, base64: SPEC_BLOCK } });
    expect(parseData(inMessage)).toEqual({ ok: true, value: { sid: 'i781hf64', seq: 65535, base64: `\n  ${SPEC_BLOCK}\n` } });
  });

  it('round-trips data and close', () => {
    const data = { sid: 'jsi_1', seq: 65535, base64: 'AQI=' };
    expect(parseData(reparse(buildData(data)))).toEqual({ ok: true, value: data });
    expect(parseClose(reparse(buildClose({ sid: 'jsi_1' })))).toEqual({ ok: true, value: { sid: 'jsi_1' } });
    expect(parseClose(payload(`<iq><close xmlns='http://jabber.org/protocol/ibb' sid='i781hf64'/></iq>`))).toEqual({ ok: true, value: { sid: 'i781hf64' } });
  });

  it.each([
    ['no seq (MUST possess a seq attribute)', "sid='s'"],
    ['seq beyond 16 bits', "seq='65536' sid='s'"],
    ['a signed seq', "seq='+1' sid='s'"],
    ['no sid (MUST also possess a sid attribute)', "seq='1'"],
  ])('refuses data with %s', (_label, attrs) => {
    expect(parseData(payload(`<iq><data xmlns='${NS_IBB}' ${attrs}>AAAA</data></iq>`))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('refuses to build a seq outside 16 bits', () => {
    expect(() => buildData({ sid: 's', seq: 65536, base64: '' })).toThrow(RangeError);
  });

  it('maps bad packets to the §2.2 errors with type cancel', () => {
    expect(DATA_ERRORS.duplicate).toMatchObject({ condition: 'unexpected-request', type: 'cancel' });
    expect(DATA_ERRORS['bad-base64']).toMatchObject({ condition: 'bad-request', type: 'cancel' });
    expect(DATA_ERRORS['unknown-session']).toMatchObject({ condition: 'item-not-found', type: 'cancel' });
  });

  it.each([parseOpen, parseData, parseClose].map((f) => [f.name, f] as const))('%s never throws on random elements', (_name, parser) => {
    fc.assert(fc.property(arbitraryElement, (element) => {
      const result = parser(element);
      expect(typeof result.ok).toBe('boolean');
    }), { numRuns: 1000 });
  });
});
