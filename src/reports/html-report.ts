import { formatFigure } from '../metrics/latency-figures.js';
import { afterGapLine, formatSummary, taxLine } from '../results/summary-text.js';
import { formatMs } from '../util/units.js';
import type { Chart } from './charts/render-charts.js';
import type { ReportModel } from './report-model.js';
import { summaryParagraph } from './narrative.js';
import { censoredNote, detectionBlock, experimentBlock, factorLines, filesBlock, impactBlock, reviewBlock, sloBlock, slowestBlock, spectrumBlock, type Block } from './report-sections.js';
import type { Finding } from './findings.js';

/**
 * The HTML report of a finished (or killed) run: one self-contained file — styles and the charts'
 * SVG inline, no script, nothing fetched — with the sections of report.md, readable on screen and
 * on paper. Pure: same model and charts, same text.
 */
export function renderHtmlReport(model: ReportModel, charts: readonly Chart[] = []): string {
  const { summary: s, journal } = model;
  const body: string[] = [];
  body.push(`<header><h1>${esc(s.name)} — <span class="verdict verdict-${esc(s.verdict)}">${esc(s.verdict)}</span></h1>`, `<p class="headline"><strong>${esc(s.headline)}</strong></p>`, `<p class="narrative">${esc(summaryParagraph(s))}</p>`);
  if (s.description) body.push(`<p>${esc(s.description)}</p>`);
  if (s.latency.censored) body.push(`<p class="note">${esc(censoredNote(s))}</p>`);
  body.push('</header>');
  body.push(section('Summary', `<pre>${esc(formatSummary(s).join('\n'))}</pre>`));
  body.push(block(sloBlock(model)), block(experimentBlock(model)), block(impactBlock(model)));
  if (s.phases.length > 0) {
    body.push(section('Latency by phase', table(
      ['phase', 'kind', 'from (s)', 'to (s)', 'requests', 'p50', 'p99', 'max'],
      s.phases.map((p) => [p.name, p.kind, (p.startMs / 1000).toFixed(1), (p.endMs / 1000).toFixed(1), String(p.latency.count), formatMs(p.latency.p50), formatMs(p.latency.p99), formatMs(p.latency.max)]),
      2,
    ) + '<p>Phase figures describe the answered and timed-out requests of each phase; the run\'s own figures above describe every due arrival.</p>'));
  }
  if (s.afterIdleGaps.length > 0) {
    const taxes = s.afterIdleGaps.filter((g) => g.tax !== null).map((g) => `<li>${esc(taxLine(g.tax!))}</li>`);
    body.push(section('After idle gaps', `<p>Baseline (non-idle time outside the windows below): p50 ${esc(formatMs(s.baseline.p50))}, p99 ${esc(formatMs(s.baseline.p99))}.</p><ul>${s.afterIdleGaps.map((g) => `<li>${esc(afterGapLine(g))}</li>`).join('')}</ul>${taxes.length > 0 ? `<h3>Cold-start tax</h3><ul>${taxes.join('')}</ul>` : ''}`));
  }
  body.push(section('What happened', table(['t (s)', 'time (UTC)', 'event'], model.events.map((e) => [(e.tMs / 1000).toFixed(1), e.at.slice(11, 23), e.text]), Infinity, [0])));
  body.push(block(detectionBlock(model)), factorsSection(model.findings), block(reviewBlock(model)));
  const actions = model.findings.filter((f) => f.action !== null).map((f) => `<li>☐ ${esc(f.action!)} (${esc(f.title)})</li>`);
  if (actions.length > 0) body.push(section('Action items', `<ul class="actions">${actions.join('')}</ul>`));
  if (charts.length > 0) body.push(section('Charts', charts.map((c) => `<figure class="chart" id="chart-${esc(c.id)}">${c.svg}<figcaption>${esc(c.title)}</figcaption></figure>`).join('\n')));
  body.push(section('Timeline', '<p>Arrivals by the time they were due, and what became of them; rates over each row\'s span; latency from the intended time, merged from the hlog\'s histograms of the row\'s intervals (with the arrivals still waiting at its end, as lower bounds).</p>' + table(
    ['t (s)', 'phase', 'faults', 'due', 'ok', 'failed', 'dropped', 'unfinished', 'wire/s', 'answered/s', 'p50', 'p99', 'DLQ'],
    model.timeline.map((b) => [(b.startMs / 1000).toFixed(0), b.phase, b.faults.join(', '), String(b.due), String(b.ok), String(b.failed), String(b.dropped), String(b.unfinished), b.wireRate.toFixed(0), b.answeredRate.toFixed(0), formatFigure(b.latency, 'p50', formatMs), formatFigure(b.latency, 'p99', formatMs), b.dlqDepth === null ? '' : String(b.dlqDepth)]),
    3, [0],
  )));
  if (journal.warnings.length > 0) body.push(section('Warnings', `<ul>${journal.warnings.slice(0, 50).map((w) => `<li>${esc(`${(w.tMs / 1000).toFixed(1)} s — ${w.code}: ${w.message}`)}</li>`).join('')}</ul>`));
  const appendix = [spectrumBlock(model), slowestBlock(model), filesBlock(model)].filter((b): b is Block => b !== null).map(block);
  body.push(section('Appendix', appendix.join('\n')));
  return [
    '<!DOCTYPE html>', '<html lang="en">', '<head>', '<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`${s.name} — ${s.verdict}`)}</title>`, `<style>${STYLE}</style>`, '</head>', '<body>', '<main>', ...body, '</main>', '</body>', '</html>', '',
  ].join('\n');
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; background: #fff; margin: 0; }
main { max-width: 1000px; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.2rem; border-bottom: 1px solid #ddd; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; }
.verdict-pass { color: #1a7f37; } .verdict-fail, .verdict-aborted { color: #c62828; }
.note { background: #fff8e1; border-left: 4px solid #f9a825; padding: .4rem .7rem; }
li.problem strong { color: #c62828; }
pre { background: #f6f8fa; padding: .7rem; overflow-x: auto; font-size: 12px; }
table { border-collapse: collapse; font-size: 12px; margin: .5rem 0; }
th, td { border: 1px solid #ddd; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure.chart { margin: 1rem 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #555; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  figure.chart, table, pre { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  pre { white-space: pre-wrap; }
}
`;

/** "Contributing factors": the findings, problems first, each with its figure and its chart. */
function factorsSection(findings: readonly Finding[]): string {
  // the chart a factor names links to its figure on this page
  const items = factorLines(findings).map((f) => `<li class="${f.severity}"><strong>${esc(f.title)}</strong> ${inline(f.rest).replace(/\(chart-([\w-]+)\.svg\)/g, '(<a href="#chart-$1">chart-$1.svg</a>)')}</li>`);
  return section('Contributing factors', items.length > 0 ? `<ul>${items.join('')}</ul>` : '<p>None the data supports: no finding.</p>');
}

/** A section block: heading, paragraphs, list, table; `code` spans as in the Markdown. */
function block(b: Block): string {
  const parts = b.paragraphs.map((p) => `<p>${inline(p)}</p>`);
  if (b.list && b.list.length > 0) parts.push(`<ul>${b.list.map((l) => `<li>${inline(l)}</li>`).join('')}</ul>`);
  if (b.table) parts.push(table(b.table.head, b.table.rows, Infinity, b.table.numeric));
  if (b.level === 3) return `<h3>${esc(b.title)}</h3>\n${parts.join('\n')}`;
  return section(b.title, parts.join('\n'));
}

/** Escaped text with Markdown's `code` spans as <code>. */
function inline(text: string): string {
  return esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');
}

function section(title: string, html: string): string {
  return `<section><h2>${esc(title)}</h2>\n${html}\n</section>`;
}

/** A table; the columns from `numFrom` on, and those in `numeric`, are right-aligned figures. */
function table(head: string[], rows: string[][], numFrom: number, numeric: number[] = []): string {
  const isNum = (i: number) => i >= numFrom || numeric.includes(i);
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c, i) => `<td${isNum(i) ? ' class="num"' : ''}>${esc(c)}</td>`).join('')}</tr>`).join('\n')}</tbody></table>`;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
