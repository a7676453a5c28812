import { round3 } from './histogram.js';

/**
 * The cold-start tax after an idle gap: what the first requests after the gap paid over the warm
 * baseline, how long until latency was back, and how many cold starts the sandbox counted meanwhile.
 * All times are ms (from the run's start unless said otherwise); latency is from the intended time.
 *
 * Definitions (README "Cold-start tax"):
 * - the first K (TAX_FIRST_K) arrivals *due* at or after the gap's end, by arrival index, whatever
 *   order they complete in; their p50/p99/max are nearest-rank over those that completed (any
 *   outcome: a timeout counts at its timeout), and their ratios are p50 ÷ baseline p50,
 *   p99 ÷ baseline p99, max ÷ baseline p99;
 * - taxMs = first-K p50 − baseline p50: what a typical one of the first K paid extra;
 * - "back": the first arrival (in arrival order) from which RECOVERY_RUN consecutive arrivals all
 *   ended ok within RECOVERY_FACTOR × baseline p99 — an arrival that failed, was dropped or never
 *   completed breaks the run. `requests` = arrivals after the gap before it; `afterMs` = its
 *   intended time − the gap's end. Looked for among at most MAX_FOLLOWED arrivals, never past
 *   the next idle phase; null when not found there;
 * - cold starts: the difference of the sandbox's ingest cold-start counter between the last
 *   reading at or before the gap's end and the first reading at least `readingLagMs` (the probe's
 *   poll period: a reading may be that old) after the window ends — the later of the first K's
 *   last completion and the moment latency was back (without recovery: the last completion
 *   followed). Readings come with the run's intervals, so the window is rounded out to them.
 */

/** K: how many arrivals after a gap make the first-K figures (100, so that p99 is not the max). */
export const TAX_FIRST_K = 100;
/** "Back" means within this multiple of the baseline p99. */
export const RECOVERY_FACTOR = 1.2;
/** … for this many consecutive arrivals. */
export const RECOVERY_RUN = 20;
/** Most arrivals followed after one gap (5 bytes each). */
export const MAX_FOLLOWED = 20_000;
/** Most probe readings kept after one gap's end. */
export const MAX_READINGS = 600;

/** One gap to follow: the arrivals [firstArrival, firstArrival + followed) due from its end on. */
export interface GapToFollow {
  /** The idle phase's name. */
  gap: string;
  /** When the gap ended (the next phase started), ms from the run's start. */
  endMs: number;
  firstArrival: number;
  followed: number;
}

/** The warm baseline the tax compares with, ms; null figures when it had no samples. */
export interface TaxBaseline {
  p50Ms: number | null;
  p99Ms: number | null;
}

/** One gap's tax, as the `cold-start-tax` event, the journal and summary.json carry it (ms). */
export interface ColdStartTax {
  gap: string;
  gapEndMs: number;
  baseline: TaxBaseline;
  firstK: {
    k: number;
    /** Arrivals among the first K (fewer when the schedule had fewer after the gap). */
    due: number;
    completed: number;
    /** Completed with an outcome other than ok. */
    failed: number;
    p50Ms: number | null;
    p99Ms: number | null;
    maxMs: number | null;
    vsBaseline: { p50: number | null; p99: number | null; max: number | null };
  };
  taxMs: number | null;
  recovery: {
    /** The multiple of the baseline p99 that counts as back (RECOVERY_FACTOR). */
    factor: number;
    /** factor × baseline p99; null without a baseline (then nothing below is known). */
    thresholdMs: number | null;
    run: number;
    /** Arrivals looked at. */
    followed: number;
    requests: number | null;
    afterMs: number | null;
    /** The intended time of the first arrival back, ms from the run's start. */
    atMs: number | null;
  };
  /** The sandbox ingest's cold starts in [fromMs, toMs] (the readings used); null without readings. */
  coldStarts: { count: number; fromMs: number; toMs: number } | null;
}

export interface TaxOptions {
  k?: number;
  run?: number;
  factor?: number;
  /** How old a probe reading may be, ms (0: exact). */
  readingLagMs?: number;
}

/**
 * Bounded state of one gap while the run goes: each followed arrival's latency and whether it
 * was ok, the latest first-K and overall completion, and the cold-start readings around it.
 */
export class GapFollower {
  private readonly latency: Float32Array;
  private readonly ok: Uint8Array;
  private firstKDoneMs = -Infinity;
  private lastDoneMs = -Infinity;
  private before: { tMs: number; count: number } | undefined;
  private readonly readT: number[] = [];
  private readonly readCount: number[] = [];

