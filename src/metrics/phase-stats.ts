import { createHistogram, percentilesMs, type Histogram, type Percentiles } from './histogram.js';
import type { HlogVisitor } from './hlog-stream.js';

/** A span of the run, ms from the clock's start. */
export interface TimeWindow {
  label: string;
  startMs: number;
  endMs: number;
}

/** How long after an idle gap counts as "right after" it (the cold-start window), ms. */
export const AFTER_GAP_WINDOW_MS = 5000;

export interface PhaseSpan {
  index: number;
  name: string;
  kind: string;
  startMs: number;
  endMs: number;
}

/**
 * Windows that compare a run's parts: one per phase, one for the AFTER_GAP_WINDOW_MS after each
 * idle phase, and `baseline` (every non-idle phase outside those after-gap windows). Pure.
 */
export function comparisonWindows(phases: PhaseSpan[]): { phases: TimeWindow[]; afterGaps: TimeWindow[]; baselineExcludes: TimeWindow[] } {
  const phaseWindows = phases.map((p) => ({ label: `phase:${p.name}`, startMs: p.startMs, endMs: p.endMs }));
  const afterGaps: TimeWindow[] = [];
  phases.forEach((p, i) => {
    const next = phases[i + 1];
    if (p.kind === 'idle' && next) afterGaps.push({ label: `after:${p.name}`, startMs: p.endMs, endMs: Math.min(next.endMs, p.endMs + AFTER_GAP_WINDOW_MS) });
  });
  const idle = phaseWindows.filter((_, i) => phases[i].kind === 'idle');
  return { phases: phaseWindows, afterGaps, baselineExcludes: [...afterGaps, ...idle] };
}

/**
 * Accumulates the latency series into windows while the hlog is read (constant memory: one
 * histogram per window). An interval belongs to a window when its midpoint lies inside it.
 */
export class WindowAccumulator {
  private readonly hists = new Map<string, Histogram>();
  private readonly baseline = createHistogram();

  constructor(private readonly windows: TimeWindow[], private readonly excludeFromBaseline: TimeWindow[]) {
    for (const w of windows) this.hists.set(w.label, createHistogram());
  }

  readonly visit: HlogVisitor = (series, startSec, endSec, h) => {
    if (series !== 'latency') return;
    const mid = ((startSec + endSec) / 2) * 1000;
    for (const w of this.windows) if (mid >= w.startMs && mid < w.endMs) this.hists.get(w.label)!.add(h);
    if (!this.excludeFromBaseline.some((w) => mid >= w.startMs && mid < w.endMs)) this.baseline.add(h);
  };

  percentiles(label: string): Percentiles {
    const h = this.hists.get(label);
    return h ? percentilesMs(h) : percentilesMs(createHistogram());
  }

  baselinePercentiles(): Percentiles {
    return percentilesMs(this.baseline);
  }
}

/** Reads the windows' figures once the hlog has been visited. */
export function windowFigures(phases: PhaseSpan[], acc: WindowAccumulator, afterGaps: TimeWindow[]) {
  return {
    phases: phases.map((p) => ({ name: p.name, kind: p.kind, startMs: p.startMs, endMs: p.endMs, latency: acc.percentiles(`phase:${p.name}`) })),
    baseline: acc.baselinePercentiles(),
    afterIdleGaps: afterGaps.map((w) => ({ gap: w.label.slice('after:'.length), startMs: w.startMs, endMs: w.endMs, latency: acc.percentiles(w.label) })),
  };
}
