import type { Summary } from '../results/summary.js';
import type { Journal } from '../results/journal-reader.js';
import { afterGapLine, formatSummary } from '../results/summary-text.js';
import { formatMs } from '../util/units.js';

/** Most interval rows in the report's timeline; longer runs are folded into equal buckets. */
const MAX_TIMELINE_ROWS = 60;

/** A basic Markdown report of a finished (or killed) run. Pure: same inputs, same text. */
export function renderMarkdownReport(summary: Summary, journal: Journal, hlogSkippedLines = 0): string {
  const out: string[] = [];
  out.push(`# ${summary.name} — ${summary.status === 'completed' ? (summary.passed ? 'PASS' : 'FAIL') : summary.status.toUpperCase()}`, '');
  if (summary.description) out.push(summary.description, '');
  out.push('## Summary', '', '```', ...formatSummary(summary), '```', '');
  out.push('## Experiment', '');
  out.push(`- Target: ${summary.target}`);
  out.push(`- Seed: ${summary.seed}${summary.scenario ? `; scenario \`${summary.scenario}\`` : ''}`);
  out.push(`- Started ${summary.startedAt}, ended ${summary.endedAt}`);
  out.push(`- Warm-up before the clock: ${summary.warmup.requests} request(s), ${summary.warmup.failed} failed, ${formatMs(summary.warmup.durationMs)} (not in the figures below)`);
  for (const p of journal.phases) out.push(`- Phase ${p.index + 1} \`${p.name}\` (${p.kind}) from ${(p.tMs / 1000).toFixed(1)} s`);
  out.push('');
  if (summary.phases.length > 0) {
    out.push('## Latency by phase', '', '| phase | kind | from (s) | to (s) | requests | p50 | p99 | max |', '|---|---|---:|---:|---:|---:|---:|---:|');
    for (const p of summary.phases) out.push(`| ${p.name} | ${p.kind} | ${(p.startMs / 1000).toFixed(1)} | ${(p.endMs / 1000).toFixed(1)} | ${p.latency.count} | ${formatMs(p.latency.p50)} | ${formatMs(p.latency.p99)} | ${formatMs(p.latency.max)} |`);
    out.push('');
  }
  if (summary.afterIdleGaps.length > 0) {
    out.push('## After idle gaps', '', `Baseline (non-idle time outside the windows below): p50 ${formatMs(summary.baseline.p50)}, p99 ${formatMs(summary.baseline.p99)}.`, '');
    for (const g of summary.afterIdleGaps) out.push(`- ${afterGapLine(g)}`);
    out.push('');
  }
  out.push('## Timeline', '', '| t (s) | phase | target/s | achieved/s | p50 | p99 | max | errors | dropped |', '|---:|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const row of timelineRows(journal)) out.push(row);
  out.push('');
  if (journal.warnings.length > 0) {
    out.push('## Warnings', '');
    for (const w of journal.warnings.slice(0, 50)) out.push(`- ${(w.tMs / 1000).toFixed(1)} s — ${w.code}: ${w.message}`);
    out.push('');
  }
  if (summary.slowest.length > 0) {
    out.push('## Slowest requests (trace ids)', '', '| trace id | latency | intended at (s) | outcome |', '|---|---:|---:|---|');
    for (const s of summary.slowest) out.push(`| \`${s.traceId}\` | ${formatMs(s.latencyMs)} | ${(s.dueMs / 1000).toFixed(3)} | ${s.outcome} |`);
    out.push('');
  }
  out.push('## Appendix', '', '- `journal.jsonl`: every event and interval snapshot', '- `latency.hlog`: HdrHistogram interval log (µs; tags latency, service, lag)', '- `summary.json`: the figures above, machine-readable');
  const skipped = journal.skippedLines + hlogSkippedLines;
  if (skipped > 0) out.push(`- ${skipped} unreadable line(s) skipped (${journal.skippedLines} in the journal, ${hlogSkippedLines} in the hlog): a process killed mid-write`);
  out.push('');
  return out.join('\n');
}

function timelineRows(journal: Journal): string[] {
  const iv = journal.intervals;
  const bucket = Math.max(1, Math.ceil(iv.length / MAX_TIMELINE_ROWS));
  const rows: string[] = [];
  for (let i = 0; i < iv.length; i += bucket) {
    const group = iv.slice(i, i + bucket);
    const secs = Math.max(1e-3, (group.at(-1)!.endMs - group[0].startMs) / 1000);
    const due = group.reduce((a, g) => a + g.counts.due, 0);
    const sent = group.reduce((a, g) => a + g.counts.sent, 0);
    const failed = group.reduce((a, g) => a + g.counts.failed, 0);
    const dropped = group.reduce((a, g) => a + g.counts.dropped, 0);
    // Percentiles do not add: a folded row shows the worst interval's p50/p99 and the max.
    const p50 = Math.max(...group.map((g) => g.latency.p50));
    const p99 = Math.max(...group.map((g) => g.latency.p99));
    const max = Math.max(...group.map((g) => g.latency.max));
    rows.push(`| ${(group[0].startMs / 1000).toFixed(0)} | ${group[0].phase} | ${(due / secs).toFixed(0)} | ${(sent / secs).toFixed(0)} | ${formatMs(p50)} | ${formatMs(p99)} | ${formatMs(max)} | ${failed} | ${dropped} |`);
  }
  return rows;
}
