import { formatFigure, type LatencyFigures } from '../metrics/latency-figures.js';
import type { Journal } from '../results/journal-reader.js';
import type { Summary } from '../results/summary.js';
import { afterGapLine, formatSummary } from '../results/summary-text.js';
import { formatMs } from '../util/units.js';

/** Most interval rows in the report's timeline; longer runs are folded into equal buckets. */
const MAX_TIMELINE_ROWS = 60;

/** A basic Markdown report of a finished (or killed) run. Pure: same inputs, same text. */
export function renderMarkdownReport(summary: Summary, journal: Journal, hlogSkippedLines = 0): string {
  const out: string[] = [];
  out.push(`# ${summary.name} — ${summary.verdict}`, '');
  out.push(`**${summary.headline}**`, '');
  if (summary.description) out.push(summary.description, '');
  if (summary.latency.censored) out.push(censoredNote(summary), '');
  out.push('## Summary', '', '```', ...formatSummary(summary), '```', '');
  out.push('## Experiment', '');
  out.push(`- Target: ${summary.target}`);
  out.push(`- Seed: ${summary.seed}${summary.scenario ? `; scenario \`${summary.scenario}\`` : ''}`);
  out.push(`- Started ${summary.startedAt}, ended ${summary.endedAt}`);
  out.push(`- Warm-up before the clock: ${summary.warmup.requests} request(s), ${summary.warmup.failed} failed, ${summary.warmup.unanswered} unanswered when it stopped waiting, ${formatMs(summary.warmup.durationMs)} (not in the figures below)`);
  for (const p of journal.phases) out.push(`- Phase ${p.index + 1} \`${p.name}\` (${p.kind}) from ${(p.tMs / 1000).toFixed(1)} s`);
  out.push('');
  if (summary.phases.length > 0) {
    out.push('## Latency by phase', '', '| phase | kind | from (s) | to (s) | requests | p50 | p99 | max |', '|---|---|---:|---:|---:|---:|---:|---:|');
    for (const p of summary.phases) out.push(`| ${p.name} | ${p.kind} | ${(p.startMs / 1000).toFixed(1)} | ${(p.endMs / 1000).toFixed(1)} | ${p.latency.count} | ${formatMs(p.latency.p50)} | ${formatMs(p.latency.p99)} | ${formatMs(p.latency.max)} |`);
    out.push('', 'Phase figures describe the answered and timed-out requests of each phase; the run\'s own figures above describe every due arrival.');
    out.push('');
  }
  if (summary.afterIdleGaps.length > 0) {
    out.push('## After idle gaps', '', `Baseline (non-idle time outside the windows below): p50 ${formatMs(summary.baseline.p50)}, p99 ${formatMs(summary.baseline.p99)}.`, '');
    for (const g of summary.afterIdleGaps) out.push(`- ${afterGapLine(g)}`);
    out.push('');
    out.push(...taxTable(summary.afterIdleGaps));
  }
  out.push('## Timeline', '', 'Arrivals by the interval they were due in, and what became of them; rates and latency as measured during each interval (latency includes the arrivals that had waited a whole interval or more at its close).', '');
  out.push('| t (s) | phase | due | ok | failed | dropped | unfinished | wire/s | answered/s | p50 | p99 |', '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
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

/** The cold-start tax of each gap as a table (nothing when the journal holds none). */
function taxTable(gaps: Summary['afterIdleGaps']): string[] {
  const taxed = gaps.filter((g) => g.tax !== null);
  if (taxed.length === 0) return [];
  const t0 = taxed[0].tax!;
  const out = [
    '### Cold-start tax', '',
    `The first ${t0.firstK.k} requests due after each gap against the baseline; "back": the first request from which ${t0.recovery.run} in a row ended ok within ${t0.recovery.factor}× the baseline p99; cold starts: the sandbox ingest's counter across that window.`, '',
    '| gap | first K | p50 | p99 | max | tax (p50 − baseline p50) | p99 vs baseline | back after (requests) | back after (s) | cold starts |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const { tax: t } of taxed) {
    const k = t!.firstK;
    const r = t!.recovery;
    const back = r.requests === null ? (r.thresholdMs === null ? ['–', '–'] : [`> ${r.followed}`, '–']) : [String(r.requests), ((r.afterMs ?? 0) / 1000).toFixed(2)];
    out.push(`| ${t!.gap} | ${k.completed}/${k.due} | ${formatMs(k.p50Ms)} | ${formatMs(k.p99Ms)} | ${formatMs(k.maxMs)} | ${formatMs(t!.taxMs)} | ${k.vsBaseline.p99 === null ? '–' : `${k.vsBaseline.p99.toFixed(1)}×`} | ${back[0]} | ${back[1]} | ${t!.coldStarts?.count ?? '–'} |`);
  }
  out.push('');
  return out;
}

function timelineRows(journal: Journal): string[] {
  const iv = journal.intervals;
  const fate = new Map(journal.outcomes.map((o) => [o.index, o]));
  const bucket = Math.max(1, Math.ceil(iv.length / MAX_TIMELINE_ROWS));
  const rows: string[] = [];
  for (let i = 0; i < iv.length; i += bucket) {
    const group = iv.slice(i, i + bucket);
    const secs = Math.max(1e-3, (group.at(-1)!.endMs - group[0].startMs) / 1000);
    const sum = (f: (o: { due: number; ok: number; failed: number; dropped: number; pending: number }) => number) => group.reduce((a, g) => a + f(fate.get(g.index) ?? { due: 0, ok: 0, failed: 0, dropped: 0, pending: 0 }), 0);
    const wire = group.reduce((a, g) => a + g.counts.written, 0);
    const answered = group.reduce((a, g) => a + (g.counts.answered ?? 0), 0);
    // Percentiles do not add: a folded row shows the worst interval's figures.
    const worst = group.map((g) => g.latency).reduce((a, b) => (rank(b, 'p99') > rank(a, 'p99') ? b : a));
    rows.push(`| ${(group[0].startMs / 1000).toFixed(0)} | ${group[0].phase} | ${sum((o) => o.due)} | ${sum((o) => o.ok)} | ${sum((o) => o.failed)} | ${sum((o) => o.dropped)} | ${sum((o) => o.pending)} | ${(wire / secs).toFixed(0)} | ${(answered / secs).toFixed(0)} | ${formatFigure(worst, 'p50', formatMs)} | ${formatFigure(worst, 'p99', formatMs)} |`);
  }
  return rows;
}

/** Says which latency figures are not exact, and how much of the run got an answer. */
function censoredNote(s: Summary): string {
  const parts: string[] = [];
  if (s.latency.atLeast.length > 0) parts.push(`lower bounds (≥), decided by arrivals still waiting at the end: ${s.latency.atLeast.join(', ')}`);
  if (s.latency.never.length > 0) parts.push(`never answered, decided by arrivals dropped or failed before any answer: ${s.latency.never.join(', ')}`);
  return `Latency figures are censored — ${parts.join('; ')}. ${(s.latency.answeredFraction * 100).toFixed(2)}% of the due arrivals got an answer.`;
}

/** Orders figures for "worst": never answered above every value, no samples below. */
function rank(f: LatencyFigures, key: 'p99'): number {
  if (f.never?.includes(key)) return Infinity;
  return f[key] ?? -1;
}
