import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { step } from '../../../../../../electron/transfer/methods/jingle/sessionState';
import type {
  DeadlineName, JingleRole, LocalEvent, ReceivedAction, SentAction, SessionEvent, SessionState, Step,
} from '../../../../../../electron/transfer/methods/jingle/sessionTypes';
import {
  JULIET, ROMEO, localArbitrary, pending, receivedArbitrary, run,
} from '../../../../../support/jingleSessions';

const roles = fc.constantFrom<JingleRole>('initiator', 'responder');

/** A role and a run of mixed events from its PENDING start. */
const runs = roles.chain((role) => {
  const start = pending(role);
  const event: fc.Arbitrary<SessionEvent> = fc.oneof(receivedArbitrary(start.peer), localArbitrary);
  return fc.tuple(fc.constant(start), fc.array(event, { maxLength: 40 }));
});

/** The armed set the effects describe: arms add, clears remove. */
function replay(armed: readonly DeadlineName[], result: Step): DeadlineName[] {
  let set = [...armed];
  for (const effect of result.effects) {
    if (effect.kind === 'arm') set = [...set.filter((name) => name !== effect.deadline), effect.deadline];
    if (effect.kind === 'clear') {
      expect(set).toContain(effect.deadline);
      set = set.filter((name) => name !== effect.deadline);
    }
  }
  return set;
}

describe('session reducer properties (XEP-0166 §5.1, §6.7)', () => {
  it('answers every received action with exactly one reply, and no local event with one', () => {
    fc.assert(fc.property(runs, ([start, events]) => {
      run(start, events).forEach((result, index) => {
        expect(result.reply === null).toBe(events[index].kind !== 'received');
      });
    }));
  });

  it('never changes an ENDED state, whatever comes after (XEP-0166 §6.7)', () => {
    fc.assert(fc.property(runs, ([start, events]) => {
      let endedState: SessionState | null = null;
      for (const result of run(start, events)) {
        if (endedState !== null) {
          expect(result.state).toBe(endedState);
          expect(result.effects).toEqual([]);
        } else if (result.state.phase === 'ended') endedState = result.state;
      }
    }));
  });

  it('ends the transfer exactly once, when the session reaches ENDED, with every deadline cleared', () => {
    fc.assert(fc.property(runs, ([start, events]) => {
      const steps = run(start, events);
      const ends = steps.flatMap((result) => result.effects.filter((effect) => effect.kind === 'end'));
      const last = steps.length === 0 ? start : steps[steps.length - 1].state;
      expect(ends.length).toBe(last.phase === 'ended' ? 1 : 0);
      if (last.phase === 'ended') expect(last.armed).toEqual([]);
    }));
  });

  it('keeps its armed deadlines in step with the arm/clear effects, and clears only what is armed', () => {
    fc.assert(fc.property(runs, ([start, events]) => {
      let armed: readonly DeadlineName[] = start.armed;
      for (const result of run(start, events)) {
        armed = replay(armed, result);
        expect([...result.state.armed].sort()).toEqual([...armed].sort());
      }
    }));
  });

  it('leaves state and effects untouched when it replies with an error (XEP-0166 §10)', () => {
    fc.assert(fc.property(runs, ([start, events]) => {
      let state = start;
      for (const event of events) {
        const result = step(state, event);
        if (result.reply?.kind === 'error') {
          expect(result.state).toBe(state);
          expect(result.effects).toEqual([]);
        }
        state = result.state;
      }
    }));
  });
});

/** Two Ferry sides over in-order streams (RFC 6120 §10.1): sends become the peer's received actions, errors come back. */
interface Wire {
  sides: Record<JingleRole, SessionState>;
  inbox: Record<JingleRole, SessionEvent[]>;
  terminates: number;
}

const other = (role: JingleRole): JingleRole => (role === 'initiator' ? 'responder' : 'initiator');

