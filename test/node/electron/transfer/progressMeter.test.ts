import { describe, expect, it } from 'vitest';
import { ProgressMeter, PROGRESS_INTERVAL_MS } from '../../../../electron/transfer/progressMeter';

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => { t += ms; } };
}

describe('ProgressMeter', () => {
  it('measures the rate over its window and estimates the time left', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    meter.record(0);
    c.advance(1000);
    meter.record(1_000_000);
    c.advance(1000);
    meter.record(2_000_000);
    expect(meter.rate()).toBeCloseTo(1_000_000, -2);
    expect(meter.eta(5_000_000)).toBe(5);
  });

  it('forgets samples older than the window so the rate follows a slowdown', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    meter.record(0);
    c.advance(1000);
    meter.record(10_000_000);
    for (let i = 0; i < 5; i += 1) {
      c.advance(1000);
      meter.record(10_000_000 + (i + 1) * 1000);
    }
    expect(meter.rate()).toBeLessThan(2000);
  });

  it('allows at most one progress event per interval, but always the final one', () => {
    const c = clock();
    const meter = new ProgressMeter(c.now);
    let due = 0;
    for (let i = 0; i < 100; i += 1) {
      if (meter.record(i * 10)) due += 1;
      c.advance(10);
    }
    expect(due).toBeLessThanOrEqual(Math.ceil((100 * 10) / PROGRESS_INTERVAL_MS) + 1);
    expect(due).toBeGreaterThanOrEqual(9);
    expect(meter.record(1000, true)).toBe(true);
  });

  it('reports an unknown ETA before any rate is known, and 0 when nothing remains', () => {
    const meter = new ProgressMeter(clock().now);
    expect(meter.eta(100)).toBeNull();
    expect(meter.eta(0)).toBe(0);
  });
});
