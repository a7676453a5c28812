import { join } from 'node:path';
import { createHistogram, round3, round6, valueAtRankUs, type Histogram } from '../metrics/histogram.js';
import { readHlogFile } from '../metrics/hlog-stream.js';
import { formatFigure } from '../metrics/latency-figures.js';
import { resultPath } from '../results/results-dir.js';
import type { Summary } from '../results/summary.js';
import { count, percent } from '../results/verdict.js';
import { formatMs } from '../util/units.js';
import { buildReportModel } from './report-model.js';

/**
 * `rushhour report DIR --baseline OTHER`: the headline figures of two runs side by side, each with
 * a verdict — regressed, improved or same (within noise). The noise is judged from the data, never
 * from a guessed tolerance:
 *
 * - **Percentiles** (latency from the intended time p50/p90/p99/p99.9/max, service time p99, e2e
 *   p99): the 95 % confidence interval of a quantile from its order statistics. With n values the
 *   p-quantile's interval spans the ranks n·p ± 1.96·√(n·p·(1−p)) (rounded outwards, clamped to
 *   1..n); its ends are the values at those ranks in the run's whole-run merged histogram (for
 *   latency: the recorded values and the arrivals still waiting at the end, with the arrivals never
 *   answered ranked above them all, at +∞ — the same population the summary's figures describe).
 *   The max is the top order statistic: its interval spans the three largest values (ranks n−2..n).
 *   A figure **regressed** when this run's interval lies wholly above the baseline's (its low end is
 *   above the baseline's high end), **improved** when wholly below; overlapping intervals are
 *   **same**. A figure without samples in either run is same.
 * - **Rates and counts of due arrivals** (ok, error, drop rate; the achieved rate as the share of
 *   due arrivals put on the wire; the DLQ peak as a share of due arrivals; lost and duplicated as
 *   shares of accepted messages): a two-proportion z-test with the pooled proportion; the figure
 *   changed when |z| > 1.96, and the sign of the change and whether higher is better decide
 *   regressed or improved.
 * - **Cold-start tax** (first-K p50 − baseline p50 after each idle gap, paired by order, shown when
 *   both runs have it): the first K's values are not stored, so the rule is conservative and
 *   nonparametric: regressed when this run's first-K p50 is above the baseline's first-K p99 (half
 *   of its first K above a value only one in a hundred of the baseline's passed), improved when
 *   its first-K p99 is below the baseline's first-K p50; otherwise same.
 *
 * Pure apart from `loadRunFigures`, which reads a results directory; the comparison is written to
 * `baseline.md` (BASELINE_FILE) in the compared run's directory.
 */

export type FigureVerdict = 'regressed' | 'improved' | 'same';

export interface FigureComparison {
  /** e.g. "latency p99", "error rate". */
  figure: string;
  unit: 'ms' | 'share' | 'per_s' | 'count';
  before: number | null;
  after: number | null;
  /** after − before; null when either is null. */
  delta: number | null;
  verdict: FigureVerdict;
  /** How the verdict was reached, in words (the intervals or the z statistic). */
  basis: string;
  /** The figures as printed (latency may read "≥ 1.2s" or "never"). */
  beforeText: string;
  afterText: string;
}

export interface BaselineComparison {
  baselineDir: string;
  dir: string;
  figures: FigureComparison[];
  regressed: number;
  improved: number;
}

/** What a comparison needs of one run: its summary and its whole-run merged histograms (µs). */
export interface RunFigures {
  dir: string;
  summary: Summary;
  /** Recorded latency from the intended time plus the arrivals still waiting at the end (their age). */
  latency: Histogram;
  serviceTime: Histogram;
  e2e: Histogram;
}

/** The comparison's file in the compared run's directory. */
export const BASELINE_FILE = 'baseline.md';

export function baselinePath(dir: string): string {
  return join(dir, BASELINE_FILE);
}

/** 95 %: the z of the confidence intervals and of the two-proportion test. */
export const Z95 = 1.96;

/**
 * Reads a results directory: its summary (built from its report model unless given, e.g. the one
 * finalizeResults returned) and the whole-run histograms, merged from the hlog.
 */
