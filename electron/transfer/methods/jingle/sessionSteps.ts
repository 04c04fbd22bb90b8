/**
 * Building blocks of the session reducer: a step under construction (state plus effects, in order) and the
 * moves several actions share: arming and clearing deadlines, ending, terminating, switching transport.
 * Only the reducer's files use it; the builder mutates its own copies and hands back plain data.
 */
import { endOfSession, type EndedBy, type TerminateReason } from './terminateReasons';
import type {
  DeadlineName, EndState, JingleTransport, Reply, SendEffect, SessionEffect, SessionState, Step,
} from './sessionTypes';

/** A step being built; `build` freezes it into the reducer's output. */
export class StepBuilder {
  private effects: SessionEffect[] = [];

  constructor(private state: SessionState) {}

  get current(): SessionState {
    return this.state;
  }

  set(patch: Partial<SessionState>): this {
    this.state = { ...this.state, ...patch };
    return this;
  }

  effect(effect: SessionEffect): this {
    this.effects.push(effect);
    return this;
  }

  send(effect: SendEffect): this {
    return this.effect(effect);
  }

  /** Starts (or restarts) a deadline with its duration from the session's timings. */
  arm(deadline: DeadlineName): this {
    const armed = this.state.armed.filter((name) => name !== deadline);
    this.set({ armed: [...armed, deadline] });
    return this.effect({ kind: 'arm', deadline, ms: durationOf(this.state, deadline) });
  }

  /** Clears a deadline if it is armed; otherwise does nothing. */
  clear(deadline: DeadlineName): this {
    if (!this.state.armed.includes(deadline)) return this;
    this.set({ armed: this.state.armed.filter((name) => name !== deadline) });
    return this.effect({ kind: 'clear', deadline });
  }

  build(reply: Reply | null): Step {
    return { state: this.state, effects: this.effects, reply };
  }
}

/** The duration of a deadline in this session's timings. */
export function durationOf(state: SessionState, deadline: DeadlineName): number {
  const { timings } = state;
  switch (deadline) {
    case 'session-accept': return timings.sessionAcceptMs;
    case 'transport-negotiation': return timings.transportNegotiationMs;
    case 'transport-accept': return timings.transportAcceptMs;
    case 'first-byte': return timings.firstByteMs;
  }
}

/** Clears every armed deadline, enters ENDED and tells the caller how the transfer ended. */
export function endSession(step: StepBuilder, end: { state: EndState; reason: string }): StepBuilder {
  for (const deadline of step.current.armed) step.clear(deadline);
  return step.set({ phase: 'ended', end }).effect({ kind: 'end', ...end });
}

/**
 * Sends session-terminate and ends the session at once.
 *
 * XEP-0166 §6.7: "As soon as an entity sends a session-terminate action, it MUST consider the session to be in
 * the ENDED state (even before receiving acknowledgement from the other party)."
 */
export function terminate(step: StepBuilder, reason: TerminateReason, detail?: string): StepBuilder {
  const { peer } = step.current;
  step.send({ kind: 'send', action: 'session-terminate', reason });
  return endSession(step, endOfSession({ reason, by: 'local', peer, detail }));
}

/** Ends the session as the peer's session-terminate (or content-remove) said, without sending anything. */
export function endedBy(step: StepBuilder, options: { reason: string | null; text?: string | null; by: EndedBy }): StepBuilder {
  return endSession(step, endOfSession({ ...options, peer: step.current.peer }));
}

/**
 * Moves to the transport both sides agreed on in a replace: the old attempts stop, the new negotiation gets its
 * own deadline (in ACTIVE; in PENDING the session-accept deadline still bounds the session).
 */
export function switchTransport(step: StepBuilder, transport: JingleTransport): StepBuilder {
  step.set({ transport, replace: { kind: 'none' }, stage: 'negotiating' })
    .clear('transport-accept').clear('first-byte')
    .effect({ kind: 'switch-transport', transport });
  return step.current.phase === 'active' ? step.arm('transport-negotiation') : step;
}

/** "30 s", "10 min": durations in reasons. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}
