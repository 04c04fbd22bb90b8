import { describe, expect, it } from 'vitest';
import { startSession, step } from '../../../../../../electron/transfer/methods/jingle/sessionState';
import { NS_JINGLE_ERRORS, TIE_BREAK } from '../../../../../../electron/transfer/methods/jingle/sessionReplies';
import type {
  ReceivedAction, SessionEffect, SessionState, Step,
} from '../../../../../../electron/transfer/methods/jingle/sessionTypes';
import { stanzaError } from '../../../../../../electron/xmpp/xep/stanzaErrors';
import {
  JULIET, ROMEO, TIMINGS, active, after, ended, from, pending, replaceReceived, replaceSent, transferring,
} from '../../../../../support/jingleSessions';

/** What the other side receives for our send effects: Romeo is the initiator, Juliet the responder. */
function wire(sender: SessionState, effects: readonly SessionEffect[]): ReceivedAction[] {
  const own = sender.role === 'initiator' ? ROMEO : JULIET;
  return effects.flatMap((effect): ReceivedAction[] => {
    if (effect.kind !== 'send') return [];
    const reason = effect.action === 'session-terminate' ? effect.reason : null;
    const transport = effect.action === 'transport-replace' || effect.action === 'transport-accept' ? effect.transport : undefined;
    return [{ kind: 'received', from: own, action: effect.action, reason, transport }];
  });
}

const tieBreakError = stanzaError('conflict', { type: 'cancel', appCondition: { name: 'tie-break', ns: NS_JINGLE_ERRORS } });

describe('starting a session (XEP-0166 §6.2, §6.3.1)', () => {
  it('initiator: sends session-initiate and arms the session-accept deadline (XEP-0166 §6.2)', () => {
    const start = startSession({ role: 'initiator', peer: JULIET, transport: 's5b', timings: TIMINGS });
    expect(start.reply).toBeNull();
    expect(start.effects).toEqual([
      { kind: 'send', action: 'session-initiate' }, { kind: 'arm', deadline: 'session-accept', ms: 600_000 },
    ]);
    expect(start.state).toMatchObject({ phase: 'pending', replace: { kind: 'none' }, transport: 's5b', armed: ['session-accept'] });
  });

  it('responder: acknowledges the session-initiate and arms the deadline for the user\'s answer (XEP-0166 §6.3.1 MUST)', () => {
    const start = startSession({ role: 'responder', peer: ROMEO, transport: 'ibb', timings: TIMINGS });
    expect(start.reply).toEqual({ kind: 'result' });
    expect(start.effects).toEqual([{ kind: 'arm', deadline: 'session-accept', ms: 600_000 }]);
  });
});

describe('accepting (XEP-0166 §6.5)', () => {
  it('responder: sends session-accept only when told to, then negotiates the transport under a deadline (XEP-0166 §6.5 SHOULD NOT before the user agrees)', () => {
    const accepted = step(pending('responder'), { kind: 'accept' });
    expect(accepted.effects).toEqual([
      { kind: 'send', action: 'session-accept' },
      { kind: 'clear', deadline: 'session-accept' },
      { kind: 'arm', deadline: 'transport-negotiation', ms: 30_000 },
    ]);
    expect(accepted.state.phase).toBe('active');
  });

  it('initiator: on session-accept clears the accept deadline and arms the negotiation one (XEP-0166 §6.5)', () => {
    const state = pending('initiator');
    expect(step(state, from(state, 'session-accept')).effects).toEqual([
      { kind: 'clear', deadline: 'session-accept' }, { kind: 'arm', deadline: 'transport-negotiation', ms: 30_000 },
    ]);
  });

  it('ignores accept from the initiator, or twice (XEP-0166 §6.5: the responder accepts, once)', () => {
    for (const state of [pending('initiator'), active('responder')]) {
      expect(step(state, { kind: 'accept' })).toEqual({ state, effects: [], reply: null });
    }
  });

  it('arms the first-byte deadline once the transport opens and clears it at the first byte', () => {
    const open = step(active('initiator'), { kind: 'transport-open' });
    expect(open.effects).toEqual([
      { kind: 'clear', deadline: 'transport-negotiation' }, { kind: 'arm', deadline: 'first-byte', ms: 45_000 },
    ]);
    const flowing = step(open.state, { kind: 'first-byte' });
    expect(flowing.effects).toEqual([{ kind: 'clear', deadline: 'first-byte' }]);
    expect(flowing.state).toMatchObject({ stage: 'transferring', armed: [] });
  });
});

