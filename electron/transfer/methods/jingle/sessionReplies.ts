/**
 * The IQ replies of a Jingle session: result, or a stanza error carrying a Jingle-specific condition
 * (XEP-0166 1.1.2 §10, https://xmpp.org/extensions/xep-0166.html#errors). The error types follow the XEP's
 * examples where it shows one (§6.7 unknown-session: cancel; §6.8 unsupported-info: modify; §7.2.16 tie-break:
 * cancel) and RFC 6120's default otherwise (out-of-order → unexpected-request, wait).
 */
import { stanzaError } from '../../../xmpp/xep/stanzaErrors';
import { jingleError as jingleStanzaError, NS_JINGLE_ERRORS, parseJingleErrorCondition, type JingleErrorCondition } from '../../../xmpp/xep/xep0166Jingle';
import type { Reply } from './sessionTypes';

export { NS_JINGLE_ERRORS };

/** An IQ result. */
export const RESULT: Reply = { kind: 'result' };

function jingleError(condition: JingleErrorCondition): Reply {
  return { kind: 'error', error: jingleStanzaError(condition) };
}

/** §10: "The request cannot occur at this point in the state machine (e.g., session-initiate after session-accept)." */
export const OUT_OF_ORDER: Reply = jingleError('out-of-order');
/** §7.2.16: the initiator returns conflict + tie-break to the responder's duplicate action. */
export const TIE_BREAK: Reply = jingleError('tie-break');
/** §6.7 / §10: the sid names no live session. */
export const UNKNOWN_SESSION: Reply = jingleError('unknown-session');
/** §6.8: an informational payload the recipient does not understand. */
export const UNSUPPORTED_INFO: Reply = jingleError('unsupported-info');
/** §7.2: an action value not defined there. */
export const BAD_REQUEST: Reply = { kind: 'error', error: stanzaError('bad-request') };
/** A defined action Ferry has no use for and no Jingle condition covers (security-info: Ferry offers no precondition). */
export const FEATURE_NOT_IMPLEMENTED: Reply = { kind: 'error', error: stanzaError('feature-not-implemented') };

/** The Jingle condition of a stanza error, when it carries one (xep0166Jingle.ts). */
export function jingleConditionOf(error: Parameters<typeof parseJingleErrorCondition>[0]): JingleErrorCondition | null {
  return parseJingleErrorCondition(error);
}

/**
 * For the router: the answer to a Jingle IQ-set whose sid (with its sender) matches no live session. A
 * session-initiate starts one (null: create it with startSession); anything else gets unknown-session.
 *
 * XEP-0166 §6.7: "If the terminating entity receives additional Jingle-related IQ-sets from the other party
 * after sending the session-terminate action, it MUST reply with an <unknown-session/> error." A stanza with a
 * known sid from a JID other than the session's peer is routed here too: to that sender the session is unknown.
 */
export function replyWithoutSession(action: string): Reply | null {
  return action === 'session-initiate' ? null : UNKNOWN_SESSION;
}
