import type { Summary } from './summary.js';
import { formatMs } from '../util/units.js';

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd());
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x < 0.001 && x > 0 ? 4 : 2)}%`;
}

/** The final summary as plain text lines (the CLI prints them; reports reuse parts). Pure. */
export function formatSummary(s: Summary, dir?: string): string[] {
  const lines: string[] = [];
  lines.push(`${s.name}: ${s.status}, ${(s.durationMs / 1000).toFixed(1)}s against ${s.target}`);
  lines.push(`rate: target ${s.rate.target}/s, achieved ${s.rate.achieved}/s (peak target ${s.rate.peakTarget}/s)`);
  lines.push(`counts: planned ${s.counts.planned}, sent ${s.counts.sent}, ok ${s.counts.ok}, failed ${s.counts.failed}, dropped ${s.counts.dropped}, unfinished ${s.counts.unfinished}`);
  const errs = Object.entries(s.errors).map(([k, v]) => `${k} ${v}`).join(', ');
  lines.push(`errors: ${errs || 'none'} (error rate ${pct(s.errorRate)})`);
  lines.push('');
  lines.push(...table([
    ['', 'p50', 'p90', 'p99', 'p99.9', 'max'],
    ...([['latency (from intended)', s.latency], ['service time', s.serviceTime], ['schedule lag', s.scheduleLag]] as const).map(([label, p]) => [
      label, formatMs(p.p50), formatMs(p.p90), formatMs(p.p99), formatMs(p.p999), formatMs(p.max),
    ]),
  ]));
  if (s.afterIdleGaps.length > 0) {
    lines.push('');
    lines.push(`baseline (outside idle gaps and the windows right after them): p50 ${formatMs(s.baseline.p50)}, p99 ${formatMs(s.baseline.p99)}`);
    for (const g of s.afterIdleGaps) lines.push(afterGapLine(g));
  }
  if (s.thresholds.length > 0) {
    lines.push('');
    lines.push(...table([
      ['threshold', 'actual', 'result'],
      ...s.thresholds.map((t) => [t.source, t.actual === null ? 'unknown metric' : fmtActual(t.metric, t.actual), t.pass ? 'PASS' : 'FAIL']),
    ]));
  }
  if (s.generator.cpuUsPerRequest !== null) lines.push('', `generator: ${s.generator.cpuMs} ms CPU, ${s.generator.cpuUsPerRequest.toFixed(1)} µs per request (this process only; the sandbox runs in its own)`);
  if (s.generator.warnings > 0) lines.push('', `generator warnings: ${s.generator.warnings} (see the journal; max schedule lag p99 ${formatMs(s.generator.maxScheduleLagP99Ms)})`);
  lines.push('', `verdict: ${verdict(s)} (exit ${s.exitCode})`);
  if (dir) lines.push(`results: ${dir}`);
  return lines;
}

function fmtActual(metric: string, v: number): string {
  return metric.endsWith('_rate') ? pct(v) : formatMs(v);
}

export function verdict(s: Summary): string {
  if (s.status === 'interrupted') return 'INTERRUPTED';
  if (s.status === 'incomplete') return 'INCOMPLETE (the run was killed)';
  return s.passed ? 'PASS' : 'FAIL';
}

/** "after idle gap 'gap-1' (20.0–25.0 s): p99 1.21s vs baseline 38.2ms (31.7×), max 1.40s" */
export function afterGapLine(g: Summary['afterIdleGaps'][number]): string {
  const span = `${(g.startMs / 1000).toFixed(1)}–${(g.endMs / 1000).toFixed(1)} s`;
  if (g.latency.count === 0) return `after idle gap '${g.gap}' (${span}): no requests completed`;
  const ratio = g.p99VsBaseline === null ? '' : ` (${g.p99VsBaseline.toFixed(1)}× the baseline p99)`;
  return `after idle gap '${g.gap}' (${span}): p50 ${formatMs(g.latency.p50)}, p99 ${formatMs(g.latency.p99)}${ratio}, max ${formatMs(g.latency.max)}`;
}
