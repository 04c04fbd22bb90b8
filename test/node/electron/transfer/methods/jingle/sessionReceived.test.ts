import { describe, expect, it } from 'vitest';
import { step } from '../../../../../../electron/transfer/methods/jingle/sessionState';
import { jingleConditionOf } from '../../../../../../electron/transfer/methods/jingle/sessionReplies';
import type {
  JingleRole, ReceivedAction, Reply, SessionPhase, Step,
} from '../../../../../../electron/transfer/methods/jingle/sessionTypes';
import { JULIET, ROMEO, STATES, from, type StateName } from '../../../../../support/jingleSessions';

/** 'result', the Jingle condition of an error, or its XMPP condition when it has none. */
function replyName(reply: Reply | null): string {
  if (reply === null) return 'none';
  if (reply.kind === 'result') return 'result';
  return jingleConditionOf(reply.error) ?? reply.error.condition;
}

function receiveIn(role: JingleRole, name: StateName, action: string, extra: Partial<ReceivedAction> = {}): Step {
  const state = STATES[name](role);
  return step(state, from(state, action, extra));
}

const S5B_USED = { ns: 'urn:xmpp:jingle:transports:s5b:1', name: 'candidate-used' };
const FT_RECEIVED = { ns: 'urn:xmpp:jingle:apps:file-transfer:5', name: 'received' };
const RTP_RINGING = { ns: 'urn:xmpp:jingle:apps:rtp:1:info', name: 'ringing' };

type Row = [title: string, role: JingleRole, state: StateName, action: string, extra: Partial<ReceivedAction>, reply: string, phase: SessionPhase];

