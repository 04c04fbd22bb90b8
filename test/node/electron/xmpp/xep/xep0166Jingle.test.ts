import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import xml, { type Element } from '@xmpp/xml';
import { APP_CONDITIONS, buildStanzaError, parseStanzaError } from '../../../../../electron/xmpp/xep/stanzaErrors';
import {
  JINGLE_ACTIONS, MAX_CONTENTS, MAX_REASON_TEXT_LENGTH, NS_JINGLE, NS_JINGLE_ERRORS, REASON_CONDITIONS, buildJingle, buildReason,
  jingleError, parseJingle, parseJingleErrorCondition, parseReason, type Jingle, type JingleErrorCondition, type JingleOptions, type JingleReason,
} from '../../../../../electron/xmpp/xep/xep0166Jingle';
import { arbitraryJingleElement, expectOkOrStanzaError, mutatedFixture, shape } from '../../../../support/jingleFixtures';
import { el, payload, reparse } from '../../../../support/xepFixtures';

const J = `xmlns='${NS_JINGLE}'`;
const RTP_INITIATE = `
<iq from='romeo@montague.lit/orchard' id='xs51r0k4' to='juliet@capulet.lit/balcony' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.lit/orchard' sid='a73sjjvkla37jfea'>
    <content creator='initiator' name='voice'>
      <description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'>
        <payload-type id='96' name='speex' clockrate='16000'/>
      </description>
      <transport xmlns='urn:xmpp:jingle:transports:ice-udp:1' pwd='asd88fgpdd777uzjYhagZg' ufrag='8hhy'>
        <candidate component='1' foundation='1' generation='0' id='el0747fg11' ip='10.0.1.1' network='1' port='8998'
                   priority='2130706431' protocol='udp' type='host'/>
      </transport>
    </content>
  </jingle>
</iq>`;
const RTP_ACCEPT = RTP_INITIATE.replace("action='session-initiate' initiator='romeo@montague.lit/orchard'",
  "action='session-accept' responder='juliet@capulet.lit/balcony'");
const SECURITY_STUB = `
<iq from='romeo@montague.lit/orchard' id='tiw51bv9' to='juliet@capulet.lit/balcony' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='session-initiate' initiator='romeo@montague.lit/orchard' sid='a73sjjvkla37jfea'>
    <content creator='initiator' name='this-is-a-stub'>
      <description xmlns='urn:xmpp:jingle:apps:stub:0'/>
      <transport xmlns='urn:xmpp:jingle:transports:stub:0'/>
      <security xmlns='urn:xmpp:jingle:security:stub:0'/>
    </content>
  </jingle>
</iq>`;
const terminate = (reason: string) => `<iq type='set'><jingle ${J} action='session-terminate' sid='a73sjjvkla37jfea'><reason>${reason}</reason></jingle></iq>`;
const FILE_NOT_AVAILABLE = `
<iq from='romeo@montague.example/dr4hcr0st3lup4c' id='wsn361c9' to='juliet@capulet.example/yn0cl4bnw0yr3vym' type='set'>
  <jingle xmlns='urn:xmpp:jingle:1' action='content-reject' sid='uj3b2'>
    <content creator='initiator' name='requesting-file' senders='initiator'/>
    <reason>
      <failed-application />
      <file-not-available xmlns='urn:xmpp:jingle:apps:file-transfer:errors:0' />
    </reason>
  </jingle>
</iq>`;

/** A parsed Jingle with its Elements replaced by their shapes, for toEqual. */
function plain(jingle: Jingle | JingleOptions) {
  const contents = (jingle.contents ?? []).map((content) => ({
    senders: 'both', disposition: 'session', ...content,
    description: content.description ? shape(content.description) : null,
    transport: content.transport ? shape(content.transport) : null,
  }));
  return { initiator: null, responder: null, reason: null, ...jingle, contents, info: (jingle.info ?? []).map(shape) };
}