describe('terminating (XEP-0166 §6.7)', () => {
  it('initiator cancels before accept: sends cancel and is ENDED at once (XEP-0166 §6.7 MUST)', () => {
    const cancelled = step(pending('initiator'), { kind: 'terminate', reason: 'cancel' });
    expect(cancelled.effects).toEqual([
      { kind: 'send', action: 'session-terminate', reason: 'cancel' },
      { kind: 'clear', deadline: 'session-accept' },
      { kind: 'end', state: 'cancelled', reason: 'cancelled' },
    ]);
    expect(cancelled.state.phase).toBe('ended');
  });

  it('responder gets the cancel before accepting: "cancelled by <initiator>" (XEP-0166 §6.7)', () => {
    const state = pending('responder');
    const got = step(state, from(state, 'session-terminate', { reason: 'cancel' }));
    expect(got.effects).toEqual([
      { kind: 'clear', deadline: 'session-accept' }, { kind: 'end', state: 'cancelled', reason: `cancelled by ${ROMEO}` },
    ]);
  });

  it('responder declines before accept; the initiator reads "declined by <responder>" (XEP-0166 §6.7 decline)', () => {
    const declined = step(pending('responder'), { kind: 'terminate', reason: 'decline' });
    expect(declined.effects).toContainEqual({ kind: 'end', state: 'declined', reason: 'declined' });
    const [received] = wire(pending('responder'), declined.effects);
    const initiator = step(pending('initiator'), received);
    expect(initiator.effects).toContainEqual({ kind: 'end', state: 'declined', reason: `declined by ${JULIET}` });
  });

  it('ends done on a received success, quoting the peer\'s <text/> without control characters (XEP-0166 §7.4)', () => {
    const state = transferring('responder');
    const got = step(state, from(state, 'session-terminate', { reason: 'success', text: 'all\u0000 good' }));
    expect(got.effects).toEqual([{ kind: 'end', state: 'done', reason: 'completed: "all good"' }]);
  });

  it('ignores every local event once ENDED (XEP-0166 §6.7)', () => {
    const state = ended('initiator');
    for (const event of [{ kind: 'terminate', reason: 'success' }, { kind: 'accept' }, { kind: 'deadline-expired', deadline: 'first-byte' }] as const) {
      expect(step(state, event)).toEqual({ state, effects: [], reply: null });
    }
  });

  it('acknowledges content-remove of the only content, terminates with its reason and ends (XEP-0234 §6.5 MUST)', () => {
    const state = transferring('initiator');
    const removed = step(state, from(state, 'content-remove', { reason: 'media-error' }));
    expect(removed.effects).toEqual([
      { kind: 'send', action: 'session-terminate', reason: 'media-error' },
      { kind: 'end', state: 'failed', reason: `the file data could not be processed (reported by ${JULIET})` },
    ]);
  });
});

