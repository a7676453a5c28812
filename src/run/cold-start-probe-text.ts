import { formatDuration, formatMs } from '../util/units.js';
import type { ColdProbeProgress, ColdProbeResult, ColdProbeSample } from './cold-start-probe.js';

/** "1h02m", "3m20s", "12s", "0.2s": time left, rounded up to the second from a minute on. */
export function formatLeft(ms: number): string {
  if (ms < 60_000) return `${(Math.ceil(ms / 100) / 10).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const s = Math.ceil(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}

function sampleText(s: ColdProbeSample, header: string | null): string {
  if (s.cold === null) return `no answer (${s.error ?? 'error'})`;
  const why = s.by === 'header' ? `${header}: ${s.cold ? '1' : '0'}` : 'by latency';
  return `${s.cold ? 'COLD' : 'warm'} (${why}), ${formatMs(s.latencyMs)}, status ${s.status}`;
}

/** One progress line (the command prints them on stderr). */
export function progressLine(p: ColdProbeProgress, header: string | null): string {
  switch (p.type) {
    case 'warm':
      return `warm: ${p.requests} requests, p50 ${formatMs(p.p50Ms)}, p90 ${formatMs(p.p90Ms)}, max ${formatMs(p.maxMs)}; a request without ${header ?? 'a cold header'} counts as cold above ${formatMs(p.thresholdMs)}`;
    case 'idle':
      return `[${p.step}/${p.steps}] idle for a ${formatDuration(p.gapMs)} gap${p.repeats > 1 ? ` (repeat ${p.repeat}/${p.repeats})` : ''}: ${formatLeft(p.leftMs)} left, about ${formatLeft(p.totalLeftMs)} of idle time left in all`;
    case 'sample':
      return `[${p.step}/${p.steps}] after ${formatDuration(p.sample.gapMs)} idle: ${sampleText(p.sample, header)}`;
  }
}

/** The result as text lines. */
export function resultLines(r: ColdProbeResult): string[] {
  const rows = [['gap', 'requests', 'cold', 'warm', 'failed', 'verdict'], ...r.gaps.map((g) => [formatDuration(g.gapMs), String(g.requests), String(g.cold), String(g.warm), String(g.failed), g.verdict])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return [
    `cold-start probe of ${r.url} (${formatLeft(r.durationMs)})`,
    `warm latency: p50 ${formatMs(r.warm.p50Ms)}, p90 ${formatMs(r.warm.p90Ms)}, max ${formatMs(r.warm.maxMs)} over ${r.warm.requests} requests; cold: ${r.rule.header ? `the ${r.rule.header} header, else ` : ''}latency above ${formatMs(r.rule.latencyThresholdMs)}`,
    '',
    ...rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()),
    '',
    r.conclusion,
  ];
}
