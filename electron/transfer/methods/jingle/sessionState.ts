/**
 * The XEP-0166 session state machine of one Jingle file transfer with one content, from either role, as a pure
 * reducer: `step(state, event) → { state, effects, reply }`. XEP-0166 Jingle 1.1.2
 * (https://xmpp.org/extensions/xep-0166.html) §5.1 (PENDING → ACTIVE → ENDED), §6 (session flow), §7.2
 * (actions); XEP-0260 1.0.3 §3 and XEP-0261 1.0 for the S5B → IBB fallback. Received actions are answered in
 * sessionReceived.ts; the local half is here. Nothing here sends, waits or reads a clock: effects say what to do.
 */
import { jingleConditionOf } from './sessionReplies';
import { receive } from './sessionReceived';
import { StepBuilder, durationOf, endSession, formatDuration, switchTransport, terminate } from './sessionSteps';
import {
  DEFAULT_JINGLE_TIMINGS, type DeadlineName, type JingleRole, type JingleTimings, type JingleTransport,
  type LocalEvent, type SessionEvent, type SessionState, type Step,
} from './sessionTypes';

type LocalHandler<K extends LocalEvent['kind']> = (step: StepBuilder, event: Extract<LocalEvent, { kind: K }>) => void;

/**
 * A new session. The initiator sends session-initiate and waits for session-accept; the responder has just
 * received the session-initiate and acknowledges it (the router has already refused, per §6.3.2, what it must).
 *
 * XEP-0166 §6.3.1: "Unless one of the following errors occurs, the responder MUST acknowledge receipt of the
 * initiation request." Both sides then run the session-accept deadline (the responder's bounds the user's answer).
 */
export function startSession(options: {
  role: JingleRole;
  peer: string;
  transport: JingleTransport;
  timings?: JingleTimings;
}): Step {
  const state: SessionState = {
    role: options.role, peer: options.peer, phase: 'pending', replace: { kind: 'none' }, transport: options.transport,
    stage: 'negotiating', armed: [], timings: options.timings ?? DEFAULT_JINGLE_TIMINGS, end: null,
  };
  const step = new StepBuilder(state);
  if (options.role === 'initiator') step.send({ kind: 'send', action: 'session-initiate' });
  step.arm('session-accept');
  return step.build(options.role === 'responder' ? { kind: 'result' } : null);
}

/**
 * One transition. Every received action gets exactly one reply; every local event gets none (reply null). In
 * ENDED nothing changes: received actions get unknown-session (§6.7), local events are no-ops, as is any local
 * event that does not apply in the current state (a cancel racing the peer's terminate, a stale deadline).
 */
export function step(state: SessionState, event: SessionEvent): Step {
  if (event.kind === 'received') return receive(state, event);
  const builder = new StepBuilder(state);
  if (state.phase !== 'ended') applyLocal(builder, event);
  return builder.build(null);
}

function applyLocal(builder: StepBuilder, event: LocalEvent): void {
  // LOCAL is keyed by kind, so the handler found is the one for this event's type.
  const handler = LOCAL[event.kind] as (step: StepBuilder, event: LocalEvent) => void;
  handler(builder, event);
}

/**
 * §6.5: "the responding client SHOULD NOT return a "session-accept" action to the initiator until the responder
 * has explicitly agreed to proceed with the session": the caller steps `accept` only on the user's (or its
 * auto-accept policy's) yes.
 */
const onAccept: LocalHandler<'accept'> = (step) => {
  const state = step.current;
  if (state.role !== 'responder' || state.phase !== 'pending') return;
  step.send({ kind: 'send', action: 'session-accept' })
    .set({ phase: 'active', stage: 'negotiating' }).clear('session-accept').arm('transport-negotiation');
};

const onReplaceTransport: LocalHandler<'replace-transport'> = (step, event) => {
  if (step.current.replace.kind !== 'none') return;
  step.send({ kind: 'send', action: 'transport-replace', transport: event.transport })
    .set({ replace: { kind: 'replace-sent', transport: event.transport } })
    .clear('transport-negotiation').arm('transport-accept');
};

/** §7.2.15: the recipient of a transport-replace "MUST send a transport-accept action ... if not, ... a transport-reject". */
const onAcceptReplace: LocalHandler<'accept-replace'> = (step) => {
  const { replace } = step.current;
  if (replace.kind !== 'replace-received') return;
  step.send({ kind: 'send', action: 'transport-accept', transport: replace.transport });
  switchTransport(step, replace.transport);
};