function parseOk(stanza: string): Jingle {
  const result = parseJingle(payload(stanza));
  if (!result.ok) throw new Error(`expected ok, got ${result.error.text}`);
  return result.value;
}

describe('XEP-0166 <jingle/> (§6, §7)', () => {
  it('parses the RTP session-initiate, keeping description and transport as Elements (§6.2 example 10)', () => {
    const jingle = parseOk(RTP_INITIATE);
    expect(jingle).toMatchObject({ action: 'session-initiate', sid: 'a73sjjvkla37jfea', initiator: 'romeo@montague.lit/orchard', responder: null, reason: null, info: [] });
    expect(jingle.contents).toHaveLength(1);
    const [content] = jingle.contents;
    expect(content).toMatchObject({ creator: 'initiator', name: 'voice', senders: 'both', disposition: 'session' });
    expect(content.description?.is('description', 'urn:xmpp:jingle:apps:rtp:1')).toBe(true);
    expect(content.transport?.getChildren('candidate')).toHaveLength(1);
  });

  it('parses the session-accept with its responder (§6.5 example 17) and rebuilds the same element', () => {
    const jingle = parseOk(RTP_ACCEPT);
    expect(jingle).toMatchObject({ action: 'session-accept', responder: 'juliet@capulet.lit/balcony', initiator: null });
    expect(shape(reparse(buildJingle(jingle)))).toEqual(shape(payload(RTP_ACCEPT)));
  });

  it('ignores the <security/> of a content (§9 example 35)', () => {
    expect(parseOk(SECURITY_STUB).contents[0]).toMatchObject({ name: 'this-is-a-stub', senders: 'both' });
  });

  it('keeps a session-info payload as info, and an empty session-info (a ping) as none (§6.8 examples 30, 32)', () => {
    const ringing = parseOk(`<iq type='set'><jingle ${J} action='session-info' sid='a73sjjvkla37jfea'><ringing xmlns='urn:xmpp:jingle:apps:rtp:1:info'/></jingle></iq>`);
    expect(ringing.info.map((element) => element.is('ringing', 'urn:xmpp:jingle:apps:rtp:1:info'))).toEqual([true]);
    expect(parseOk(`<iq type='set'><jingle ${J} action='session-info' sid='a73sjjvkla37jfea'/></iq>`)).toMatchObject({ contents: [], info: [] });
  });

  it('parses a security-info with a content that has neither description nor transport (§9 example 36)', () => {
    const jingle = parseOk(`<iq type='set'><jingle ${J} action='security-info' sid='a73sjjvkla37jfea'>
      <content creator='initiator' name='xmlstream'><security xmlns='urn:xmpp:jingle:security:xtls:0'><method name='x509'/></security></content></jingle></iq>`);
    expect(jingle.contents[0]).toMatchObject({ name: 'xmlstream', description: null, transport: null });
  });

  it('reads a missing creator as the default "initiator" and an invalid initiator JID as absent (§7.1, §7.3)', () => {
    const jingle = parseOk(`<iq><jingle ${J} action='content-remove' sid='s' initiator='not a jid'><content name='a-file-offer'/></jingle></iq>`);
    expect(jingle).toMatchObject({ initiator: null, contents: [{ creator: 'initiator', name: 'a-file-offer' }] });
  });

  it.each([
    ['no action (REQUIRED)', `<jingle ${J} sid='s'/>`],
    ['the 2008 draft\'s content-replace (seed 003; §7.2: MUST return bad-request)', `<jingle ${J} action='content-replace' sid='s'/>`],
    ['no sid (REQUIRED)', `<jingle ${J} action='session-info'/>`],
    ['a sid with whitespace', `<jingle ${J} action='session-info' sid='a b'/>`],
    ['an over-long sid', `<jingle ${J} action='session-info' sid='${'s'.repeat(257)}'/>`],
    ['a session-initiate without content (§6.2)', `<jingle ${J} action='session-initiate' sid='s'/>`],
    ['a session-initiate content without transport (§6.2)', `<jingle ${J} action='session-initiate' sid='s'><content creator='initiator' name='c'><description xmlns='urn:x'/></content></jingle>`],
    ['a session-initiate with no "session" disposition (§7.2.10)', `<jingle ${J} action='session-initiate' sid='s'><content creator='initiator' name='c' disposition='early-session'><description xmlns='urn:x'/><transport xmlns='urn:y'/></content></jingle>`],
    ['a session-accept content without description (§7.2.8)', `<jingle ${J} action='session-accept' sid='s'><content creator='initiator' name='c'><transport xmlns='urn:y'/></content></jingle>`],
    ['a content without name (§7.3 REQUIRED)', `<jingle ${J} action='content-remove' sid='s'><content creator='initiator'/></jingle>`],
    ['an unknown creator', `<jingle ${J} action='content-remove' sid='s'><content creator='both' name='c'/></jingle>`],
    ['unknown senders', `<jingle ${J} action='content-remove' sid='s'><content creator='initiator' name='c' senders='everyone'/></jingle>`],
    ['a content-modify without senders (§7.3: REQUIRED there)', `<jingle ${J} action='content-modify' sid='s'><content creator='initiator' name='c'/></jingle>`],
    ['another namespace', "<jingle xmlns='urn:xmpp:tmp:jingle' action='session-info' sid='s'/>"],
  ])('refuses %s as bad-request', (_label, jingle) => {
    expect(parseJingle(el(jingle))).toMatchObject({ ok: false, error: { condition: 'bad-request' } });
  });

  it(`refuses more than ${MAX_CONTENTS} contents with resource-constraint (§6.3.2)`, () => {
    const contents = Array.from({ length: MAX_CONTENTS + 1 }, (_, i) => `<content creator='initiator' name='c${i}'/>`).join('');
    expect(parseJingle(el(`<jingle ${J} action='content-remove' sid='s'>${contents}</jingle>`))).toMatchObject({ ok: false, error: { condition: 'resource-constraint', type: 'wait' } });
  });

  it('builds contents, reason and info in schema order, omitting the default disposition, and refuses a non-NMTOKEN sid', () => {
    const built = buildJingle({
      action: 'session-info', sid: 's1', reason: { condition: 'success' }, info: [xml('received', { xmlns: 'urn:x' })],
      contents: [{ creator: 'initiator', name: 'a', disposition: 'session', senders: 'initiator' }],
    });
    expect(built.toString()).toBe(`<jingle xmlns="${NS_JINGLE}" action="session-info" sid="s1"><content creator="initiator" name="a" senders="initiator"/>`
      + '<reason><success/></reason><received xmlns="urn:x"/></jingle>');
    expect(() => buildJingle({ action: 'session-info', sid: 'a b' })).toThrow(RangeError);
  });
});

