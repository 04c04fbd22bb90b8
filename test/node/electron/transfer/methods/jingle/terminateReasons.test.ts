import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TERMINATE_REASONS, endOfSession } from '../../../../../../electron/transfer/methods/jingle/terminateReasons';

const PEER = 'juliet@capulet.lit/balcony';

describe('session end states from <reason/> (XEP-0166 §6.7, §7.4)', () => {
  it.each([
    ['success', 'done', 'completed', 'completed'],
    ['decline', 'declined', 'declined', `declined by ${PEER}`],
    ['busy', 'declined', 'declined (busy)', `declined (busy) by ${PEER}`],
    ['cancel', 'cancelled', 'cancelled', `cancelled by ${PEER}`],
    ['connectivity-error', 'failed', 'no connection could be made between the two sides', `no connection could be made between the two sides (reported by ${PEER})`],
    ['failed-transport', 'failed', 'every way of moving the data failed', `every way of moving the data failed (reported by ${PEER})`],
    ['failed-application', 'failed', 'the file could not be read or written', `the file could not be read or written (reported by ${PEER})`],
    ['media-error', 'failed', 'the file data could not be processed', `the file data could not be processed (reported by ${PEER})`],
    ['timeout', 'failed', 'timed out waiting for an answer', `timed out waiting for an answer (reported by ${PEER})`],
    ['general-error', 'failed', 'an error ended the transfer', `an error ended the transfer (reported by ${PEER})`],
  ])('maps %s to %s, read locally and by the peer alike (XEP-0166 §7.4)', (reason, state, local, received) => {
    expect(endOfSession({ reason, by: 'local', peer: PEER })).toEqual({ state, reason: local });
    expect(endOfSession({ reason, by: 'peer', peer: PEER })).toEqual({ state, reason: received });
  });

  it('gives every defined condition a plain-language reason, not its element name; only success is done (XEP-0166 §7.4)', () => {
    for (const reason of TERMINATE_REASONS) {
      const end = endOfSession({ reason, by: 'peer', peer: PEER });
      expect(end.reason.length).toBeGreaterThan(8);
      if (reason.includes('-')) expect(end.reason).not.toContain(reason);
      expect(end.state === 'done').toBe(reason === 'success');
    }
  });

  it('ends failed, saying so, on a missing reason (§6.7: only a SHOULD) or one not defined in §7.4', () => {
    expect(endOfSession({ reason: null, by: 'peer', peer: PEER })).toEqual({ state: 'failed', reason: `ended without a reason given (reported by ${PEER})` });
    expect(endOfSession({ reason: 'x-weird', by: 'peer', peer: PEER })).toEqual({ state: 'failed', reason: `ended (x-weird) (reported by ${PEER})` });
  });

  it('lets a local detail replace the phrase and quotes the peer\'s <text/>, capped, without control or bidi characters (XEP-0166 §7.4)', () => {
    expect(endOfSession({ reason: 'timeout', by: 'local', peer: PEER, detail: 'not accepted within 10 min' }).reason).toBe('not accepted within 10 min');
    expect(endOfSession({ reason: 'cancel', by: 'peer', peer: PEER, text: 'changed\u202e my\nmind' }).reason).toBe(`cancelled by ${PEER}: "changed my mind"`);
    fc.assert(fc.property(fc.string({ maxLength: 600 }), (text) => {
      const { reason } = endOfSession({ reason: 'media-error', by: 'peer', peer: PEER, text });
      expect(reason.length).toBeLessThan(200 + 120);
      // eslint-disable-next-line no-control-regex
      expect(reason).not.toMatch(/[\u0000-\u001f\u007f\u202a-\u202e]/);
    }));
  });
});
