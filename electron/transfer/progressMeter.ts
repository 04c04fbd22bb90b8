/** Rate and ETA from bytes on the wire, and a throttle so progress events go out at most ~10 per second. */
export const PROGRESS_INTERVAL_MS = 100;
const RATE_WINDOW_MS = 3000;

interface Sample {
  at: number;
  bytes: number;
}

/** Sliding-window rate meter over (time, total bytes) samples. */
export class ProgressMeter {
  private readonly samples: Sample[] = [];
  private lastEmitAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** Records the running total; returns true when a progress event is due (throttled). */
  record(totalBytes: number, isFinal = false): boolean {
    const at = this.now();
    this.samples.push({ at, bytes: totalBytes });
    while (this.samples.length > 2 && at - this.samples[0].at > RATE_WINDOW_MS) this.samples.shift();
    if (isFinal || at - this.lastEmitAt >= PROGRESS_INTERVAL_MS) {
      this.lastEmitAt = at;
      return true;
    }
    return false;
  }

  /** Bytes per second over the window; 0 until two samples exist. */
  rate(): number {
    if (this.samples.length < 2) return 0;
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.bytes - first.bytes) / seconds) : 0;
  }

  /** Seconds left for `remaining` bytes at the current rate, or null when unknown. */
  eta(remaining: number): number | null {
    const rate = this.rate();
    if (remaining <= 0) return 0;
    return rate > 0 ? Math.ceil(remaining / rate) : null;
  }
}