describe('XEP-0166 <reason/> (§6.7, §7.4)', () => {
  it.each<[string, string, Partial<JingleReason> & Pick<JingleReason, 'condition'>]>([
    ['success (§6.7 example 19)', '<success/>', { condition: 'success' }],
    ['busy (§6.7 example 20)', '<busy/>', { condition: 'busy' }],
    ['decline (§6.7 example 21)', '<decline/>', { condition: 'decline' }],
    ['alternative-session with its sid (§6.7 example 22)', '<alternative-session><sid>b84tkkwlmb48kgfb</sid></alternative-session>',
      { condition: 'alternative-session', alternativeSid: 'b84tkkwlmb48kgfb' }],
    ['unsupported-transports (§6.7 example 23)', '<unsupported-transports/>', { condition: 'unsupported-transports' }],
    ['failed-transport (§6.7 example 24)', '<failed-transport/>', { condition: 'failed-transport' }],
    ['unsupported-applications (§6.7 example 25)', '<unsupported-applications/>', { condition: 'unsupported-applications' }],
    ['failed-application (§6.7 example 26)', '<failed-application/>', { condition: 'failed-application' }],
    ['incompatible-parameters (§6.7 example 27)', '<incompatible-parameters/>', { condition: 'incompatible-parameters' }],
    ['cancel with a text (XEP-0234 §6.5 example 9)', '<cancel /><text>user gave up</text>', { condition: 'cancel', text: 'user gave up' }],
    ['an unknown condition, as general-error', '<on-fire/>', { condition: 'general-error' }],
    ['no condition at all, as general-error', '', { condition: 'general-error' }],
  ])('parses the session-terminate reason %s and round-trips it', (_label, reason, expected) => {
    const value = { text: null, appCondition: null, alternativeSid: null, ...expected };
    const jingle = parseOk(terminate(reason));
    expect(jingle).toMatchObject({ action: 'session-terminate', contents: [], reason: value });
    expect(parseReason(reparse(buildReason(value)))).toEqual({ ok: true, value });
  });

  it('parses a content-reject with an application-specific reason (XEP-0234 §9.1 example 17)', () => {
    expect(parseOk(FILE_NOT_AVAILABLE)).toMatchObject({
      action: 'content-reject', contents: [{ creator: 'initiator', name: 'requesting-file', senders: 'initiator', description: null, transport: null }],
      reason: { condition: 'failed-application', appCondition: { name: 'file-not-available', ns: 'urn:xmpp:jingle:apps:file-transfer:errors:0' } },
    });
  });

  it('cuts an over-long reason text', () => {
    const jingle = parseOk(terminate(`<success/><text>${'t'.repeat(MAX_REASON_TEXT_LENGTH * 10)}</text>`));
    expect(jingle.reason?.text).toHaveLength(MAX_REASON_TEXT_LENGTH);
  });
});

