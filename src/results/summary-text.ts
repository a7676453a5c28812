import type { ColdStartTax } from '../metrics/cold-start-tax.js';
import { formatFigure, type LatencyFigures } from '../metrics/latency-figures.js';
import type { Percentiles } from '../metrics/histogram.js';
import { formatUsd } from '../targets/cost.js';
import { formatMs } from '../util/units.js';
import { deliveryLine } from './delivery-summary.js';
import { faultLines } from './fault-summary.js';
import type { Summary } from './summary.js';
import { count, percent, share, thresholdActual } from './verdict.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

const fig = (p: Percentiles | LatencyFigures, key: 'p50' | 'p90' | 'p99' | 'p999' | 'max') => formatFigure(p, key, formatMs);

/** The final summary as plain text lines (the CLI prints them; the Markdown report embeds them). Pure. */
export function formatSummary(s: Summary, dir?: string): string[] {
  const c = s.counts;
  const lines: string[] = [];
  lines.push(`${s.name}: ${s.status}, ${(s.durationMs / 1000).toFixed(1)}s against ${s.target}`);
  lines.push(`${s.verdict}: ${s.headline}`);
  lines.push('');
  lines.push(`rate: target ${s.rate.target}/s, achieved ${s.rate.achieved}/s on the wire, answered ${s.rate.answered}/s (peak target ${s.rate.peakTarget}/s)`);
  lines.push(`arrivals: ${count(c.due)} due — ok ${count(c.ok)} (${share(c.ok, c.due)}), failed ${count(c.failed)} (${share(c.failed, c.due)}), dropped ${count(c.dropped)} (${share(c.dropped, c.due)}), unfinished ${count(c.unfinished)} (${share(c.unfinished, c.due)})`);
  lines.push(`requests: sent ${count(c.sent)}, on the wire ${count(c.written)}, answered ${count(c.answered)} (${share(c.answered, c.due)} of due arrivals)`);
  if (s.requests) {
    const r = s.requests;
    const failed = Object.entries(r.errors).map(([k, v]) => `${k} ${count(v)}`).join(', ');
    lines.push(`batch calls: ${count(r.count)} (${count(r.ok)} ok${r.failed ? `, ${count(r.failed)} failed: ${failed}` : ''}), ${(r.records / Math.max(1, r.count)).toFixed(1)} records a call, ${count(r.retries)} record(s) retried`);
  }
  if (s.shards) {
    const hot = s.shards.filter((x) => x.hot);
    lines.push(`shards: ${s.shards.length}${hot.length ? `; hot: ${hot.map((x) => `${x.id} (${x.why})`).join('; ')}` : ', none hot'}`);
    const age = iteratorAgeLine(s.shards);
    if (age) lines.push(age);
  }
  if (s.cost) {
    const est = s.cost.estimate ? `estimated ${formatUsd(s.cost.estimate.usd)} before the run` : 'no estimate';
    const actual = s.cost.actual ? `; the run's calls: ${formatUsd(s.cost.actual.usd)} (${s.cost.actual.items.map((i) => `${i.what} ${count(Math.round(i.units))}`).join(', ')}${s.cost.actual.notes.length ? `; ${s.cost.actual.notes.join('; ')}` : ''})` : '';
    lines.push(`cost: ${est}${s.cost.budgetUsd !== null ? ` (budget ${formatUsd(s.cost.budgetUsd)})` : ''}${actual}, at list prices unless the scenario sets its own`);
  }
  const errs = Object.entries(s.errors).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${count(v)}`).join(', ');
  if (s.delivery) lines.push(deliveryLine(s.delivery, formatMs));
  for (const f of s.faults ?? []) lines.push(...faultLines(f));
  for (const q of s.queues ?? []) lines.push(`queue ${q.name} (${q.role}): peak depth ${count(q.peakDepth)}, final ${count(q.finalDepth)}`);
  lines.push(`errors: ${errs || 'none'}`);
  lines.push('');
  lines.push(describesLine(s.latency));
  lines.push(...table([
    ['', 'p50', 'p90', 'p99', 'p99.9', 'max'],
    ...([['latency (from intended)', s.latency], ['service time', s.serviceTime], ['schedule lag', s.scheduleLag]] as const).map(([label, p]) => [
      label, fig(p, 'p50'), fig(p, 'p90'), fig(p, 'p99'), fig(p, 'p999'), fig(p, 'max'),
    ]),
  ]));
  if (s.latency.censored) lines.push('(≥: a lower bound, decided by arrivals still waiting at the end; never: decided by arrivals never answered; –: no samples)');
  if (s.afterIdleGaps.length > 0) {
    lines.push('');
    lines.push(`baseline (outside idle gaps and the windows right after them): p50 ${fig(s.baseline, 'p50')}, p99 ${fig(s.baseline, 'p99')}`);
    for (const g of s.afterIdleGaps) {
      lines.push(afterGapLine(g));
      if (g.tax) lines.push(`  ${taxLine(g.tax)}`);
    }
  }
  if (s.thresholds.length > 0) {
    lines.push('');
    lines.push(...table([['threshold', 'actual', 'result'], ...s.thresholds.map((t) => [t.source, thresholdActual(t), t.pass ? 'PASS' : 'FAIL'])]));
  }
  if (s.warmup.gaveUp) lines.push('', warmupLine(s.warmup));
  if (s.generator.cpuUsPerRequest !== null) lines.push('', `generator: ${s.generator.cpuMs} ms CPU, ${s.generator.cpuUsPerRequest.toFixed(1)} µs per request (this process only; the sandbox runs in its own)`);
  if (s.generator.warnings > 0) lines.push('', `generator warnings: ${s.generator.warnings} (see the journal; max schedule lag p99 ${formatMs(s.generator.maxScheduleLagP99Ms)})`);
  lines.push('', `verdict: ${s.verdict} (exit ${s.exitCode})`);
  if (dir) lines.push(`results: ${dir}`);
  return lines;
}

/** Which share of the due arrivals the latency figures describe, and how. */
export function describesLine(l: LatencyFigures): string {
  if (l.count === 0) return 'latency: no arrivals were due';
  if (!l.censored) return `latency describes all ${count(l.count)} due arrivals: every one was answered or timed out`;
  const parts = [`${percent(l.recorded / l.count)} answered or timed out`];
  if (l.waiting > 0) parts.push(`${percent(l.waiting / l.count)} still waiting at the end (counted at their age then: ≥)`);
  if (l.neverAnswered > 0) parts.push(`${percent(l.neverAnswered / l.count)} never answered (dropped, or failed before any answer: never)`);
  return `latency describes all ${count(l.count)} due arrivals: ${parts.join(', ')}`;
}

/** The warm-up stopped waiting: say so on one line. */
export function warmupLine(w: Summary['warmup']): string {
  if (w.answered === 0) return `warm-up: the target answered none of ${w.requests} request(s) within ${formatMs(w.durationMs)} (${w.unanswered} still waiting); the clock started anyway, so the run measures it`;
  return `warm-up: stopped waiting after ${formatMs(w.durationMs)} with ${w.unanswered} of ${w.requests} request(s) unanswered (the target answers slowly)`;
}

/** "after idle gap 'gap-1' (20.0–25.0 s): p99 1.21s vs baseline 38.2ms (31.7×), max 1.40s" */
export function afterGapLine(g: Summary['afterIdleGaps'][number]): string {
  const span = `${(g.startMs / 1000).toFixed(1)}–${(g.endMs / 1000).toFixed(1)} s`;
  if (g.latency.count === 0) return `after idle gap '${g.gap}' (${span}): no requests completed`;
  const ratio = g.p99VsBaseline === null ? '' : ` (${g.p99VsBaseline.toFixed(1)}× the baseline p99)`;
  return `after idle gap '${g.gap}' (${span}): p50 ${fig(g.latency, 'p50')}, p99 ${fig(g.latency, 'p99')}${ratio}, max ${fig(g.latency, 'max')}`;
}

/**
 * "cold-start tax: first 100 requests p50 640ms (+637ms, 213× the baseline p50), p99 1.02s (170×),
 * max 1.05s; back within 1.2× the baseline p99 (≤ 7.20ms) after 180 requests (0.42 s); 9 ingest
 * cold starts in 20.0–22.0 s"
 */
export function taxLine(t: ColdStartTax): string {
  const k = t.firstK;
  if (k.completed === 0) return `cold-start tax: none of the first ${k.due} requests after the gap completed`;
  const x = (r: number | null) => (r === null ? '' : `${r.toFixed(1)}×`);
  const extra = t.taxMs === null ? '' : `${t.taxMs >= 0 ? '+' : '−'}${formatMs(Math.abs(t.taxMs))}`;
  const p50 = [extra, k.vsBaseline.p50 === null ? '' : `${x(k.vsBaseline.p50)} the baseline p50`].filter(Boolean).join(', ');
  const p99 = k.vsBaseline.p99 === null ? '' : ` (${x(k.vsBaseline.p99)})`;
  const head = `cold-start tax: first ${k.completed === k.due ? k.due : `${k.completed} of ${k.due}`} requests p50 ${formatMs(k.p50Ms)}${p50 ? ` (${p50})` : ''}, p99 ${formatMs(k.p99Ms)}${p99}, max ${formatMs(k.maxMs)}${k.failed ? `, ${k.failed} failed` : ''}`;
  return [head, recoveryText(t.recovery), coldStartsText(t.coldStarts)].filter(Boolean).join('; ');
}

function recoveryText(r: ColdStartTax['recovery']): string {
  if (r.thresholdMs === null) return 'no baseline to recover to';
  const within = `within ${r.factor}× the baseline p99 (≤ ${formatMs(r.thresholdMs)})`;
  if (r.requests === null) return `not back ${within} in the ${count(r.followed)} requests followed`;
  return `back ${within} after ${count(r.requests)} requests (${((r.afterMs ?? 0) / 1000).toFixed(2)} s)`;
}

function coldStartsText(c: ColdStartTax['coldStarts']): string {
  if (c === null) return '';
  return `${count(c.count)} ingest cold start${c.count === 1 ? '' : 's'} in ${(c.fromMs / 1000).toFixed(1)}–${(c.toMs / 1000).toFixed(1)} s`;
}

/** "iterator age: max 8.2s on shardId-000000000002 (blocked by a failing batch); the other 3 shards ≤ 120ms" — when a probe read it. */
export function iteratorAgeLine(shards: NonNullable<Summary['shards']>): string | undefined {
  const read = shards.filter((x) => x.iteratorAgeMsMax !== undefined).sort((a, b) => (b.iteratorAgeMsMax ?? 0) - (a.iteratorAgeMsMax ?? 0));
  if (read.length === 0) return undefined;
  const [top, ...rest] = read;
  const others = rest.length === 0 ? '' : `; the other ${rest.length} shard(s) ≤ ${formatMs(rest[0].iteratorAgeMsMax ?? 0)}`;
  const blocked = read.filter((x) => x.blocked);
  const why = blocked.length === 0 ? '' : ` (blocked by a failing batch: ${blocked.map((x) => x.id).join(', ')})`;
  return `iterator age: max ${formatMs(top.iteratorAgeMsMax ?? 0)} on ${top.id}${others}${why}`;
}