const onRejectReplace: LocalHandler<'reject-replace'> = (step) => {
  if (step.current.replace.kind !== 'replace-received') return;
  step.send({ kind: 'send', action: 'transport-reject' }).set({ replace: { kind: 'none' } });
};

const onTransportOpen: LocalHandler<'transport-open'> = (step) => {
  const state = step.current;
  if (state.phase !== 'active' || state.stage !== 'negotiating') return;
  step.set({ stage: 'awaiting-first-byte' }).clear('transport-negotiation').arm('first-byte');
};

const onFirstByte: LocalHandler<'first-byte'> = (step) => {
  const state = step.current;
  if (state.phase !== 'active' || state.stage === 'transferring') return;
  step.set({ stage: 'transferring' }).clear('transport-negotiation').clear('first-byte');
};

/**
 * A deadline ran out. A stale one (already cleared) does nothing. S5B negotiation out of time falls back to IBB
 * from either side. XEP-0260 §3: "The initiator MUST either terminate the Jingle session with a Jingle reason of
 * <connectivity-error/> or replace the transport with something else using the transport-replace action." A
 * responder may send transport-replace too (§7.2.15 does not restrict it): then Ferry recovers even when the
 * initiator never falls back (Smack 4.4, DESIGN.md), and crossed replaces resolve by §7.2.16.
 */
const onDeadline: LocalHandler<'deadline-expired'> = (step, event) => {
  const state = step.current;
  if (!state.armed.includes(event.deadline)) return;
  const waited = formatDuration(durationOf(state, event.deadline));
  if (event.deadline === 'transport-negotiation' && state.transport === 's5b' && state.replace.kind === 'none') {
    onReplaceTransport(step, { kind: 'replace-transport', transport: 'ibb' });
    return;
  }
  const [reason, detail] = expiry(state, event.deadline, waited);
  terminate(step, reason, detail);
};

function expiry(state: SessionState, deadline: DeadlineName, waited: string): ['timeout' | 'failed-transport', string] {
  const transport = state.transport.toUpperCase();
  switch (deadline) {
    case 'session-accept':
      return ['timeout', state.role === 'initiator' ? `not accepted within ${waited}` : `not answered within ${waited}`];
    case 'transport-negotiation': return ['failed-transport', `no ${transport} connection within ${waited}`];
    case 'transport-accept': return ['timeout', `no answer to the switch to ${replaceTarget(state)} within ${waited}`];
    case 'first-byte': return ['timeout', `connected over ${transport}, but no data within ${waited}`];
  }
}

function replaceTarget(state: SessionState): string {
  return state.replace.kind === 'none' ? 'another transport' : state.replace.transport.toUpperCase();
}

/**
 * An error came back for an action we sent. A tie-break on our transport-replace (§7.2.16) changes nothing: the
 * initiator sent its own replace before it saw ours, so that replace reaches us before its error does (in-order
 * delivery, RFC 6120 §10.1) and onTransportReplace has already accepted it; should the error come first, the
 * replace still finds ours pending and is accepted the same way. Dropping "our pending replace" here could drop
 * a newer one. An error to session-initiate, or unknown-session to anything, means the peer has no such
 * session: it ends without a session-terminate. Errors to informational messages and to session-terminate
 * change nothing; any other error ends the session.
 */
const onRequestFailed: LocalHandler<'request-failed'> = (step, event) => {
  const state = step.current;
  const jingle = jingleConditionOf(event.error);
  const { action, error } = event;
  if (action === 'session-info' || action === 'transport-info' || action === 'session-terminate') return;
  if (action === 'transport-replace' && jingle === 'tie-break') return;
  const detail = `${state.peer} refused ${action} (${jingle ?? error.condition})`;
  if (action === 'session-initiate' || jingle === 'unknown-session') {
    endSession(step, { state: 'failed', reason: detail });
    return;
  }
  terminate(step, action === 'transport-replace' || action === 'transport-accept' ? 'failed-transport' : 'general-error', detail);
};

const LOCAL: { [K in LocalEvent['kind']]: LocalHandler<K> } = {
  accept: onAccept,
  terminate: (step, event) => { terminate(step, event.reason, event.detail); },
  'replace-transport': onReplaceTransport,
  'accept-replace': onAcceptReplace,
  'reject-replace': onRejectReplace,
  'send-info': (step, event) => { step.send({ kind: 'send', action: event.action }); },
  'transport-open': onTransportOpen,
  'first-byte': onFirstByte,
  'deadline-expired': onDeadline,
  'request-failed': onRequestFailed,
};
