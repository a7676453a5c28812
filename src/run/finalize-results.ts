import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderCharts, type Chart } from '../reports/charts/render-charts.js';
import { buildReportModel } from '../reports/report-model.js';
import { RENDERERS, REPORT_FORMATS, type ReportFormat } from '../reports/renderers.js';
import { chartFile, resultPath } from '../results/results-dir.js';
import type { Summary } from '../results/summary.js';

/**
 * Builds the report model from what the results directory holds (journal.jsonl and
 * latency.hlog) and writes each format from it — summary.json, report.md, junit.xml,
 * report.html — the same code path after a run and for `rushhour report DIR`, also for a run
 * that was killed before it wrote them. When a format shows charts (md, html), they are rendered
 * first (the chart library is loaded only then) and each is written as `chart-<id>.svg` (a
 * chart-*.svg this rendering did not draw is removed). Files
 * are replaced atomically (write, then rename). Returns the summary.
 */
export async function finalizeResults(dir: string, targetDescription?: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<Summary> {
  const model = await buildReportModel(dir, targetDescription);
  let charts: Chart[] = [];
  if (formats.some((f) => RENDERERS[f].charts)) {
    try {
      charts = await renderCharts(model);
    } catch (e) {
      // the figures matter more than the pictures: the reports are still written, without charts
      process.emitWarning(`charts not rendered: ${(e as Error).message}`, { code: 'RUSHHOUR_CHARTS' });
    }
    // a chart an earlier rendering drew that this one has no data for must not linger beside the new report
    const fresh = new Set(charts.map((c) => chartFile(c.id)));
    for (const f of readdirSync(dir)) if (/^chart-[\w-]+\.svg$/.test(f) && !fresh.has(f)) rmSync(join(dir, f), { force: true });
    for (const c of charts) writeAtomic(join(dir, chartFile(c.id)), c.svg);
  }
  for (const f of formats) {
    const r = RENDERERS[f];
    writeAtomic(resultPath(dir, r.file), r.render(model, charts));
  }
  return model.summary;
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}
