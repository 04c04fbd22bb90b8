/**
 * The reducer's half for Jingle IQ-sets received from the peer: one reply per action, and the effects that
 * follow. XEP-0166 1.1.2 (https://xmpp.org/extensions/xep-0166.html) §5.1 (states), §6.7 (termination), §6.8
 * (informational messages), §7.2 (actions), §7.2.16 (tie breaking); XEP-0260 1.0.3 and XEP-0234 0.19.1 for the
 * informational payloads Ferry understands.
 */
import {
  BAD_REQUEST, FEATURE_NOT_IMPLEMENTED, OUT_OF_ORDER, RESULT, TIE_BREAK, UNKNOWN_SESSION, UNSUPPORTED_INFO,
} from './sessionReplies';
import { StepBuilder, endedBy, switchTransport, terminate } from './sessionSteps';
import { isTerminateReason } from './terminateReasons';
import { NS_JINGLE_FT as NS_FILE_TRANSFER } from '../../../xmpp/xep/xep0234JingleFt';
import { NS_JINGLE_S5B as NS_S5B } from '../../../xmpp/xep/xep0260JingleS5b';
import type { InfoPayload, ReceivedAction, Reply, SessionState, Step } from './sessionTypes';


/** session-info payloads of XEP-0234 §8.1 (received) and §8.2 (checksum). */
const SESSION_INFO: readonly InfoPayload[] = [
  { ns: NS_FILE_TRANSFER, name: 'received' }, { ns: NS_FILE_TRANSFER, name: 'checksum' },
];

/** transport-info payloads of XEP-0260 §2.2 (candidate), §2.3 (candidate-used, candidate-error), §2.4 (activated, proxy-error). */
const TRANSPORT_INFO: readonly InfoPayload[] = ['candidate', 'candidate-used', 'candidate-error', 'activated', 'proxy-error']
  .map((name) => ({ ns: NS_S5B, name }));

type Handler = (step: StepBuilder, event: ReceivedAction) => Reply;

function isUnderstood(list: readonly InfoPayload[], payload: InfoPayload): boolean {
  return list.some((known) => known.ns === payload.ns && known.name === payload.name);
}

/**
 * §6.8: "If the party that receives an informational message does not understand the payload, it MUST return a
 * <feature-not-implemented/> error with a Jingle-specific error condition of <unsupported-info/>." and "If either
 * party receives an empty session-info message for an active session, it MUST send an empty IQ result; this usage
 * functions as a "ping"". An empty one in PENDING gets a result too (§5.1 allows session-info there), and so
 * does an empty transport-info, which changes nothing.
 */
function informational(action: 'session-info' | 'transport-info', understood: readonly InfoPayload[]): Handler {
  return (step, event) => {
    const payload = event.payload ?? null;
    if (payload === null) return RESULT;
    if (!isUnderstood(understood, payload)) return UNSUPPORTED_INFO;
    step.effect({ kind: 'deliver', action, payload });
    return RESULT;
  };
}

/** §6.5: session-accept moves PENDING to ACTIVE; only the responder sends it, and only once. */
const onSessionAccept: Handler = (step) => {
  const state = step.current;
  if (state.role !== 'initiator' || state.phase !== 'pending') return OUT_OF_ORDER;
  step.set({ phase: 'active', stage: 'negotiating' }).clear('session-accept').arm('transport-negotiation');
  return RESULT;
};

/** §6.7: "Upon receiving session-terminate message, the other party MUST then acknowledge termination of the session". */
const onSessionTerminate: Handler = (step, event) => {
  endedBy(step, { reason: event.reason ?? null, text: event.text, by: 'peer' });
  return RESULT;
};

/**
 * §7.2.15: "If the recipient wishes to use the new transport definition, it MUST send a transport-accept action
 * to the other party; if not, it MUST send a transport-reject action to the other party."
 *
 * §7.2.16, existing session: "the action sent by the initiator MUST overrule the action sent by the responder;
 * i.e., both parties MUST accept the action sent by the initiator and the initiator MUST return a <conflict/>
 * error to the responder for the duplicate action, which SHOULD include a Jingle-specific condition of
 * <tie-break/>." So on crossed transport-replaces the initiator answers tie-break and keeps waiting for its
 * transport-accept; the responder acknowledges the initiator's and accepts it at once.
 */
