import { describe, expect, it } from 'vitest';
import {
  NS_JINGLE_ERRORS, OUT_OF_ORDER, TIE_BREAK, UNKNOWN_SESSION, UNSUPPORTED_INFO, jingleConditionOf, replyWithoutSession,
} from '../../../../../../electron/transfer/methods/jingle/sessionReplies';
import { buildStanzaError, stanzaError } from '../../../../../../electron/xmpp/xep/stanzaErrors';

describe('Jingle error replies (XEP-0166 §10)', () => {
  it.each([
    ['out-of-order', OUT_OF_ORDER, "<error type='cancel'><unexpected-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><out-of-order xmlns='urn:xmpp:jingle:errors:1'/></error>"],
    ['tie-break (§7.2.16 example)', TIE_BREAK, "<error type='cancel'><conflict xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><tie-break xmlns='urn:xmpp:jingle:errors:1'/></error>"],
    ['unknown-session (§6.7 example)', UNKNOWN_SESSION, "<error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><unknown-session xmlns='urn:xmpp:jingle:errors:1'/></error>"],
    ['unsupported-info (§6.8 example)', UNSUPPORTED_INFO, "<error type='modify'><feature-not-implemented xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/><unsupported-info xmlns='urn:xmpp:jingle:errors:1'/></error>"],
  ])('builds %s as the XEP shows it', (_label, reply, xml) => {
    if (reply.kind !== 'error') throw new Error('expected an error reply');
    expect(buildStanzaError(reply.error).toString().replaceAll('"', "'")).toBe(xml);
  });

  it('reads the Jingle condition back from an error, and none from a plain one (XEP-0166 §10)', () => {
    expect(jingleConditionOf(stanzaError('conflict', { appCondition: { name: 'tie-break', ns: NS_JINGLE_ERRORS } }))).toBe('tie-break');
    expect(jingleConditionOf(stanzaError('conflict', { appCondition: { name: 'tie-break', ns: 'urn:other' } }))).toBeNull();
    expect(jingleConditionOf(stanzaError('bad-request'))).toBeNull();
  });

  it('router: a sid with no live session starts one on session-initiate, and gets unknown-session otherwise (XEP-0166 §6.7 MUST)', () => {
    expect(replyWithoutSession('session-initiate')).toBeNull();
    for (const action of ['session-accept', 'session-terminate', 'session-info', 'transport-info', 'bogus']) {
      expect(replyWithoutSession(action)).toBe(UNKNOWN_SESSION);
    }
  });
});