const ROWS: Row[] = [
  // session-accept
  ['moves PENDING to ACTIVE on session-accept (XEP-0166 §5.1, §6.5)', 'initiator', 'pending', 'session-accept', {}, 'result', 'active'],
  ['refuses a second session-accept as out-of-order (XEP-0166 §10)', 'initiator', 'active', 'session-accept', {}, 'out-of-order', 'active'],
  ['refuses session-accept sent to the responder as out-of-order (XEP-0166 §6.5: only the responder accepts)', 'responder', 'pending', 'session-accept', {}, 'out-of-order', 'pending'],
  ['refuses session-accept to an accepting responder as out-of-order (XEP-0166 §6.5)', 'responder', 'active', 'session-accept', {}, 'out-of-order', 'active'],
  // session-initiate
  ['refuses session-initiate on an existing session as out-of-order (XEP-0166 §10 example)', 'responder', 'pending', 'session-initiate', {}, 'out-of-order', 'pending'],
  ['refuses session-initiate after session-accept as out-of-order (XEP-0166 §10 example)', 'initiator', 'active', 'session-initiate', {}, 'out-of-order', 'active'],
  // session-terminate
  ['acknowledges session-terminate before accept and ends (XEP-0166 §6.7)', 'initiator', 'pending', 'session-terminate', { reason: 'decline' }, 'result', 'ended'],
  ['acknowledges session-terminate from the initiator before accept and ends (XEP-0166 §6.7)', 'responder', 'pending', 'session-terminate', { reason: 'cancel' }, 'result', 'ended'],
  ['acknowledges session-terminate while transferring (XEP-0166 §6.7)', 'responder', 'transferring', 'session-terminate', { reason: 'success' }, 'result', 'ended'],
  ['acknowledges session-terminate during a replace (XEP-0166 §6.7)', 'initiator', 'replaceSent', 'session-terminate', { reason: 'failed-transport' }, 'result', 'ended'],
  // session-info
  ['answers an empty session-info (a ping) with a result (XEP-0166 §6.8)', 'initiator', 'active', 'session-info', { payload: null }, 'result', 'active'],
  ['answers a ping in PENDING with a result too (XEP-0166 §5.1, §6.8)', 'responder', 'pending', 'session-info', {}, 'result', 'pending'],
  ['acknowledges an understood session-info payload (XEP-0234 §8.1 received)', 'initiator', 'transferring', 'session-info', { payload: FT_RECEIVED }, 'result', 'active'],
  ['answers an unknown session-info payload with unsupported-info (XEP-0166 §6.8 MUST)', 'initiator', 'active', 'session-info', { payload: RTP_RINGING }, 'unsupported-info', 'active'],
  ['answers session-info from XEP-0260 (a transport payload) with unsupported-info (XEP-0166 §6.8)', 'responder', 'active', 'session-info', { payload: S5B_USED }, 'unsupported-info', 'active'],
  // transport-info
  ['acknowledges a candidate-used transport-info (XEP-0260 §2.3)', 'initiator', 'active', 'transport-info', { payload: S5B_USED }, 'result', 'active'],
  ['acknowledges transport-info in PENDING (XEP-0166 §5.1 allows it)', 'initiator', 'pending', 'transport-info', { payload: S5B_USED }, 'result', 'pending'],
  ['answers an unknown transport-info payload with unsupported-info (XEP-0166 §6.8)', 'responder', 'active', 'transport-info', { payload: RTP_RINGING }, 'unsupported-info', 'active'],
  ['answers an extra IBB session (XEP-0261 §2.4) with unsupported-info (XEP-0166 §6.8)', 'responder', 'active', 'transport-info', { payload: { ns: 'urn:xmpp:jingle:transports:ibb:1', name: 'transport' } }, 'unsupported-info', 'active'],
  // transport-replace / accept / reject
  ['acknowledges transport-replace and asks the caller to decide (XEP-0166 §7.2.15)', 'responder', 'active', 'transport-replace', { transport: 'ibb' }, 'result', 'active'],
  ['acknowledges transport-replace in PENDING (XEP-0166 §5.1)', 'initiator', 'pending', 'transport-replace', { transport: 'ibb' }, 'result', 'pending'],
  ['refuses a transport-replace without a transport as bad-request (XEP-0166 §7.2.15)', 'responder', 'active', 'transport-replace', {}, 'bad-request', 'active'],
  ['refuses a second transport-replace before the first is answered as out-of-order (XEP-0166 §10)', 'responder', 'replaceReceived', 'transport-replace', { transport: 'ibb' }, 'out-of-order', 'active'],
  ['initiator: answers the responder\'s crossing transport-replace with conflict + tie-break (XEP-0166 §7.2.16)', 'initiator', 'replaceSent', 'transport-replace', { transport: 'ibb' }, 'tie-break', 'active'],
  ['responder: acknowledges the initiator\'s crossing transport-replace (XEP-0166 §7.2.16)', 'responder', 'replaceSent', 'transport-replace', { transport: 'ibb' }, 'result', 'active'],
  ['acknowledges transport-accept of our replace (XEP-0166 §7.2.12)', 'initiator', 'replaceSent', 'transport-accept', { transport: 'ibb' }, 'result', 'active'],
  ['refuses transport-accept with no replace pending as out-of-order (XEP-0166 §7.2.12, §10)', 'initiator', 'active', 'transport-accept', {}, 'out-of-order', 'active'],
  ['refuses transport-accept of the peer\'s own replace as out-of-order (XEP-0166 §7.2.12)', 'responder', 'replaceReceived', 'transport-accept', {}, 'out-of-order', 'active'],
  ['acknowledges transport-reject and ends with failed-transport (XEP-0166 §7.2.14, §6.7)', 'initiator', 'replaceSent', 'transport-reject', {}, 'result', 'ended'],
  ['refuses transport-reject with no replace pending as out-of-order (XEP-0166 §7.2.14, §10)', 'responder', 'transferring', 'transport-reject', {}, 'out-of-order', 'active'],
  // content-*
  ['acknowledges content-add and rejects the content (XEP-0166 §7.2.2)', 'initiator', 'active', 'content-add', {}, 'result', 'active'],
  ['refuses content-accept as out-of-order: Ferry never adds content (XEP-0166 §7.2.1)', 'responder', 'active', 'content-accept', {}, 'out-of-order', 'active'],
  ['refuses content-reject as out-of-order: Ferry never adds content (XEP-0166 §7.2.4)', 'initiator', 'active', 'content-reject', {}, 'out-of-order', 'active'],
  ['acknowledges content-modify and keeps the direction (XEP-0166 §7.2.3)', 'responder', 'active', 'content-modify', {}, 'result', 'active'],
  ['acknowledges content-remove of the only content and terminates (XEP-0234 §6.5, XEP-0166 §7.2.5)', 'initiator', 'transferring', 'content-remove', { reason: 'cancel' }, 'result', 'ended'],
  // others
  ['answers description-info with unsupported-info (XEP-0166 §6.8)', 'initiator', 'active', 'description-info', { payload: RTP_RINGING }, 'unsupported-info', 'active'],
  ['answers security-info with feature-not-implemented: no precondition offered (XEP-0166 §9)', 'responder', 'active', 'security-info', {}, 'feature-not-implemented', 'active'],
  ['answers an undefined action with bad-request (XEP-0166 §7.2 MUST)', 'initiator', 'active', 'session-ping', {}, 'bad-request', 'active'],
  ['answers an undefined action in PENDING with bad-request (XEP-0166 §7.2)', 'responder', 'pending', 'bogus', {}, 'bad-request', 'pending'],
  // ENDED
  ['answers anything after session-terminate with unknown-session (XEP-0166 §6.7 MUST)', 'initiator', 'ended', 'session-info', {}, 'unknown-session', 'ended'],
  ['answers session-terminate after our own with unknown-session (XEP-0166 §6.7)', 'responder', 'ended', 'session-terminate', { reason: 'success' }, 'unknown-session', 'ended'],
  ['answers an undefined action after the end with unknown-session (XEP-0166 §6.7)', 'responder', 'ended', 'bogus', {}, 'unknown-session', 'ended'],
];

