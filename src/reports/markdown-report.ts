import { formatFigure } from '../metrics/latency-figures.js';
import { chartFile } from '../results/results-dir.js';
import type { Summary } from '../results/summary.js';
import { afterGapLine, formatSummary } from '../results/summary-text.js';
import { formatMs } from '../util/units.js';
import type { Finding } from './findings.js';
import { rerunCommand, summaryParagraph } from './narrative.js';
import type { ReportModel } from './report-model.js';
import type { TimelineBucket } from './timeline-buckets.js';
import type { TimelineEvent } from './timeline-events.js';

/** The Markdown report of a finished (or killed) run, rendered from its report model (and the charts written beside it). Pure: same model, same text. */
export function renderMarkdownReport(model: ReportModel, charts: readonly { id: string; title: string }[] = []): string {
  const { summary, journal } = model;
  const out: string[] = [];
  out.push(`# ${summary.name} — ${summary.verdict}`, '');
  out.push(`**${summary.headline}**`, '', summaryParagraph(summary), '');
  if (summary.description) out.push(summary.description, '');
  if (summary.latency.censored) out.push(censoredNote(summary), '');
  out.push('## Summary', '', '```', ...formatSummary(summary), '```', '');
  out.push(...findingsSection(model.findings));
  out.push('## Experiment', '');
  out.push(`- Target: ${summary.target}`);
  out.push(`- Seed: ${summary.seed}${summary.scenario ? `; scenario \`${summary.scenario}\`` : ''}`);
  out.push(`- Rerun: \`${rerunCommand(summary)}\``);
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
  out.push(...eventsSection(model.events));
  out.push(...chartsSection(charts));
  out.push('## Timeline', '', 'Arrivals by the time they were due, and what became of them; rates over each row\'s span; latency from the intended time, merged from the hlog\'s histograms of the row\'s intervals (with the arrivals still waiting at its end, as lower bounds).', '');
  out.push('| t (s) | phase | faults | due | ok | failed | dropped | unfinished | wire/s | answered/s | p50 | p99 | DLQ |', '|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const b of model.timeline) out.push(bucketRow(b));
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
  out.push('- `junit.xml`: one test case per threshold and per finding, for CI');
  out.push('- `report.html`: this report as one self-contained page, charts inline; `chart-*.svg`: the charts above');
  const skipped = model.skipped.journal + model.skipped.hlog;
  if (skipped > 0) out.push(`- ${skipped} unreadable line(s) skipped (${model.skipped.journal} in the journal, ${model.skipped.hlog} in the hlog): a process killed mid-write`);
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

function bucketRow(b: TimelineBucket): string {
  const lat = b.latency;
  return `| ${(b.startMs / 1000).toFixed(0)} | ${b.phase} | ${b.faults.join(', ')} | ${b.due} | ${b.ok} | ${b.failed} | ${b.dropped} | ${b.unfinished} | ${b.wireRate.toFixed(0)} | ${b.answeredRate.toFixed(0)} | ${formatFigure(lat, 'p50', formatMs)} | ${formatFigure(lat, 'p99', formatMs)} | ${b.dlqDepth ?? ''} |`;
}

/** "## Findings": what the data supports, problems first, with an action item each where one follows. */
function findingsSection(findings: readonly Finding[]): string[] {
  if (findings.length === 0) return [];
  const out = ['## Findings', ''];
  for (const f of findings) out.push(`- **${f.severity === 'problem' ? 'Problem' : 'Note'}: ${f.title}.** ${f.figure}.`);
  const actions = findings.filter((f) => f.action !== null);
  if (actions.length > 0) {
    out.push('', '### Action items', '');
    for (const f of actions) out.push(`- [ ] ${f.action} (${f.title})`);
  }
  out.push('');
  return out;
}

/** "## Charts": the chart files of the results directory (the same SVGs report.html holds inline). */
function chartsSection(charts: readonly { id: string; title: string }[]): string[] {
  if (charts.length === 0) return [];
  const out = ['## Charts', ''];
  for (const c of charts) out.push(`![${c.title}](${chartFile(c.id)})`, '');
  return out;
}

/** "## What happened": the journal's events with their offset and wall-clock time. */
function eventsSection(events: readonly TimelineEvent[]): string[] {
  const out = ['## What happened', '', '| t (s) | time (UTC) | event |', '|---:|---|---|'];
  for (const e of events) out.push(`| ${(e.tMs / 1000).toFixed(1)} | ${e.at.slice(11, 23)} | ${e.text.replace(/\|/g, '\\|')} |`);
  out.push('');
  return out;
}

/** Says which latency figures are not exact, and how much of the run got an answer. */
function censoredNote(s: Summary): string {
  const parts: string[] = [];
  if (s.latency.atLeast.length > 0) parts.push(`lower bounds (≥), decided by arrivals still waiting at the end: ${s.latency.atLeast.join(', ')}`);
  if (s.latency.never.length > 0) parts.push(`never answered, decided by arrivals dropped or failed before any answer: ${s.latency.never.join(', ')}`);
  return `Latency figures are censored — ${parts.join('; ')}. ${(s.latency.answeredFraction * 100).toFixed(2)}% of the due arrivals got an answer.`;
}