export async function loadRunFigures(dir: string, summary?: Summary): Promise<RunFigures> {
  const s = summary ?? (await buildReportModel(dir)).summary;
  const hlog = await readHlogFile(resultPath(dir, 'hlog'));
  const latency = createHistogram();
  latency.add(hlog.cumulative.latency);
  latency.add(hlog.cumulative.waiting);
  return { dir, summary: s, latency, serviceTime: hlog.cumulative.serviceTime, e2e: hlog.e2e };
}

/** A rank interval of the p-quantile (0 < p ≤ 1) among n values, 1-based, inclusive. */
export function quantileRankInterval(n: number, p: number): [number, number] {
  if (p >= 1) return [Math.max(1, n - 2), n];
  const center = n * p;
  const half = Z95 * Math.sqrt(n * p * (1 - p));
  return [Math.max(1, Math.floor(center - half)), Math.min(n, Math.ceil(center + half))];
}

/**
 * The confidence interval (ms) of the p-quantile (0 < p ≤ 1; 1 = max) of `n` values: those in `h`
 * and, above them, n − h.totalCount values at +∞ (never answered). Null without values.
 */
export function quantileInterval(h: Histogram, n: number, p: number): [number, number] | null {
  if (n <= 0) return null;
  const [lo, hi] = quantileRankInterval(n, p);
  const at = (rank: number) => (rank > h.totalCount ? Infinity : valueAtRankUs(h, rank) / 1000);
  return [at(lo), at(hi)];
}

/** Two-proportion z statistic (after − before) with the pooled proportion; 0 when undecidable. */
export function twoProportionZ(beforeX: number, beforeN: number, afterX: number, afterN: number): number {
  if (beforeN <= 0 || afterN <= 0) return 0;
  const pooled = (beforeX + afterX) / (beforeN + afterN);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / beforeN + 1 / afterN));
  if (!(se > 0)) return 0;
  return (afterX / afterN - beforeX / beforeN) / se;
}

function verdictOf(change: -1 | 0 | 1, higherIsBetter: boolean): FigureVerdict {
  if (change === 0) return 'same';
  return (change > 0) === higherIsBetter ? 'improved' : 'regressed';
}

const fmtInterval = (i: [number, number] | null) => (i === null ? 'no samples' : `[${formatMs(i[0])}, ${formatMs(i[1])}]`);

function delta(a: number | null, b: number | null, round: (x: number) => number = round3): number | null {
  return a === null || b === null ? null : round(b - a);
}

/** A percentile figure judged by its confidence intervals (higher is worse). */
function percentileFigure(
  figure: string, p: number,
  before: { value: number | null; text: string; h: Histogram; n: number },
  after: { value: number | null; text: string; h: Histogram; n: number },
): FigureComparison {
  const bi = quantileInterval(before.h, before.n, p);
  const ai = quantileInterval(after.h, after.n, p);
  let change: -1 | 0 | 1 = 0;
  if (bi && ai) change = ai[0] > bi[1] ? 1 : ai[1] < bi[0] ? -1 : 0;
  return {
    figure, unit: 'ms', before: before.value, after: after.value, delta: delta(before.value, after.value), verdict: verdictOf(change, false),
    basis: `95% CI ${fmtInterval(bi)} vs ${fmtInterval(ai)}`, beforeText: before.text, afterText: after.text,
  };
}

/** A share judged by the two-proportion test; `value` is what is shown (a share, or a rate for `per_s`). */
function proportionFigure(
  figure: string, unit: FigureComparison['unit'], higherIsBetter: boolean,
  before: { x: number; n: number; value: number }, after: { x: number; n: number; value: number },
): FigureComparison {
  const z = twoProportionZ(before.x, before.n, after.x, after.n);
  const change: -1 | 0 | 1 = z > Z95 ? 1 : z < -Z95 ? -1 : 0;
  const text = (v: number) => (unit === 'share' ? percent(v) : unit === 'per_s' ? `${count(round3(v))}/s` : count(v));
  return {
    figure, unit, before: before.value, after: after.value, delta: round6(after.value - before.value), verdict: verdictOf(change, higherIsBetter),
    basis: `two-proportion z = ${z.toFixed(2)} (${count(before.x)}/${count(before.n)} vs ${count(after.x)}/${count(after.n)})`,
    beforeText: text(before.value), afterText: text(after.value),
  };
}

