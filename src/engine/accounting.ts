import { round3, type Histogram } from '../metrics/histogram.js';
import type { Counts, IntervalSnapshot, RequestCounts } from '../metrics/interval-snapshot.js';
import { OutcomeLedger } from '../metrics/outcome-ledger.js';
import { LatencyRecorder } from '../metrics/recorder.js';
import type { SeriesName } from '../metrics/series.js';
import { OK, TIMEOUT } from '../targets/outcome.js';
import { IntervalCounters, addCounts, addErrors, zeroCounts, zeroRequests } from './counters.js';
import { buildSnapshot, type SnapshotBase } from './snapshot.js';
import { SlowestTracker } from './slowest.js';

const SLOWEST_PER_INTERVAL = 5;

/**
 * The engine's books: what happened in the open interval (counters, histograms, the slowest
 * requests), the fate of every due arrival by the interval it was due in (the ledger), and the
 * run's totals. Every due arrival ends in exactly one of ok, failed, dropped or — when the run
 * ends without an answer for it — unfinished.
 */
export class Accounting {
  readonly recorder = new LatencyRecorder();
  private readonly counters = new IntervalCounters();
  private readonly slowest = new SlowestTracker(SLOWEST_PER_INTERVAL);
  private readonly ledger: OutcomeLedger;
  readonly totals: Counts = zeroCounts();
  readonly totalErrors: Record<string, number> = {};
  /** Batch calls of the open interval; stays empty for a one-message-per-request target. */
  private requests: RequestCounts = zeroRequests();

  constructor(intervalMs: number, dueIn: (index: number) => number) {
    this.ledger = new OutcomeLedger(intervalMs, dueIn);
  }

  /** Counters of the interval being recorded (the engine bumps `sent` and `written` directly). */
  get open(): Counts {
    return this.counters.counts;
  }

  /** The arrival due at `dueMs` found the in-flight cap reached. */
  drop(dueMs: number): void {
    this.counters.counts.dropped++;
    this.ledger.drop(dueMs);
  }

  /**
   * One arrival's request ended (times in ms from the run's start). `responded`: the target
   * answered (any status) or the request timed out — its latency is known; otherwise it failed
   * before any answer and is never answered. Allocation-free in the common case.
   */
  complete(dueMs: number, takenMs: number, writtenMs: number, nowMs: number, n: number, outcome: string, responded: boolean): void {
    const c = this.counters.counts;
    const ok = outcome === OK;
    c.completed++;
    if (ok) c.ok++;
    else {
      c.failed++;
      this.counters.recordError(outcome);
    }
    this.ledger.resolve(dueMs, outcome, ok);
    if (responded) {
      if (outcome !== TIMEOUT) c.answered++;
      const latency = nowMs - dueMs;
      this.recorder.record(latency, nowMs - writtenMs, takenMs - dueMs);
      if (latency > this.slowest.floor) this.slowest.offer(latency, n, dueMs, outcome);
    } else {
      c.unanswered++;
      this.recorder.recordLag(takenMs - dueMs);
    }
  }

  /** A batch call ended (see SendSink.request). */
  request(records: number, bytes: number, outcome: string, retries: number): void {
    const r = this.requests;
    r.count++;
    r.records += records;
    r.bytes += bytes;
    r.retries += retries;
    if (outcome === OK) r.ok++;
    else {
      r.failed++;
      r.errors[outcome] = (r.errors[outcome] ?? 0) + 1;
    }
  }

  /**
   * Closes interval `base.index`: the waiting histogram (and its overdue part) must already hold
   * the age of every arrival still without an answer. `consume` gets the snapshot and the interval's histograms
   * (valid only during the call).
   */
  close(base: Omit<SnapshotBase, 'counts' | 'errors' | 'outcomes' | 'slowest' | 'requests'>, dueInInterval: number, traceId: (n: number) => string,
    consume: (snapshot: IntervalSnapshot, histograms: Record<SeriesName, Histogram>) => void): void {
    const { counts, errors } = this.counters.take();
    counts.due = dueInInterval;
    const outcomes = this.ledger.close(base.index);
    const requests = this.requests.count > 0 ? this.requests : undefined;
    if (requests) this.requests = zeroRequests();
    const slowest = this.slowest.drain((latencyMs, n, dueMs, outcome) => ({ traceId: traceId(n), latencyMs: round3(latencyMs), n, dueMs: round3(dueMs), outcome }));
    this.recorder.roll((h) => consume(buildSnapshot({ ...base, counts, errors, outcomes, slowest, ...(requests ? { requests } : {}) }, h, this.recorder.overdue), h));
    addCounts(this.totals, counts);
    addErrors(this.totalErrors, errors);
  }
}