function apply(wire: Wire, role: JingleRole, event: SessionEvent): void {
  const result = step(wire.sides[role], event);
  wire.sides[role] = result.state;
  const own = role === 'initiator' ? ROMEO : JULIET;
  for (const effect of result.effects) {
    if (effect.kind !== 'send') continue;
    if (effect.action === 'session-terminate') wire.terminates += 1;
    const received: ReceivedAction = { kind: 'received', from: own, action: effect.action };
    if (effect.action === 'session-terminate') received.reason = effect.reason;
    if (effect.action === 'transport-replace' || effect.action === 'transport-accept') received.transport = effect.transport;
    wire.inbox[other(role)].push(received);
  }
  if (event.kind === 'received' && result.reply?.kind === 'error') {
    wire.inbox[other(role)].push({ kind: 'request-failed', action: event.action as SentAction, error: result.reply.error });
  }
}

const twoPartyLocal: fc.Arbitrary<LocalEvent> = localArbitrary.filter((event) => event.kind !== 'request-failed') as fc.Arbitrary<LocalEvent>;
type Command = { kind: 'local'; role: JingleRole; event: LocalEvent } | { kind: 'deliver'; role: JingleRole };
const commands: fc.Arbitrary<Command[]> = fc.array(fc.oneof(
  fc.record({ kind: fc.constant('local' as const), role: roles, event: twoPartyLocal }),
  fc.record({ kind: fc.constant('deliver' as const), role: roles }),
), { maxLength: 40 });

function converse(script: readonly Command[]): Wire {
  const wire: Wire = { sides: { initiator: pending('initiator'), responder: pending('responder') }, inbox: { initiator: [], responder: [] }, terminates: 0 };
  for (const command of script) {
    if (command.kind === 'local') apply(wire, command.role, command.event);
    const next = command.kind === 'deliver' ? wire.inbox[command.role].shift() : undefined;
    if (next) apply(wire, command.role, next);
  }
  for (let guard = 0; guard < 100 && (wire.inbox.initiator.length > 0 || wire.inbox.responder.length > 0); guard += 1) {
    for (const role of ['initiator', 'responder'] as const) {
      const next = wire.inbox[role].shift();
      if (next) apply(wire, role, next);
    }
  }
  return wire;
}

describe('two Ferry sides in conversation (XEP-0166 §6.7, §7.2.16)', () => {
  it('once every stanza is delivered: both ENDED or neither; one terminate → the same end state on both sides', () => {
    fc.assert(fc.property(commands, (script) => {
      const { sides, terminates } = converse(script);
      expect(sides.initiator.phase === 'ended').toBe(sides.responder.phase === 'ended');
      if (terminates === 1) expect(sides.initiator.end?.state).toBe(sides.responder.end?.state);
    }));
  });

  it('once every stanza is delivered and no replace is pending: both sides use the same transport (XEP-0166 §7.2.16)', () => {
    fc.assert(fc.property(commands, (script) => {
      const { sides } = converse(script);
      const settled = sides.initiator.replace.kind === 'none' && sides.responder.replace.kind === 'none';
      if (settled && sides.initiator.phase !== 'ended') expect(sides.initiator.transport).toBe(sides.responder.transport);
    }));
  });
});

describe('crossed transport-replace in any delivery order (XEP-0166 §7.2.16)', () => {
  const transports = fc.constantFrom('s5b' as const, 'ibb' as const);

  it('both sides settle on the initiator\'s transport, nothing pending, session still up', () => {
    fc.assert(fc.property(transports, transports, fc.array(roles, { maxLength: 8 }), (byInitiator, byResponder, order) => {
      const wire = converse([
        { kind: 'local', role: 'responder', event: { kind: 'accept' } }, { kind: 'deliver', role: 'initiator' },
        { kind: 'local', role: 'initiator', event: { kind: 'replace-transport', transport: byInitiator } },
        { kind: 'local', role: 'responder', event: { kind: 'replace-transport', transport: byResponder } },
        ...order.map((role): Command => ({ kind: 'deliver', role })),
      ]);
      for (const side of [wire.sides.initiator, wire.sides.responder]) {
        expect(side).toMatchObject({ phase: 'active', transport: byInitiator, replace: { kind: 'none' } });
      }
    }));
  });
});