describe('XEP-0166 error conditions (§6.7, §6.8, §7.2.16, §9, §10)', () => {
  it.each([
    ['unknown-session', 'item-not-found', 'cancel', '§6.7 example 29'],
    ['unsupported-info', 'feature-not-implemented', 'modify', '§6.8 example 31'],
    ['tie-break', 'conflict', 'cancel', '§7.2.16 example 34'],
    ['security-required', 'not-acceptable', 'cancel', '§9 example 37'],
    ['out-of-order', 'unexpected-request', 'cancel', '§10 table'],
  ] as const)('%s rides on %s, type %s (%s), and is read back from the wire', (condition, defined, type, _example) => {
    const error = jingleError(condition);
    expect(error).toEqual({ type, condition: defined, text: null, appCondition: { name: condition, ns: NS_JINGLE_ERRORS } });
    const wire = el(`<iq type='error'><error type='${type}'><${defined} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><${condition} xmlns='${NS_JINGLE_ERRORS}'/></error></iq>`);
    expect(parseStanzaError(wire)).toEqual(error);
    expect(parseJingleErrorCondition(parseStanzaError(reparse(buildStanzaError(error))))).toBe(condition);
  });

  it('tells a tie-break from other errors, and reads none where there is no Jingle condition', () => {
    const conditions: (JingleErrorCondition | null)[] = [
      parseJingleErrorCondition(parseStanzaError(el("<error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><tie-break xmlns='urn:xmpp:jingle:errors:1'/></error>"))),
      parseJingleErrorCondition(parseStanzaError(el("<error type='cancel'><bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error>"))),
      parseJingleErrorCondition(parseStanzaError(el("<error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><tie-break xmlns='urn:other'/></error>"))),
      parseJingleErrorCondition(parseStanzaError(el(`<error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><hasOwnProperty xmlns='${NS_JINGLE_ERRORS}'/></error>`))),
      parseJingleErrorCondition(null),
    ];
    expect(conditions).toEqual(['tie-break', null, null, null, null]);
    expect(jingleError('tie-break', { text: 'lower sid wins' }).text).toBe('lower sid wins');
    expect(APP_CONDITIONS.jingleTieBreak.ns).toBe(NS_JINGLE_ERRORS);
  });
});

