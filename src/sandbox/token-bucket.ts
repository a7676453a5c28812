/**
 * The ingest's own rate limit, as an API gateway applies it: a bucket of `burst` tokens that
 * refills at `ratePerSec` tokens per second; each request takes one token or is throttled (429).
 * Pure: time is passed in (monotonic ms), so it is tested without a clock.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** The bucket starts full. `ratePerSec > 0`, `burst >= 1`. */
  constructor(
    readonly ratePerSec: number,
    readonly burst: number,
    nowMs: number,
  ) {
    this.tokens = burst;
    this.last = nowMs;
  }

  /** Takes one token if there is one at `nowMs`; false means throttle. */
  tryTake(nowMs: number): boolean {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((nowMs - this.last) * this.ratePerSec) / 1000);
      this.last = nowMs;
    }
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
