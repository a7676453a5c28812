/**
 * How far the queue poller may scale the processor out, like Lambda's SQS event source mapping:
 * it starts with `initial` concurrent invocations and, while messages wait and that limit is
 * all in use, raises it by `ratePerSec` (AWS: up to 300 more per minute), never past `max`
 * (the poller's own cap, not the function's reserved concurrency: past that, invocations
 * throttle). Once the processor has been idle (nothing in use, nothing waiting) for
 * `resetAfterMs`, the limit falls back to `initial`. `ratePerSec: null` means no limit but
 * `max` (every waiting batch gets an environment at once). Pure: time is passed in (ms).
 */
export class ScalingLimit {
  private limit: number;
  /** When the current stretch at the limit began, or -1 when not at the limit. */
  private atLimitSince = -1;
  private limitAtStart = 0;
  private lastActiveAt: number;

  constructor(
    private readonly initial: number,
    private readonly ratePerSec: number | null,
    private readonly max: number,
    private readonly resetAfterMs: number,
    now: number,
  ) {
    this.limit = Math.min(initial, max);
    this.lastActiveAt = now;
  }

  /** The current limit (whole invocations). */
  get current(): number {
    return this.ratePerSec === null ? this.max : Math.floor(this.limit);
  }

  /** With messages waiting and `inUse` invocations running: may one more start now? */
  allows(inUse: number, now: number): boolean {
    if (this.ratePerSec === null) return true;
    if (inUse === 0 && now - this.lastActiveAt >= this.resetAfterMs) this.limit = Math.min(this.initial, this.max);
    this.lastActiveAt = now;
    if (inUse < Math.floor(this.limit)) {
      this.atLimitSince = -1;
      return true;
    }
    if (this.atLimitSince < 0) {
      this.atLimitSince = now;
      this.limitAtStart = this.limit;
    }
    this.limit = Math.min(this.max, this.limitAtStart + (this.ratePerSec * (now - this.atLimitSince)) / 1000);
    return inUse < Math.floor(this.limit);
  }

  /** The processor is doing something (or just finished): postpones the reset. */
  active(now: number): void {
    this.lastActiveAt = now;
  }

  /** When the limit next grows by one invocation, if messages keep waiting (ms; Infinity at max). */
  nextStepAt(now: number): number {
    if (this.ratePerSec === null || this.limit >= this.max) return Infinity;
    const missing = Math.floor(this.limit) + 1 - this.limit;
    return now + Math.max(1, (missing * 1000) / this.ratePerSec);
  }
}