describe('XEP-0166 properties', () => {
  const token = fc.stringMatching(/^[A-Za-z0-9_.-]{1,16}$/);
  const jid = fc.constantFrom('romeo@montague.lit/orchard', 'juliet@capulet.lit/balcony', 'proxy.example.net');
  const content = fc.record({
    creator: fc.constantFrom('initiator', 'responder'),
    name: fc.stringMatching(/^[ -;=?-~]{1,30}$/),
    senders: fc.constantFrom('both', 'initiator', 'responder', 'none'),
    disposition: fc.constantFrom('session', 'early-session', 'render'),
    description: fc.constant(null).map(() => xml('description', { xmlns: 'urn:xmpp:example' }, xml('file', {}, 'x'))),
    transport: fc.option(token.map((sid) => xml('transport', { xmlns: 'urn:xmpp:jingle:transports:ibb:1', sid })), { nil: null }),
  });
  const reason = fc.record({
    condition: fc.constantFrom(...REASON_CONDITIONS),
    text: fc.option(fc.stringMatching(/^[!-;=?-~][ -;=?-~]{0,40}$/), { nil: null }),
    appCondition: fc.option(fc.constant({ name: 'file-too-large', ns: 'urn:xmpp:jingle:apps:file-transfer:errors:0' }), { nil: null }),
    alternativeSid: fc.option(token, { nil: null }),
  }).map((r) => ({ ...r, alternativeSid: r.condition === 'alternative-session' ? r.alternativeSid : null }));
  const jingle: fc.Arbitrary<JingleOptions> = fc.record({
    action: fc.constantFrom(...JINGLE_ACTIONS),
    sid: token,
    initiator: fc.option(jid, { nil: null }),
    responder: fc.option(jid, { nil: null }),
    contents: fc.array(content, { maxLength: 3 }),
    reason: fc.option(reason, { nil: null }),
    info: fc.array(fc.constant(null).map(() => xml('checksum', { xmlns: 'urn:xmpp:jingle:apps:file-transfer:5' })), { maxLength: 2 }),
  }).map((value) => {
    const needsFull = value.action === 'session-initiate' || value.action === 'session-accept';
    const contents = needsFull
      ? [{ creator: 'initiator' as const, name: 'main', senders: 'initiator' as const, disposition: 'session', description: xml('description', { xmlns: 'urn:x' }), transport: xml('transport', { xmlns: 'urn:y' }) },
        ...value.contents.map((c) => ({ ...c, transport: c.transport ?? xml('transport', { xmlns: 'urn:y' }) }))]
      : value.contents;
    return { ...value, contents };
  });

  it('round-trips any valid jingle through build and parse', () => {
    fc.assert(fc.property(jingle, (value) => {
      const result = parseJingle(reparse(buildJingle(value)));
      expect(result.ok).toBe(true);
      if (result.ok) expect(plain(result.value)).toEqual(plain(value));
    }), { numRuns: 300 });
  });

  it('never throws on random or mutated elements, and fails only with a stanza error', () => {
    const fixtures = [RTP_INITIATE, RTP_ACCEPT, SECURITY_STUB, FILE_NOT_AVAILABLE, terminate('<alternative-session><sid>b84</sid></alternative-session><text>x</text>')]
      .map((stanza) => payload(stanza).toString());
    fc.assert(fc.property(fc.oneof(arbitraryJingleElement, mutatedFixture(fixtures)), (element: Element) => {
      expectOkOrStanzaError(parseJingle(element), ['bad-request', 'resource-constraint']);
      expectOkOrStanzaError(parseReason(element));
    }), { numRuns: 2000 });
  });
});
