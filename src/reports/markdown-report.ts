import { formatFigure } from '../metrics/latency-figures.js';
import { chartFile } from '../results/results-dir.js';
import type { Summary } from '../results/summary.js';
import { afterGapLine, formatSummary } from '../results/summary-text.js';
import { formatMs } from '../util/units.js';
import type { Finding } from './findings.js';
import { summaryParagraph } from './narrative.js';
import type { ReportModel } from './report-model.js';
import { censoredNote, detectionBlock, experimentBlock, factorLines, filesBlock, impactBlock, reviewBlock, sloBlock, slowestBlock, spectrumBlock, type Block } from './report-sections.js';
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
  out.push(...block(sloBlock(model)), ...block(experimentBlock(model)), ...block(impactBlock(model)));
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
  out.push(...block(detectionBlock(model)), ...factorsSection(model.findings), ...block(reviewBlock(model)), ...actionItems(model.findings));
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
  out.push('## Appendix', '');
  for (const b of [spectrumBlock(model), slowestBlock(model), filesBlock(model)]) if (b) out.push(...block(b));
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

/** "## Contributing factors": what the data supports, problems first, each with its figure and the chart that shows it. */
function factorsSection(findings: readonly Finding[]): string[] {
  const out = ['## Contributing factors', ''];
  if (findings.length === 0) out.push('None the data supports: no finding.');
  for (const f of factorLines(findings)) out.push(`- **${f.title}** ${f.rest}`);
  out.push('');
  return out;
}

function actionItems(findings: readonly Finding[]): string[] {
  const actions = findings.filter((f) => f.action !== null);
  if (actions.length === 0) return [];
  return ['## Action items', '', ...actions.map((f) => `- [ ] ${f.action} (${f.title})`), ''];
}

/** A section block in Markdown: heading, paragraphs, list, table. */
function block(b: Block): string[] {
  const out = [`${'#'.repeat(b.level)} ${b.title}`, ''];
  for (const p of b.paragraphs) out.push(p, '');
  if (b.list && b.list.length > 0) out.push(...b.list.map((l) => `- ${l}`), '');
  if (b.table) {
    const t = b.table;
    out.push(`| ${t.head.join(' | ')} |`, `|${t.head.map((_, i) => (t.numeric.includes(i) ? '---:' : '---')).join('|')}|`);
    for (const r of t.rows) out.push(`| ${r.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`);
    out.push('');
  }
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