describe('transport replacement (XEP-0166 §7.2.12, §7.2.14, §7.2.15; XEP-0260 §3)', () => {
  it('accept path: replace → decide → transport-accept → both on IBB with a fresh negotiation deadline (XEP-0260 §3)', () => {
    const sent = step(active('initiator'), { kind: 'replace-transport', transport: 'ibb' });
    expect(sent.effects).toEqual([
      { kind: 'send', action: 'transport-replace', transport: 'ibb' },
      { kind: 'clear', deadline: 'transport-negotiation' },
      { kind: 'arm', deadline: 'transport-accept', ms: 20_000 },
    ]);
    const [replace] = wire(sent.state, sent.effects);
    const asked = step(active('responder'), replace);
    expect(asked.effects).toEqual([{ kind: 'decide-replace', transport: 'ibb' }]);
    const accepted = step(asked.state, { kind: 'accept-replace' });
    expect(accepted.effects).toEqual([
      { kind: 'send', action: 'transport-accept', transport: 'ibb' },
      { kind: 'switch-transport', transport: 'ibb' },
      { kind: 'arm', deadline: 'transport-negotiation', ms: 30_000 },
    ]);
    const done = step(sent.state, wire(accepted.state, accepted.effects)[0]);
    expect(done.effects).toEqual([
      { kind: 'clear', deadline: 'transport-accept' },
      { kind: 'switch-transport', transport: 'ibb' },
      { kind: 'arm', deadline: 'transport-negotiation', ms: 30_000 },
    ]);
    expect([done.state.transport, accepted.state.transport]).toEqual(['ibb', 'ibb']);
  });

  it('reject path: transport-reject ends the one-content session with failed-transport (XEP-0166 §7.2.14, §6.7)', () => {
    const rejected = step(replaceReceived('responder'), { kind: 'reject-replace' });
    expect(rejected.effects).toEqual([{ kind: 'send', action: 'transport-reject' }]);
    expect(rejected.state.replace).toEqual({ kind: 'none' });
    const got = step(replaceSent('initiator'), wire(rejected.state, rejected.effects)[0]);
    expect(got.effects).toEqual([
      { kind: 'clear', deadline: 'transport-accept' },
      { kind: 'send', action: 'session-terminate', reason: 'failed-transport' },
      { kind: 'end', state: 'failed', reason: `${JULIET} refused to switch to IBB` },
    ]);
  });

  it('sends no second replace while one is pending, and answers none it never got (XEP-0166 §7.2.15)', () => {
    const state = replaceSent('responder');
    expect(step(state, { kind: 'replace-transport', transport: 'ibb' }).effects).toEqual([]);
    expect(step(active('responder'), { kind: 'accept-replace' }).effects).toEqual([]);
  });
});

describe('crossed transport-replace (XEP-0166 §7.2.16: the initiator\'s action overrules)', () => {
  function crossed(): { initiator: SessionState; responder: SessionState; fromInitiator: ReceivedAction; fromResponder: ReceivedAction } {
    const i = step(active('initiator'), { kind: 'replace-transport', transport: 'ibb' });
    const r = step(active('responder'), { kind: 'replace-transport', transport: 'ibb' });
    return { initiator: i.state, responder: r.state, fromInitiator: wire(i.state, i.effects)[0], fromResponder: wire(r.state, r.effects)[0] };
  }

  it('initiator: returns conflict + tie-break to the responder\'s replace and keeps its own (§7.2.16 MUST, SHOULD tie-break)', () => {
    const { initiator, fromResponder } = crossed();
    expect(step(initiator, fromResponder)).toEqual({ state: initiator, effects: [], reply: TIE_BREAK });
  });

  it('responder: acknowledges the initiator\'s replace and accepts it at once (§7.2.16: both parties MUST accept the initiator\'s)', () => {
    const { responder, fromInitiator } = crossed();
    const got: Step = step(responder, fromInitiator);
    expect(got.reply).toEqual({ kind: 'result' });
    expect(got.effects).toEqual([
      { kind: 'send', action: 'transport-accept', transport: 'ibb' },
      { kind: 'clear', deadline: 'transport-accept' },
      { kind: 'switch-transport', transport: 'ibb' },
      { kind: 'arm', deadline: 'transport-negotiation', ms: 30_000 },
    ]);
    const afterError = step(got.state, { kind: 'request-failed', action: 'transport-replace', error: tieBreakError });
    expect(afterError.effects).toEqual([]);
  });

  it('both sides end on IBB with nothing pending, even if the tie-break error overtook the initiator\'s replace (§7.2.16)', () => {
    const { initiator, responder, fromInitiator } = crossed();
    const errorFirst = after(responder, [{ kind: 'request-failed', action: 'transport-replace', error: tieBreakError }]);
    expect(errorFirst).toBe(responder);
    for (const responderSteps of [step(responder, fromInitiator), step(errorFirst, fromInitiator)]) {
      const finalInitiator = after(initiator, wire(responderSteps.state, responderSteps.effects));
      for (const side of [finalInitiator, responderSteps.state]) {
        expect(side).toMatchObject({ transport: 'ibb', replace: { kind: 'none' }, armed: ['transport-negotiation'] });
      }
    }
  });
});