const LATENCY_KEYS = [['p50', 0.5], ['p90', 0.9], ['p99', 0.99], ['p999', 0.999], ['max', 1]] as const;
const LABEL: Record<string, string> = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9', max: 'max' };

/** Pure: every headline figure of `after` against `before` (the baseline), each with its verdict. */
export function compareRuns(before: RunFigures, after: RunFigures): BaselineComparison {
  const b = before.summary;
  const a = after.summary;
  const figures: FigureComparison[] = [];
  const due = (s: Summary) => s.counts.due;
  figures.push(proportionFigure('ok rate', 'share', true, { x: b.counts.ok, n: due(b), value: b.okRate }, { x: a.counts.ok, n: due(a), value: a.okRate }));
  figures.push(proportionFigure('error rate', 'share', false, { x: b.counts.failed, n: due(b), value: b.errorRate }, { x: a.counts.failed, n: due(a), value: a.errorRate }));
  figures.push(proportionFigure('drop rate', 'share', false, { x: b.counts.dropped, n: due(b), value: b.dropRate }, { x: a.counts.dropped, n: due(a), value: a.dropRate }));
  const written = (s: Summary) => Math.min(s.counts.written, s.counts.due);
  figures.push(proportionFigure('achieved rate', 'per_s', true, { x: written(b), n: due(b), value: b.rate.achieved }, { x: written(a), n: due(a), value: a.rate.achieved }));
  for (const [key, p] of LATENCY_KEYS) {
    figures.push(percentileFigure(`latency ${LABEL[key]}`, p,
      { value: b.latency[key], text: formatFigure(b.latency, key, formatMs), h: before.latency, n: b.latency.count },
      { value: a.latency[key], text: formatFigure(a.latency, key, formatMs), h: after.latency, n: a.latency.count }));
  }
  figures.push(percentileFigure('service time p99', 0.99,
    { value: b.serviceTime.p99, text: formatMs(b.serviceTime.p99), h: before.serviceTime, n: before.serviceTime.totalCount },
    { value: a.serviceTime.p99, text: formatMs(a.serviceTime.p99), h: after.serviceTime, n: after.serviceTime.totalCount }));
  if (b.delivery && a.delivery) {
    figures.push(percentileFigure('e2e p99', 0.99,
      { value: b.delivery.e2eLatency.p99, text: formatMs(b.delivery.e2eLatency.p99), h: before.e2e, n: before.e2e.totalCount },
      { value: a.delivery.e2eLatency.p99, text: formatMs(a.delivery.e2eLatency.p99), h: after.e2e, n: after.e2e.totalCount }));
  }
  const dlqPeak = (s: Summary) => {
    const dlqs = s.queues?.filter((q) => q.role === 'dlq') ?? [];
    return dlqs.length ? Math.max(...dlqs.map((q) => q.peakDepth)) : null;
  };
  const bd = dlqPeak(b);
  const ad = dlqPeak(a);
  if (bd !== null || ad !== null) {
    figures.push(proportionFigure('DLQ peak', 'count', false, { x: Math.min(bd ?? 0, due(b)), n: due(b), value: bd ?? 0 }, { x: Math.min(ad ?? 0, due(a)), n: due(a), value: ad ?? 0 }));
  }
  if (b.delivery && a.delivery) {
    const bdl = b.delivery;
    const adl = a.delivery;
    figures.push(proportionFigure('lost', 'count', false, { x: bdl.lost, n: bdl.accepted, value: bdl.lost }, { x: adl.lost, n: adl.accepted, value: adl.lost }));
    figures.push(proportionFigure('duplicated', 'count', false, { x: bdl.duplicated, n: bdl.accepted, value: bdl.duplicated }, { x: adl.duplicated, n: adl.accepted, value: adl.duplicated }));
  }
  const bt = b.afterIdleGaps.filter((g) => g.tax);
  const at = a.afterIdleGaps.filter((g) => g.tax);
  for (let i = 0; i < Math.min(bt.length, at.length); i++) figures.push(taxFigure(bt[i], at[i]));
  return {
    baselineDir: before.dir, dir: after.dir, figures,
    regressed: figures.filter((f) => f.verdict === 'regressed').length, improved: figures.filter((f) => f.verdict === 'improved').length,
  };
}

