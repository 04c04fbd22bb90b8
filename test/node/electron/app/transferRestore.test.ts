import { describe, expect, it } from 'vitest';
import { CRASH_REASON, restoredState, writeKey } from '../../../../electron/app/transferRestore';
import { summary } from '../../../support/transferFixtures';

describe('how a stored transfer comes back after a restart (issue #10)', () => {
  const nothing = (): boolean => false;

  it.each(['offered', 'negotiating', 'connecting', 'transferring', 'verifying'] as const)('a row still %s (the process died) is interrupted', (state) => {
    const back = restoredState(summary(1, { state, direction: 'outgoing' }), nothing);
    expect(back).toMatchObject({ state: 'interrupted', reason: CRASH_REASON, rate: 0, etaSeconds: null });
    expect(back.attempts).toHaveLength(1);
  });

  it('an incoming failure whose .part is still on disk is interrupted, with its own reason', () => {
    const stored = summary(1, { state: 'failed', reason: 'bob went offline', endedAt: 5 });
    expect(restoredState(stored, (path) => path === '/tmp/f1.bin.part')).toMatchObject({ state: 'interrupted', reason: 'bob went offline' });
    expect(restoredState(stored, nothing)).toBe(stored);
    expect(restoredState({ ...stored, hash: 'mismatch' }, () => true).state).toBe('failed');
  });

  it.each(['done', 'cancelled', 'declined'] as const)('an ended %s row comes back as it was', (state) => {
    const stored = summary(1, { state, endedAt: 9 });
    expect(restoredState(stored, () => true)).toBe(stored);
  });

  it('progress alone does not change the write key; a state, an attempt or a resume offset does', () => {
    const base = summary(1);
    expect(writeKey({ ...base, bytes: 999, rate: 1 })).toBe(writeKey(base));
    expect(writeKey({ ...base, state: 'verifying' })).not.toBe(writeKey(base));
    expect(writeKey({ ...base, attempts: [...base.attempts, base.attempts[0]!] })).not.toBe(writeKey(base));
    expect(writeKey({ ...base, resumedFrom: 10 })).not.toBe(writeKey(base));
  });
});
