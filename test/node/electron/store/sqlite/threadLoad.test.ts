import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventLoopMeter } from '../../../../../electron/store/sqlite/threadLoad';

describe('eventLoopMeter', () => {
  it('reads near 1 after the thread ran without waiting, and low after it waited', async () => {
    const meter = eventLoopMeter();
    await sleep(1); // start the window inside the loop, not in the module's load
    meter();
    const until = performance.now() + 40;
    while (performance.now() < until); // a thread that never waits, as when a transfer saturates it
    expect(meter()).toBeGreaterThan(0.8);
    await sleep(80); // a thread that waits for its next event
    expect(meter()).toBeLessThan(0.5);
  });
});
