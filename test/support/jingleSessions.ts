/** Jingle session states for the reducer tests, reached by driving the reducer itself (never hand-built). */
import fc from 'fast-check';
import { startSession, step } from '../../electron/transfer/methods/jingle/sessionState';
import { TERMINATE_REASONS } from '../../electron/transfer/methods/jingle/terminateReasons';
import type {
  JingleRole, JingleTimings, ReceivedAction, SessionEvent, SessionState, Step,
} from '../../electron/transfer/methods/jingle/sessionTypes';
import { stanzaError } from '../../electron/xmpp/xep/stanzaErrors';

export const ROMEO = 'romeo@montague.lit/orchard';
export const JULIET = 'juliet@capulet.lit/balcony';

/** Short, distinct durations so an effect's ms says which deadline it is. */
export const TIMINGS: JingleTimings = { sessionAcceptMs: 600_000, transportNegotiationMs: 30_000, transportAcceptMs: 20_000, firstByteMs: 45_000 };

/** Romeo initiates, Juliet responds: each side's peer is the other. */
export function peerOf(role: JingleRole): string {
  return role === 'initiator' ? JULIET : ROMEO;
}

/** A received action from the peer of `state`. */
export function from(state: SessionState, action: string, extra: Partial<ReceivedAction> = {}): ReceivedAction {
  return { kind: 'received', from: state.peer, action, ...extra };
}

/** Steps through events in order, returning every step. */
export function run(state: SessionState, events: readonly SessionEvent[]): Step[] {
  const steps: Step[] = [];
  let current = state;
  for (const event of events) {
    const next = step(current, event);
    steps.push(next);
    current = next.state;
  }
  return steps;
}

/** The state after the events. */
export function after(state: SessionState, events: readonly SessionEvent[]): SessionState {
  const steps = run(state, events);
  return steps.length === 0 ? state : steps[steps.length - 1].state;
}

export function pending(role: JingleRole): SessionState {
  return startSession({ role, peer: peerOf(role), transport: 's5b', timings: TIMINGS }).state;
}

export function active(role: JingleRole): SessionState {
  const start = pending(role);
  return role === 'initiator' ? after(start, [from(start, 'session-accept')]) : after(start, [{ kind: 'accept' }]);
}

export function replaceSent(role: JingleRole): SessionState {
  return after(active(role), [{ kind: 'replace-transport', transport: 'ibb' }]);
}

export function replaceReceived(role: JingleRole): SessionState {
  const start = active(role);
  return after(start, [from(start, 'transport-replace', { transport: 'ibb' })]);
}

export function transferring(role: JingleRole): SessionState {
  return after(active(role), [{ kind: 'transport-open' }, { kind: 'first-byte' }]);
}

export function ended(role: JingleRole): SessionState {
  return after(active(role), [{ kind: 'terminate', reason: 'cancel' }]);
}

/** Every named state, by role, for tables. */
export const STATES = { pending, active, replaceSent, replaceReceived, transferring, ended } as const;
export type StateName = keyof typeof STATES;

const ACTIONS = [
  'session-initiate', 'session-accept', 'session-terminate', 'session-info', 'transport-info', 'transport-replace',
  'transport-accept', 'transport-reject', 'content-add', 'content-accept', 'content-reject', 'content-modify',
  'content-remove', 'description-info', 'security-info', 'session-ping', 'bogus',
];

const payloads = fc.option(fc.constantFrom(
  { ns: 'urn:xmpp:jingle:apps:file-transfer:5', name: 'received' },
  { ns: 'urn:xmpp:jingle:transports:s5b:1', name: 'candidate-used' },
  { ns: 'urn:xmpp:jingle:apps:rtp:1:info', name: 'ringing' },
), { nil: null });

/** Any received action, from the peer or (rarely) from a stranger. */
export function receivedArbitrary(peer: string): fc.Arbitrary<ReceivedAction> {
  return fc.record({
    kind: fc.constant('received' as const),
    from: fc.oneof({ weight: 9, arbitrary: fc.constant(peer) }, { weight: 1, arbitrary: fc.constant('mallory@evil.example/x') }),
    action: fc.constantFrom(...ACTIONS),
    reason: fc.option(fc.constantFrom(...TERMINATE_REASONS, 'not-a-reason'), { nil: null }),
    transport: fc.constantFrom('s5b' as const, 'ibb' as const),
    payload: payloads,
  });
}

/** Any local event. */
export const localArbitrary: fc.Arbitrary<SessionEvent> = fc.oneof(
  fc.constant({ kind: 'accept' as const }),
  fc.constantFrom(...TERMINATE_REASONS).map((reason) => ({ kind: 'terminate' as const, reason })),
  fc.constantFrom('s5b' as const, 'ibb' as const).map((transport) => ({ kind: 'replace-transport' as const, transport })),
  fc.constant({ kind: 'accept-replace' as const }),
  fc.constant({ kind: 'reject-replace' as const }),
  fc.constant({ kind: 'transport-open' as const }),
  fc.constant({ kind: 'first-byte' as const }),
  fc.constantFrom('session-accept' as const, 'transport-negotiation' as const, 'transport-accept' as const, 'first-byte' as const)
    .map((deadline) => ({ kind: 'deadline-expired' as const, deadline })),
  fc.constantFrom('transport-replace' as const, 'session-accept' as const, 'transport-info' as const).map((action) => ({
    kind: 'request-failed' as const, action,
    error: stanzaError('conflict', { appCondition: { name: 'tie-break', ns: 'urn:xmpp:jingle:errors:1' } }),
  })),
);
