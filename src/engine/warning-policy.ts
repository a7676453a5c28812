import type { IntervalSnapshot, WarningCode } from './events.js';

/** Schedule lag p99 above this (ms) means the generator cannot keep its own schedule. */
const LAG_P99_WARN_MS = 25;
/** Event-loop delay above this (ms) means the generator's process is saturated or blocked. */
const EVENT_LOOP_WARN_MS = 100;

/**
 * Decides which warnings an interval deserves, so nobody trusts a saturated generator or misses
 * arrivals dropped at the in-flight cap. Pure apart from remembering what it already said.
 */
export class WarningPolicy {
  private capWarnedAt = -10;
  private queueWarnedAt = -10;

  check(s: IntervalSnapshot, maxInFlight: number): { code: WarningCode; message: string }[] {
    const out: { code: WarningCode; message: string }[] = [];
    if ((s.scheduleLag.p99 ?? 0) > LAG_P99_WARN_MS || s.eventLoopLagMs > EVENT_LOOP_WARN_MS) {
      out.push({
        code: 'generator-behind',
        message: `generator behind schedule: schedule lag p99 ${s.scheduleLag.p99} ms, event-loop delay ${s.eventLoopLagMs} ms — latency figures for this interval include the generator's own delay; lower the rate or use more cores`,
      });
    }
    if (s.awaitingConnection > Math.max(100, s.targetRate / 2) && s.index - this.queueWarnedAt >= 5) {
      this.queueWarnedAt = s.index;
      out.push({
        code: 'client-queue',
        message: `${s.awaitingConnection} request(s) waiting for a free connection: the target answers slower than the offered rate allows, or there are too few connections (--connections); they are counted in latency from the intended time`,
      });
    }
    if (s.counts.dropped > 0 && s.index - this.capWarnedAt >= 5) {
      this.capWarnedAt = s.index;
      out.push({
        code: 'in-flight-cap',
        message: `${s.counts.dropped} arrival(s) dropped: ${maxInFlight} requests already in flight (raise --max-in-flight if the target can take more)`,
      });
    }
    return out;
  }
}
