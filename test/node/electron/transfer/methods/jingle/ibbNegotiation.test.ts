import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  IBB_MAX_BLOCK_SIZE, answerBlockSize, checkAnsweredBlockSize, openMatchesNegotiated,
} from '../../../../../../electron/transfer/methods/jingle/ibbNegotiation';

describe('IBB block-size negotiation (XEP-0261 §2.2, XEP-0260 §3)', () => {
  it.each([
    ['keeps the offer when it is within our limit', 4096, 65535, 4096],
    ['answers smaller when our limit is smaller (§2.2 example: 4096 → 2048)', 4096, 2048, 2048],
    ['never goes above XEP-0047\'s 65535 (§2.1 MUST NOT)', 65535, 1_000_000, 65535],
  ])('responder %s', (_label, offered, localMax, answer) => {
    expect(answerBlockSize({ offered, localMax })).toBe(answer);
  });

  it('responder never answers larger than the offer (XEP-0261 §2.2: only "a smaller block-size")', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: IBB_MAX_BLOCK_SIZE }), fc.integer({ min: 1, max: 10 * IBB_MAX_BLOCK_SIZE }), (offered, localMax) => {
      const answer = answerBlockSize({ offered, localMax });
      expect(answer).toBeLessThanOrEqual(offered);
      expect(checkAnsweredBlockSize({ offered, answered: answer })).toEqual({ ok: true, blockSize: answer });
    }));
  });

  it.each([
    ['takes a smaller answer and uses it for <open/> (§2.2 MUST use the negotiated values)', 4096, 2048, { ok: true, blockSize: 2048 }],
    ['takes the same value', 4096, 4096, { ok: true, blockSize: 4096 }],
    ['keeps the offer when the answer has no block-size', 4096, null, { ok: true, blockSize: 4096 }],
    ['refuses a larger answer', 4096, 8192, { ok: false, problem: 'larger-than-offered', reason: 'failed-transport' }],
    ['refuses an answer above 65535 (XEP-0047 §2.1)', 65535, 65536, { ok: false, problem: 'out-of-range', reason: 'failed-transport' }],
    ['refuses an answer of 0', 4096, 0, { ok: false, problem: 'out-of-range', reason: 'failed-transport' }],
  ])('initiator %s', (_label, offered, answered, expected) => {
    expect(checkAnsweredBlockSize({ offered, answered })).toEqual(expected);
  });

  it('responder: an <open/> whose block-size differs from the negotiated one does not match (XEP-0261 §2.2 SHOULD resource-constraint)', () => {
    expect(openMatchesNegotiated({ negotiated: 2048, opened: 2048 })).toBe(true);
    expect(openMatchesNegotiated({ negotiated: 2048, opened: 4096 })).toBe(false);
    expect(openMatchesNegotiated({ negotiated: 2048, opened: 1024 })).toBe(false);
  });
});
