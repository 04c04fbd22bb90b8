import { describe, expect, it } from 'vitest';
import { reconnectDelayMs } from '../../../../electron/xmpp/reconnectPolicy';

describe('reconnect backoff', () => {
  it('doubles from 1 s up to the 60 s cap without jitter', () => {
    const delays = Array.from({ length: 9 }, (_, attempt) => reconnectDelayMs(attempt, { jitterRatio: 0 }));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  });

  it('takes at most jitterRatio off each delay', () => {
    expect(reconnectDelayMs(2, { jitterRatio: 0.2, random: () => 0 })).toBe(4000);
    expect(reconnectDelayMs(2, { jitterRatio: 0.2, random: () => 0.999999 })).toBe(3200);
    expect(reconnectDelayMs(2, { jitterRatio: 0.2, random: () => 0.5 })).toBe(3600);
  });

  it('stays finite for huge attempt numbers and stops after maxAttempts', () => {
    expect(reconnectDelayMs(5000, { jitterRatio: 0, maxAttempts: 10_000 })).toBe(60000);
    expect(reconnectDelayMs(2, { maxAttempts: 3 })).not.toBeNull();
    expect(reconnectDelayMs(3, { maxAttempts: 3 })).toBeNull();
  });

  it('honours custom initial and max delays', () => {
    expect(reconnectDelayMs(0, { initialMs: 250, jitterRatio: 0 })).toBe(250);
    expect(reconnectDelayMs(4, { initialMs: 250, maxMs: 3000, jitterRatio: 0 })).toBe(3000);
  });
});