const onTransportReplace: Handler = (step, event) => {
  const state = step.current;
  const transport = event.transport;
  if (transport === undefined) return BAD_REQUEST;
  if (state.replace.kind === 'replace-received') return OUT_OF_ORDER;
  if (state.replace.kind === 'replace-sent') {
    if (state.role === 'initiator') return TIE_BREAK;
    step.send({ kind: 'send', action: 'transport-accept', transport });
    switchTransport(step, transport);
    return RESULT;
  }
  step.set({ replace: { kind: 'replace-received', transport } }).effect({ kind: 'decide-replace', transport });
  return RESULT;
};

/** §7.2.12: transport-accept answers our transport-replace; without one pending it is out of order. */
const onTransportAccept: Handler = (step) => {
  const { replace } = step.current;
  if (replace.kind !== 'replace-sent') return OUT_OF_ORDER;
  switchTransport(step, replace.transport);
  return RESULT;
};

/**
 * §7.2.14: transport-reject answers our transport-replace. A one-content file transfer has no transport left
 * after that: it ends with failed-transport (§6.7: "all transport methods have been exhausted").
 */
const onTransportReject: Handler = (step) => {
  const { replace, peer } = step.current;
  if (replace.kind !== 'replace-sent') return OUT_OF_ORDER;
  step.set({ replace: { kind: 'none' } }).clear('transport-accept');
  terminate(step, 'failed-transport', `${peer} refused to switch to ${replace.transport.toUpperCase()}`);
  return RESULT;
};

/**
 * §7.2.2: "If the recipient wishes to include the new content definition in the session, it MUST send a
 * content-accept action to the other party; if not, it MUST send a content-reject action". Ferry's session
 * carries one file, so additions are rejected.
 */
const onContentAdd: Handler = (step) => {
  step.send({ kind: 'send', action: 'content-reject' });
  return RESULT;
};

/**
 * XEP-0234 §6.5: "If after removing the content there are no other Jingle contents the session MUST be
 * terminated"; XEP-0166 §7.2.5 says the same as a SHOULD. The removal's reason (cancel when absent) is how
 * the transfer ends, and the same reason goes out in the session-terminate.
 */
const onContentRemove: Handler = (step, event) => {
  const reason = event.reason ?? 'cancel';
  step.send({ kind: 'send', action: 'session-terminate', reason: isTerminateReason(reason) ? reason : 'cancel' });
  endedBy(step, { reason, text: event.text, by: 'peer' });
  return RESULT;
};

/** Actions defined in XEP-0166 §7.2, each with its handler. */
const HANDLERS: Record<string, Handler> = {
  /** §10 out-of-order's own example: the session already exists, so a second session-initiate is out of order. */
  'session-initiate': () => OUT_OF_ORDER,
  'session-accept': onSessionAccept,
  'session-terminate': onSessionTerminate,
  'session-info': informational('session-info', SESSION_INFO),
  'transport-info': informational('transport-info', TRANSPORT_INFO),
  'transport-replace': onTransportReplace,
  'transport-accept': onTransportAccept,
  'transport-reject': onTransportReject,
  'content-add': onContentAdd,
  /** Ferry never sends content-add, so an answer to one is out of order. */
  'content-accept': () => OUT_OF_ORDER,
  'content-reject': () => OUT_OF_ORDER,
  /** §7.2.3: the recipient "MAY ... simply refuse to send or accept application data in the new direction". */
  'content-modify': () => RESULT,
  'content-remove': onContentRemove,
  /** §6.8: description-info is informational; Ferry understands no description-info payload. */
  'description-info': () => UNSUPPORTED_INFO,
  'security-info': () => FEATURE_NOT_IMPLEMENTED,
};

/**
 * Answers one received action. In ENDED, §6.7: "If the terminating entity receives additional Jingle-related
 * IQ-sets from the other party after sending the session-terminate action, it MUST reply with an
 * <unknown-session/> error." (after a received terminate the session is just as gone). A sender other than the
 * peer: unknown-session too, to that sender there is no such session. An action not defined in §7.2: "it MUST
 * ignore the attribute and MUST return a <bad-request/> error to the sender."
 */
export function receive(state: SessionState, event: ReceivedAction): Step {
  const step = new StepBuilder(state);
  if (state.phase === 'ended' || event.from !== state.peer) return step.build(UNKNOWN_SESSION);
  const handler = Object.hasOwn(HANDLERS, event.action) ? HANDLERS[event.action] : null;
  if (handler === null) return step.build(BAD_REQUEST);
  const reply = handler(step, event);
  return reply.kind === 'result' ? step.build(reply) : new StepBuilder(state).build(reply);
}