type Gap = Summary['afterIdleGaps'][number];

function taxFigure(b: Gap, a: Gap): FigureComparison {
  const bk = b.tax!.firstK;
  const ak = a.tax!.firstK;
  let change: -1 | 0 | 1 = 0;
  if (ak.p50Ms !== null && bk.p99Ms !== null && ak.p50Ms > bk.p99Ms) change = 1;
  else if (ak.p99Ms !== null && bk.p50Ms !== null && ak.p99Ms < bk.p50Ms) change = -1;
  const before = b.tax!.taxMs;
  const after = a.tax!.taxMs;
  return {
    figure: `cold-start tax after ${a.gap}`, unit: 'ms', before, after, delta: delta(before, after), verdict: verdictOf(change, false),
    basis: `first-K p50/p99 ${formatMs(bk.p50Ms)}/${formatMs(bk.p99Ms)} vs ${formatMs(ak.p50Ms)}/${formatMs(ak.p99Ms)}`,
    beforeText: formatMs(before), afterText: formatMs(after),
  };
}

function formatDelta(f: FigureComparison): string {
  if (f.delta === null) return '–';
  const sign = f.delta > 0 ? '+' : f.delta < 0 ? '−' : '±';
  const mag = Math.abs(f.delta);
  const body = f.unit === 'ms' ? formatMs(mag) : f.unit === 'share' ? `${(mag * 100).toFixed(2)} pp` : f.unit === 'per_s' ? `${count(round3(mag))}/s` : count(mag);
  const rel = f.unit !== 'share' && f.before !== null && f.before > 0 && Number.isFinite(f.before) ? ` (${f.delta >= 0 ? '+' : '−'}${((mag / f.before) * 100).toFixed(1)}%)` : '';
  return `${sign}${body}${rel}`;
}

const VERDICT_MARK: Record<FigureVerdict, string> = { regressed: '🔴 regressed', improved: '🟢 improved', same: 'same' };

/** The comparison as a Markdown table (figure, baseline, this run, delta, verdict). Pure. */
export function renderBaselineTable(c: BaselineComparison): string[] {
  const lines = ['| Figure | Baseline | This run | Delta | Verdict |', '|---|---:|---:|---:|---|'];
  for (const f of c.figures) lines.push(`| ${f.figure} | ${f.beforeText} | ${f.afterText} | ${formatDelta(f)} | ${VERDICT_MARK[f.verdict]} |`);
  return lines;
}

/** One line: how many figures regressed and improved. */
export function baselineVerdictLine(c: BaselineComparison): string {
  if (c.regressed > 0) return `REGRESSED: ${c.regressed} of ${c.figures.length} figures regressed beyond noise${c.improved ? `, ${c.improved} improved` : ''}.`;
  if (c.improved > 0) return `IMPROVED: ${c.improved} of ${c.figures.length} figures improved beyond noise, none regressed.`;
  return `SAME: all ${c.figures.length} figures within noise of the baseline.`;
}

/** baseline.md: the verdict line, the table, how each verdict was judged. Pure. */
export function renderBaselineMarkdown(c: BaselineComparison): string {
  return [
    '# Comparison with the baseline', '',
    `This run: \`${c.dir}\`; baseline: \`${c.baselineDir}\`.`, '',
    `**${baselineVerdictLine(c)}**`, '',
    ...renderBaselineTable(c), '',
    'Noise: a percentile regressed or improved only when the 95 % confidence intervals of the two runs (from the rank interval n·p ± 1.96·√(n·p·(1−p)) read in each run\'s merged histogram) do not overlap; a rate only when a two-proportion z-test gives |z| > 1.96.', '',
    '| Figure | How it was judged |', '|---|---|',
    ...c.figures.map((f) => `| ${f.figure} | ${f.basis} |`), '',
  ].join('\n');
}
