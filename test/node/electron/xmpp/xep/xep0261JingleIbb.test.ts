import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Element } from '@xmpp/xml';
import { MAX_BLOCK_SIZE_BYTES, buildOpen, parseOpen, type IbbOpen } from '../../../../../electron/xmpp/xep/xep0047Ibb';
import { parseJingle } from '../../../../../electron/xmpp/xep/xep0166Jingle';
import { NS_JINGLE_IBB, buildIbbTransport, negotiatedBlockSize, parseIbbTransport } from '../../../../../electron/xmpp/xep/xep0261JingleIbb';
import { arbitraryJingleElement, expectOkOrStanzaError, mutatedFixture } from '../../../../support/jingleFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const INITIATE = `
<iq from='romeo@montague.lit/orchard' id='xn28s7gk' to='juliet@capulet.lit/balcony' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.lit/orchard' sid='a73sjjvkla37jfea'>
    <content creator='initiator' name='ex'>
      <description xmlns='urn:xmpp:example'/>
      <transport xmlns='urn:xmpp:jingle:transports:ibb:1'
                 block-size='4096'
                 sid='ch3d9s71'/>
    </content>
  </jingle>
</iq>`;
const transport = (attrs: string) => `<transport xmlns='${NS_JINGLE_IBB}' ${attrs}/>`;

function transportOf(stanza: string): Element {
  const jingle = parseJingle(payload(stanza));
  if (!jingle.ok || !jingle.value.contents[0].transport) throw new Error('no transport');
  return jingle.value.contents[0].transport;
}

describe('XEP-0261 transport (§2.2, §2.4)', () => {
  it.each([
    ['the session-initiate transport (§2.2 example 1)', INITIATE, { sid: 'ch3d9s71', blockSize: 4096, stanza: 'iq' }],
    ['the session-accept with a smaller block-size (§2.2 example 3)', INITIATE.replace("block-size='4096'", "block-size='2048'"), { sid: 'ch3d9s71', blockSize: 2048, stanza: 'iq' }],
    ['the transport-info adding a session (§2.4 example 9)', `<iq type='set'><jingle xmlns='urn:xmpp:jingle:1' action='transport-info' sid='a73sjjvkla37jfea'>
      <content creator='initiator' name='ex'><transport xmlns='urn:xmpp:jingle:transports:ibb:1' block-size='2048' sid='bt8a71h6'/></content></jingle></iq>`,
    { sid: 'bt8a71h6', blockSize: 2048, stanza: 'iq' }],
    ['the XEP-0260 §3 fallback transport-replace (example 15)', `<iq type='set'><jingle xmlns='urn:xmpp:jingle:1' action='transport-replace' sid='a73sjjvkla37jfea'>
      <content creator='initiator' name='ex'><transport xmlns='urn:xmpp:jingle:transports:ibb:1' block-size='4096' sid='ch3d9s71'/></content></jingle></iq>`,
    { sid: 'ch3d9s71', blockSize: 4096, stanza: 'iq' }],
  ])('parses %s and round-trips it', (_label, stanza, expected) => {
    expect(parseIbbTransport(transportOf(stanza))).toEqual({ ok: true, value: expected });
    expect(parseIbbTransport(reparse(buildIbbTransport(expected as IbbOpen)))).toEqual({ ok: true, value: expected });
  });

  it('reads stanza="message" and Spark\'s 61440-byte blocks, past the schema\'s xs:short (DESIGN.md)', () => {
    expect(parseIbbTransport(el(transport("block-size='61440' sid='s' stanza='message'")))).toEqual({ ok: true, value: { sid: 's', blockSize: 61440, stanza: 'message' } });
    expect(parseIbbTransport(el(transport(`block-size='${MAX_BLOCK_SIZE_BYTES}' sid='s'`))).ok).toBe(true);
  });

  it.each([
    ['block-size over 65535 (XEP-0047 §2.1 MUST NOT)', "block-size='65536' sid='s'"],
    ['block-size 0', "block-size='0' sid='s'"],
    ['no block-size (REQUIRED)', "sid='s'"],
    ['a block-size with a sign', "block-size='+4096' sid='s'"],
    ['no sid (REQUIRED)', "block-size='4096'"],
    ['a sid with whitespace', "block-size='4096' sid='a b'"],
    ['an unknown stanza kind', "block-size='4096' sid='s' stanza='presence'"],
  ])('refuses a transport with %s as bad-request', (_label, attrs) => {
    expect(parseIbbTransport(el(transport(attrs)))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it('refuses an S5B transport and builds stanza only when not the default', () => {
    expect(parseIbbTransport(el("<transport xmlns='urn:xmpp:jingle:transports:s5b:1' block-size='4096' sid='s'/>")).ok).toBe(false);
    expect(buildIbbTransport({ sid: 'ch3d9s71', blockSize: 4096, stanza: 'iq' }).toString())
      .toBe(`<transport xmlns="${NS_JINGLE_IBB}" block-size="4096" sid="ch3d9s71"/>`);
    expect(() => buildIbbTransport({ sid: 'a b', blockSize: 4096, stanza: 'iq' })).toThrow(RangeError);
    expect(() => buildIbbTransport({ sid: 's', blockSize: 65536, stanza: 'iq' })).toThrow(RangeError);
  });

  it('gives the <open/> of §2.2 example 5 the negotiated values ("the initiator MUST use the negotiated values")', () => {
    const offered = parseIbbTransport(transportOf(INITIATE));
    const answered = parseIbbTransport(el(transport("block-size='2048' sid='ch3d9s71'")));
    if (!offered.ok || !answered.ok) throw new Error('fixtures must parse');
    const open = buildOpen({ ...offered.value, blockSize: negotiatedBlockSize(offered.value.blockSize, answered.value.blockSize) });
    expect(parseOpen(reparse(open))).toEqual({ ok: true, value: { sid: 'ch3d9s71', blockSize: 2048, stanza: 'iq' } });
    expect(negotiatedBlockSize(4096, 8192)).toBe(4096);
  });
});

describe('XEP-0261 properties', () => {
  const value: fc.Arbitrary<IbbOpen> = fc.record({
    sid: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/), blockSize: fc.integer({ min: 1, max: MAX_BLOCK_SIZE_BYTES }), stanza: fc.constantFrom('iq' as const, 'message' as const),
  });

  it('round-trips any transport through build and parse', () => {
    fc.assert(fc.property(value, (transportValue) => {
      expect(parseIbbTransport(reparse(buildIbbTransport(transportValue)))).toEqual({ ok: true, value: transportValue });
    }));
  });

  it('never throws on random or mutated elements, and fails only with bad-request', () => {
    const fixtures = [transport("block-size='4096' sid='ch3d9s71'"), transport("block-size='2048' sid='bt8a71h6' stanza='message'")];
    fc.assert(fc.property(fc.oneof(arbitraryJingleElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseIbbTransport(element));
    }), { numRuns: 1000 });
  });
});