describe('deadlines (every stage is bounded)', () => {
  it('initiator: no session-accept in time → terminate timeout, failed "not accepted within 10 min" (XEP-0166 §7.4 timeout)', () => {
    const got = step(pending('initiator'), { kind: 'deadline-expired', deadline: 'session-accept' });
    expect(got.effects).toEqual([
      { kind: 'send', action: 'session-terminate', reason: 'timeout' },
      { kind: 'clear', deadline: 'session-accept' },
      { kind: 'end', state: 'failed', reason: 'not accepted within 10 min' },
    ]);
  });

  it.each(['initiator', 'responder'] as const)('%s: S5B negotiation out of time → transport-replace to IBB (XEP-0260 §3)', (role) => {
    const got = step(active(role), { kind: 'deadline-expired', deadline: 'transport-negotiation' });
    expect(got.effects).toEqual([
      { kind: 'send', action: 'transport-replace', transport: 'ibb' },
      { kind: 'clear', deadline: 'transport-negotiation' },
      { kind: 'arm', deadline: 'transport-accept', ms: 20_000 },
    ]);
  });

  it('IBB negotiation out of time → failed-transport: nothing left to fall back to (XEP-0166 §6.7)', () => {
    const onIbb = after(replaceSent('initiator'), [from(replaceSent('initiator'), 'transport-accept')]);
    const got = step(onIbb, { kind: 'deadline-expired', deadline: 'transport-negotiation' });
    expect(got.effects).toContainEqual({ kind: 'send', action: 'session-terminate', reason: 'failed-transport' });
    expect(got.effects).toContainEqual({ kind: 'end', state: 'failed', reason: 'no IBB connection within 30 s' });
  });

  it('no transport-accept in time → terminate timeout (XEP-0166 §7.4 timeout)', () => {
    const got = step(replaceSent('responder'), { kind: 'deadline-expired', deadline: 'transport-accept' });
    expect(got.effects).toContainEqual({ kind: 'end', state: 'failed', reason: 'no answer to the switch to IBB within 20 s' });
  });

  it('no first byte in time → terminate timeout', () => {
    const open = after(active('responder'), [{ kind: 'transport-open' }]);
    const got = step(open, { kind: 'deadline-expired', deadline: 'first-byte' });
    expect(got.effects).toContainEqual({ kind: 'end', state: 'failed', reason: 'connected over S5B, but no data within 45 s' });
  });

  it('ignores a deadline that is not armed (a timer that fired after it was cleared)', () => {
    const state = transferring('initiator');
    expect(step(state, { kind: 'deadline-expired', deadline: 'first-byte' })).toEqual({ state, effects: [], reply: null });
  });
});

describe('errors returned to our requests', () => {
  it('an error to session-initiate ends the transfer without a session-terminate: the peer has no session (XEP-0166 §6.3.2)', () => {
    const got = step(pending('initiator'), { kind: 'request-failed', action: 'session-initiate', error: stanzaError('service-unavailable') });
    expect(got.effects).toEqual([
      { kind: 'clear', deadline: 'session-accept' },
      { kind: 'end', state: 'failed', reason: `${JULIET} refused session-initiate (service-unavailable)` },
    ]);
  });

  it('unknown-session to any request ends without a session-terminate (XEP-0166 §6.7)', () => {
    const error = stanzaError('item-not-found', { appCondition: { name: 'unknown-session', ns: NS_JINGLE_ERRORS } });
    const got = step(replaceReceived('responder'), { kind: 'request-failed', action: 'transport-accept', error });
    expect(got.effects.some((effect) => effect.kind === 'send')).toBe(false);
    expect(got.state.phase).toBe('ended');
  });

  it('another error to transport-replace terminates with failed-transport; errors to informational messages change nothing', () => {
    const got = step(replaceSent('initiator'), { kind: 'request-failed', action: 'transport-replace', error: stanzaError('bad-request') });
    expect(got.effects[0]).toEqual({ kind: 'send', action: 'session-terminate', reason: 'failed-transport' });
    const state = active('initiator');
    expect(step(state, { kind: 'request-failed', action: 'transport-info', error: stanzaError('bad-request') }).state).toBe(state);
  });
});
