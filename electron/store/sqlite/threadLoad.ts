import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * A meter of this thread's event loop: each call returns the share of the time since the previous call (or
 * since the meter was made) that the loop spent running callbacks rather than waiting, from 0 to 1.
 */
export function eventLoopMeter(): () => number {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const share = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    return share;
  };
}
