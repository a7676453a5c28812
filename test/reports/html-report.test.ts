import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderCharts } from '../../src/reports/charts/render-charts.js';
import { renderHtmlReport } from '../../src/reports/html-report.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { REPORT_FORMATS } from '../../src/reports/renderers.js';
import { resultPath } from '../../src/results/results-dir.js';
import { finalizeResults } from '../../src/run/finalize-results.js';
import { chartRun, withPipelineData } from './chart-fixture.js';

describe('the HTML report (one self-contained file)', () => {
  it('every run writes report.html: no script, nothing fetched, every chart inline, the sections of report.md', async () => {
    expect(REPORT_FORMATS).toContain('html');
    const dir = await chartRun();
    await finalizeResults(dir, 'fake');
    const html = readFileSync(resultPath(dir, 'html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\s(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).toContain('break-inside: avoid');
    expect(html).toContain('@media print');
    for (const id of ['throughput', 'latency', 'errors']) {
      const svg = readFileSync(`${dir}/chart-${id}.svg`, 'utf8');
      expect(html, id).toContain(svg);
    }
    expect(html.match(/<svg /g)?.length).toBe(3);
    const md = readFileSync(resultPath(dir, 'report'), 'utf8');
    const mdSections = [...md.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    const htmlSections = [...html.matchAll(/<h2>(.+?)<\/h2>/g)].map((m) => m[1].replace(/&amp;/g, '&'));
    expect(htmlSections).toEqual(mdSections);
    expect(htmlSections).toEqual(expect.arrayContaining(['Summary', 'Experiment', 'Latency by phase', 'What happened', 'Charts', 'Timeline', 'Appendix']));
  });

  it('is pure (same model and charts, same text), escapes what the run names, and holds the fault-band charts', async () => {
    const model = withPipelineData(await buildReportModel(await chartRun(), 'fake'));
    const charts = await renderCharts(model);
    const named = { ...model, summary: { ...model.summary, name: '<b>x & y</b>' } };
    const html = renderHtmlReport(named, charts);
    expect(renderHtmlReport(named, charts)).toBe(html);
    expect(html).toContain('&lt;b&gt;x &amp; y&lt;/b&gt;');
    expect(html.match(/<svg /g)?.length).toBe(charts.length);
    expect(html).toContain('>broker-stall</text>');
    expect(html).not.toMatch(/<script/i);
    // a contributing factor's chart links to its figure on the page
    const withFactor = { ...model, findings: [{ id: 'dlq', severity: 'problem' as const, title: 'messages reached the dead-letter queue', figure: 'DLQ depth up to 4', action: null, chart: 'dlq' as const }] };
    const linked = renderHtmlReport(withFactor, charts);
    expect(linked).toContain('Chart: DLQ depth (<a href="#chart-dlq">chart-dlq.svg</a>).');
    expect(linked).toContain('<figure class="chart" id="chart-dlq">');
  });
});
