import { createHistogram, type Histogram } from '../metrics/histogram.js';
import type { E2eVisitor, HlogVisitor } from '../metrics/hlog-stream.js';
import type { IntervalSnapshot } from '../metrics/interval-snapshot.js';
import type { ProbeReadings } from '../metrics/probe-readings.js';
import { ThresholdWindows, type WindowInterval } from '../metrics/threshold-windows.js';
import type { ThresholdResult, ThresholdSpec } from '../metrics/thresholds.js';

/**
 * The windowed thresholds judged again at the end, from the results directory: the journal's
 * intervals (counts, probe readings) joined with the hlog's interval histograms, replayed in
 * order through the same ThresholdWindows the live checker uses — so a run that was killed (no
 * `final` verdict journaled), or a journal from a run without a checker, still gets each
 * windowed threshold's worst window. An hlog visitor: memory is bounded by the longest window
 * (the windows keep one interval's histograms per interval inside them, nothing else is kept).
 */
export class ThresholdReplay {
  private readonly windows: ThresholdWindows | null;
  private next = 0;
  private pending: { latency?: Histogram; serviceTime?: Histogram; scheduleLag?: Histogram; waiting?: Histogram; e2e?: Histogram } = {};
  private readonly empty = createHistogram();

  constructor(specs: readonly ThresholdSpec[], private readonly intervals: readonly IntervalSnapshot[]) {
    this.windows = specs.some((s) => s.windowMs !== undefined) ? new ThresholdWindows(specs) : null;
  }

  readonly visit: HlogVisitor = (series, startSec, endSec, h) => this.take(series, startSec, endSec, h);

  readonly visitE2e: E2eVisitor = (startSec, endSec, h) => this.take('e2e', startSec, endSec, h);

  /** Each windowed threshold over every window of the run (undefined for the others, and for every one when none is windowed). */
  results(): (ThresholdResult | undefined)[] | undefined {
    if (!this.windows) return undefined;
    this.closeUpTo(this.intervals.length);
    return this.windows.final();
  }

  private take(series: keyof ThresholdReplay['pending'], startSec: number, endSec: number, h: Histogram): void {
    if (!this.windows) return;
    const mid = ((startSec + endSec) / 2) * 1000;
    let k = this.next;
    while (k < this.intervals.length && mid >= this.intervals[k].endMs) k++;
    if (k >= this.intervals.length || mid < this.intervals[k].startMs) return; // before the clock, or the drain
    this.closeUpTo(k);
    if (series === 'waiting') this.pending.waiting = h;
    else (this.pending[series] ??= createHistogram()).add(h);
  }

  /** Closes the intervals before index `k` (the one being read now stays open). */
  private closeUpTo(k: number): void {
    while (this.next < k) {
      const iv = this.intervals[this.next];
      const p = this.pending;
      const e: WindowInterval = {
        startMs: iv.startMs, endMs: iv.endMs, counts: iv.counts,
        latency: p.latency ?? this.empty, serviceTime: p.serviceTime ?? this.empty, scheduleLag: p.scheduleLag ?? this.empty, waiting: p.waiting ?? this.empty,
        ...(p.e2e ? { e2e: p.e2e } : {}),
        ...((iv as { probes?: ProbeReadings }).probes ? { probes: (iv as { probes?: ProbeReadings }).probes } : {}),
      };
      this.windows!.close(e);
      this.pending = {};
      this.next++;
    }
  }
}
