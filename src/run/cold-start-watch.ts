import type { CompletionWatch } from '../engine/engine-types.js';
import type { RunEvent } from '../engine/events.js';
import type { PhaseSpec } from '../load/phase.js';
import type { Schedule } from '../load/schedule.js';
import { GapFollower, MAX_FOLLOWED, TAX_FIRST_K, type ColdStartTax, type GapToFollow } from '../metrics/cold-start-tax.js';
import { comparisonWindows, WindowAccumulator, type PhaseSpan } from '../metrics/phase-stats.js';
import { STATS_POLL_MS } from '../probes/sandbox-probes.js';
import type { RunBus } from './run-bus.js';
import { OK } from '../targets/outcome.js';

/**
 * The arrivals to follow after each idle phase that another phase follows (the gaps of
 * phase-stats' after-gap windows): from the next phase's first arrival, up to the next idle
 * phase's (or the schedule's end), at most MAX_FOLLOWED.
 */
export function gapsToFollow(phases: readonly Pick<PhaseSpec, 'name' | 'kind'>[], schedule: Schedule): GapToFollow[] {
  const gaps: GapToFollow[] = [];
  for (let i = 0; i + 1 < phases.length; i++) {
    if (phases[i].kind !== 'idle') continue;
    const firstArrival = schedule.phaseFirstArrival(i + 1);
    let until = phases.findIndex((p, j) => j > i + 1 && p.kind === 'idle');
    if (until < 0) until = phases.length;
    const followed = Math.min(MAX_FOLLOWED, schedule.phaseFirstArrival(until) - firstArrival);
    gaps.push({ gap: phases[i].name, endMs: schedule.phaseStartMs(i + 1), firstArrival, followed });
  }
  return gaps;
}

export interface ColdStartWatchOptions {
  /** First-K size (default TAX_FIRST_K). */
  k?: number;
  /** How old a cold-start reading may be, ms (default: the sandbox probe's poll period). */
  readingLagMs?: number;
}

/**
 * Follows the arrivals after each idle gap (a CompletionWatch for the engine) and the run's events
 * (the interval histograms for the warm baseline, the probes' cold-start counters), and publishes
 * the tax of every gap as a `cold-start-tax` event right before `end`. The baseline is phase-stats'
 * (every non-idle interval outside the after-gap windows), so it is summary.json's `baseline`.
 */
export class ColdStartWatch implements CompletionWatch {
  private readonly followers: GapFollower[];
  private readonly firsts: number[];
  private readonly lo: number;
  private readonly hi: number;
  private readonly baseline: WindowAccumulator;

  /** undefined when no idle phase is followed by another: nothing to watch. */
  static forRun(phases: readonly PhaseSpec[], schedule: Schedule, o: ColdStartWatchOptions = {}): ColdStartWatch | undefined {
    const gaps = gapsToFollow(phases, schedule);
    return gaps.length === 0 ? undefined : new ColdStartWatch(phases, schedule, gaps, o);
  }

  private constructor(phases: readonly PhaseSpec[], private readonly schedule: Schedule, gaps: GapToFollow[], private readonly o: ColdStartWatchOptions) {
    this.followers = gaps.map((g) => new GapFollower(g, o.k ?? TAX_FIRST_K));
    this.firsts = gaps.map((g) => g.firstArrival);
    this.lo = gaps[0].firstArrival;
    this.hi = Math.max(...gaps.map((g) => g.firstArrival + g.followed));
    const spans: PhaseSpan[] = phases.map((p, i) => ({ index: i, name: p.name, kind: p.kind, startMs: schedule.phaseStartMs(i), endMs: schedule.phaseStartMs(i + 1) }));
    this.baseline = new WindowAccumulator([], comparisonWindows(spans).baselineExcludes);
  }

  /** Hot path: a range check, then a binary search among the gaps. */
  completed(n: number, outcome: string, dueMs: number, doneMs: number): void {
    if (n < this.lo || n >= this.hi) return;
    let lo = 0;
    let hi = this.firsts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.firsts[mid] <= n) lo = mid;
      else hi = mid - 1;
    }
    this.followers[lo].completed(n, outcome === OK, doneMs - dueMs, doneMs);
  }

  /** Sees one run event: intervals feed the baseline; intervals and drains carry the cold-start counters. */
  observe(e: RunEvent): void {
    if (e.type === 'interval') {
      this.baseline.visit('latency', e.snapshot.startMs / 1000, e.snapshot.endMs / 1000, e.histograms.latency);
      const c = e.probes?.coldStarts;
      if (c) for (const f of this.followers) f.reading(e.snapshot.endMs, c.ingest);
    } else if (e.type === 'drain' && e.probes.coldStarts) {
      for (const f of this.followers) f.reading(e.tMs, e.probes.coldStarts.ingest);
    }
  }

  /** Every gap's tax against the baseline so far (the whole run's, once it ended). */
  taxes(): ColdStartTax[] {
    const b = this.baseline.baselinePercentiles();
    const baseline = { p50Ms: b.p50, p99Ms: b.p99 };
    const dueAt = (n: number) => this.schedule.dueAt(n);
    return this.followers.map((f) => f.tax(baseline, dueAt, { readingLagMs: this.o.readingLagMs ?? STATS_POLL_MS }));
  }

  /** Joins the run's bus: sees every event, and publishes `cold-start-tax` just before `end`. */
  attach(bus: RunBus): void {
    bus.subscribe((e) => this.observe(e));
    bus.beforeEnd((e) => bus.publish({ type: 'cold-start-tax', at: e.at, tMs: e.tMs, taxes: this.taxes() }));
  }

}

