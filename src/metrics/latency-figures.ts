import {
  createHistogram, percentilesMs, PERCENTILE_KEYS, PERCENTILE_OF, round3, valueAtRankUs,
  type Histogram, type PercentileKey, type Percentiles,
} from './histogram.js';

/**
 * Latency that describes every due arrival, not only the answered ones (values in ms).
 * Three kinds of arrival make it up:
 * - `recorded`: exact values — answers of any status, and timeouts at their timeout;
 * - `waiting`: arrivals with no answer yet (in flight, waiting for a connection, not yet sent),
 *   each counted at its age at that moment: a lower bound (a censored value);
 * - `neverAnswered`: arrivals that will never get an answer — dropped at the in-flight cap, or
 *   failed before any answer (refused, reset, …) — ranked above every value (+∞).
 * A figure is exact when the recorded values alone decide it (to within 1 %); it is listed in
 * `atLeast` when a waiting value decides it (the true figure is that much or more) and in `never`
 * when it falls among the never-answered arrivals (its value is then null). `count` is every
 * arrival described.
 */
export interface LatencyFigures extends Percentiles {
  /** At least one figure is a lower bound or never answered. */
  censored: boolean;
  atLeast: PercentileKey[];
  never: PercentileKey[];
  recorded: number;
  waiting: number;
  neverAnswered: number;
}

export type FigureBound = 'exact' | 'atLeast' | 'never' | 'none';

/**
 * A figure whose bounds lie within this fraction of each other is exact (reported at its upper
 * bound): a few young arrivals in flight at a close must not turn every percentile into "≥".
 */
const EXACT_WITHIN = 0.01;

/** Merging happens in one reused histogram: figures are computed once per interval close or report. */
let scratch: Histogram | undefined;

/** Pure in effect: `recorded` and `waiting` are read, never changed. */
export function latencyFigures(recorded: Histogram, waiting: Histogram | undefined, neverAnswered: number): LatencyFigures {
  const w = waiting?.totalCount ?? 0;
  const r = recorded.totalCount;
  const out: LatencyFigures = {
    ...percentilesMs(recorded), count: r + w + neverAnswered, censored: false, atLeast: [], never: [], recorded: r, waiting: w, neverAnswered,
  };
  if (w === 0 && neverAnswered === 0) return out;
  let merged = recorded;
  if (w > 0) {
    merged = scratch ??= createHistogram();
    merged.reset();
    merged.add(recorded);
    merged.add(waiting!);
  }
  for (const key of PERCENTILE_KEYS) {
    const p = PERCENTILE_OF[key];
    if (p === undefined) continue;
    // The rank HdrHistogram uses: the smallest value with at least p % of all arrivals at or below it.
    const rank = Math.max(1, Math.ceil((p * out.count) / 100 - 1e-7));
    if (rank > merged.totalCount) {
      setNever(out, key);
      continue;
    }
    // The true figure lies between `lower` (waiting arrivals answered right now) and, while the
    // recorded values alone reach the rank, the recorded figure (waiting arrivals never answered).
    const lower = valueAtRankUs(merged, rank);
    const upper = rank <= r ? valueAtRankUs(recorded, rank) : Infinity;
    if (upper <= lower * (1 + EXACT_WITHIN)) out[key] = round3(upper / 1000);
    else {
      out[key] = round3(lower / 1000);
      out.atLeast.push(key);
    }
  }
  if (neverAnswered > 0) {
    setNever(out, 'max');
    setNever(out, 'mean');
  } else {
    out.max = round3(Math.max(r > 0 ? recorded.maxValue : 0, waiting!.maxValue) / 1000);
    out.mean = round3(merged.mean / 1000);
    out.atLeast.push('max', 'mean');
  }
  out.censored = true;
  return out;
}

function setNever(out: LatencyFigures, key: PercentileKey): void {
  out[key] = null;
  out.never.push(key);
}

/** How a figure is known: exactly, as a lower bound, never answered, or not at all (no samples). */
export function figureBound(f: Percentiles | LatencyFigures, key: PercentileKey): FigureBound {
  if ('never' in f && f.never.includes(key)) return 'never';
  if (f[key] === null) return 'none';
  if ('atLeast' in f && f.atLeast.includes(key)) return 'atLeast';
  return 'exact';
}

/** Text of a figure for people: "4.80ms", "≥ 12.0s" (a lower bound), "never" (never answered), "–" (no samples). */
export function formatFigure(f: Percentiles | LatencyFigures, key: PercentileKey, formatMs: (ms: number) => string): string {
  return formatBounded(f[key], figureBound(f, key), formatMs);
}

/** The same for a value whose bound is known (e.g. a threshold's actual). */
export function formatBounded(value: number | null, bound: FigureBound, formatMs: (ms: number) => string): string {
  if (bound === 'never') return 'never';
  if (bound === 'none' || value === null) return '–';
  return bound === 'atLeast' ? `≥ ${formatMs(value)}` : formatMs(value);
}