describe('received Jingle actions, action by action', () => {
  it.each(ROWS)('%s [%s in %s: %s]', (_title, role, state, action, extra, reply, phase) => {
    const result = receiveIn(role, state, action, extra);
    expect(replyName(result.reply)).toBe(reply);
    expect(result.state.phase).toBe(phase);
  });

  it.each<[JingleRole, StateName]>([['initiator', 'active'], ['responder', 'pending'], ['responder', 'replaceSent']])(
    'answers a stanza from a JID other than the peer with unknown-session and changes nothing (XEP-0166 §6.7, §10) [%s %s]',
    (role, name) => {
      const state = STATES[name](role);
      const stranger = step(state, { kind: 'received', from: 'mallory@evil.example/x', action: 'session-terminate', reason: 'cancel' });
      expect(replyName(stranger.reply)).toBe('unknown-session');
      expect(stranger.state).toBe(state);
      expect(stranger.effects).toEqual([]);
    },
  );

  it('answers a bare-JID or other-resource sender as a stranger (XEP-0166 §7.1: all communication goes to the full JID)', () => {
    const state = STATES.active('responder');
    for (const sender of ['romeo@montague.lit', 'romeo@montague.lit/other']) {
      expect(replyName(step(state, { kind: 'received', from: sender, action: 'session-info' }).reply)).toBe('unknown-session');
    }
    expect(state.peer).toBe(ROMEO);
    expect(STATES.active('initiator').peer).toBe(JULIET);
  });

  it('hands understood payloads on: XEP-0234 §8.2 checksum, XEP-0260 §2.3 candidate-used; a ping delivers nothing (XEP-0166 §6.8)', () => {
    const checksum = { ns: 'urn:xmpp:jingle:apps:file-transfer:5', name: 'checksum' };
    expect(receiveIn('responder', 'transferring', 'session-info', { payload: checksum }).effects).toEqual([{ kind: 'deliver', action: 'session-info', payload: checksum }]);
    expect(receiveIn('initiator', 'active', 'transport-info', { payload: S5B_USED }).effects).toEqual([{ kind: 'deliver', action: 'transport-info', payload: S5B_USED }]);
    expect(receiveIn('initiator', 'active', 'session-info', { payload: null }).effects).toEqual([]);
  });

  it('rejects added content with content-reject: one file per session (XEP-0166 §7.2.2 MUST)', () => {
    expect(receiveIn('responder', 'active', 'content-add').effects).toEqual([{ kind: 'send', action: 'content-reject' }]);
  });

  it('changes neither state nor effects when it answers with an error (XEP-0166 §10)', () => {
    for (const [, role, name, action, extra, reply] of ROWS) {
      if (reply === 'result') continue;
      const state = STATES[name](role);
      const result = step(state, from(state, action, extra));
      expect(result.state).toBe(state);
      expect(result.effects).toEqual([]);
    }
  });

  it('uses the error types of the XEP-0166 examples: unknown-session cancel (§6.7), unsupported-info modify (§6.8), tie-break cancel (§7.2.16)', () => {
    const errorOf = (role: JingleRole, name: StateName, action: string, extra: Partial<ReceivedAction> = {}) => {
      const { reply } = receiveIn(role, name, action, extra);
      return reply?.kind === 'error' ? { type: reply.error.type, condition: reply.error.condition } : null;
    };
    expect(errorOf('initiator', 'ended', 'session-info')).toEqual({ type: 'cancel', condition: 'item-not-found' });
    expect(errorOf('initiator', 'active', 'session-info', { payload: RTP_RINGING })).toEqual({ type: 'modify', condition: 'feature-not-implemented' });
    expect(errorOf('initiator', 'replaceSent', 'transport-replace', { transport: 'ibb' })).toEqual({ type: 'cancel', condition: 'conflict' });
    expect(errorOf('initiator', 'active', 'session-accept')).toEqual({ type: 'cancel', condition: 'unexpected-request' });
  });
});