  constructor(readonly span: GapToFollow, private readonly k = TAX_FIRST_K) {
    this.latency = new Float32Array(span.followed).fill(NaN);
    this.ok = new Uint8Array(span.followed);
  }

  /** Arrival n completed (latencyMs = done − due) at doneMs; arrivals outside the span are ignored. */
  completed(n: number, ok: boolean, latencyMs: number, doneMs: number): void {
    const i = n - this.span.firstArrival;
    if (!(i >= 0 && i < this.span.followed)) return;
    this.latency[i] = latencyMs;
    this.ok[i] = ok ? 1 : 0;
    if (i < this.k && doneMs > this.firstKDoneMs) this.firstKDoneMs = doneMs;
    if (doneMs > this.lastDoneMs) this.lastDoneMs = doneMs;
  }

  /** A reading of the ingest's cold-start counter taken at tMs (non-decreasing tMs). */
  reading(tMs: number, count: number): void {
    if (tMs <= this.span.endMs) this.before = { tMs, count };
    else if (this.readT.length < MAX_READINGS) {
      this.readT.push(tMs);
      this.readCount.push(count);
    }
  }

  /** The tax against `baseline`; `dueAt(n)` is the schedule's intended time of arrival n. Pure. */
  tax(baseline: TaxBaseline, dueAt: (n: number) => number, o: TaxOptions = {}): ColdStartTax {
    const k = o.k ?? this.k;
    const first = this.firstK(k, baseline);
    const recovery = this.recovery(baseline, dueAt, o.run ?? RECOVERY_RUN, o.factor ?? RECOVERY_FACTOR);
    const windowEnd = Math.max(this.firstKDoneMs, recovery.atMs ?? this.lastDoneMs);
    return {
      gap: this.span.gap, gapEndMs: round3(this.span.endMs), baseline, firstK: first,
      taxMs: first.p50Ms === null || baseline.p50Ms === null ? null : round3(first.p50Ms - baseline.p50Ms),
      recovery, coldStarts: this.coldStarts(windowEnd, o.readingLagMs ?? 0),
    };
  }

  private firstK(k: number, baseline: TaxBaseline): ColdStartTax['firstK'] {
    const due = Math.min(k, this.span.followed);
    const values: number[] = [];
    let failed = 0;
    for (let i = 0; i < due; i++) {
      if (Number.isNaN(this.latency[i])) continue;
      values.push(this.latency[i]);
      if (this.ok[i] === 0) failed++;
    }
    values.sort((a, b) => a - b);
    const p50Ms = nearestRank(values, 0.5);
    const p99Ms = nearestRank(values, 0.99);
    const maxMs = values.length === 0 ? null : round3(values[values.length - 1]);
    return {
      k, due, completed: values.length, failed, p50Ms, p99Ms, maxMs,
      vsBaseline: { p50: ratio(p50Ms, baseline.p50Ms), p99: ratio(p99Ms, baseline.p99Ms), max: ratio(maxMs, baseline.p99Ms) },
    };
  }

  private recovery(baseline: TaxBaseline, dueAt: (n: number) => number, runNeeded: number, factor: number): ColdStartTax['recovery'] {
    const followed = this.span.followed;
    const run = Math.max(1, Math.min(runNeeded, followed));
    const none = { factor, run, followed, requests: null, afterMs: null, atMs: null };
    if (baseline.p99Ms === null || followed === 0) return { thresholdMs: null, ...none };
    const thresholdMs = round3(factor * baseline.p99Ms);
    let streak = 0;
    for (let i = 0; i < followed; i++) {
      const l = this.latency[i];
      streak = this.ok[i] === 1 && l <= thresholdMs ? streak + 1 : 0; // NaN (not completed) fails the test
      if (streak < run) continue;
      const r = i - run + 1;
      const atMs = dueAt(this.span.firstArrival + r);
      return { factor, thresholdMs, run, followed, requests: r, afterMs: round3(Math.max(0, atMs - this.span.endMs)), atMs: round3(atMs) };
    }
    return { thresholdMs, ...none };
  }

  private coldStarts(windowEndMs: number, lagMs: number): ColdStartTax['coldStarts'] {
    if (!this.before || this.readT.length === 0) return null;
    const want = Math.max(windowEndMs, this.span.endMs) + lagMs;
    let j = this.readT.findIndex((t) => t >= want);
    if (j < 0) j = this.readT.length - 1; // the run ended first: its last reading
    return { count: Math.max(0, this.readCount[j] - this.before.count), fromMs: round3(this.before.tMs), toMs: round3(this.readT[j]) };
  }
}

/** Nearest-rank percentile of sorted values: the ceil(q·n)-th smallest; null when empty. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return round3(sorted[Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length))) - 1]);
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : round3(a / b);
}
