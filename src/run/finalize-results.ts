import { renameSync, writeFileSync } from 'node:fs';
import { buildReportModel } from '../reports/report-model.js';
import { RENDERERS, REPORT_FORMATS, type ReportFormat } from '../reports/renderers.js';
import { resultPath } from '../results/results-dir.js';
import type { Summary } from '../results/summary.js';

/**
 * Builds the report model from what the results directory holds (journal.jsonl and
 * latency.hlog) and writes each format from it — summary.json, report.md, junit.xml — the same
 * code path after a run and for `rushhour report DIR`, also for a run that was killed before it
 * wrote them. Files are replaced atomically (write, then rename). Returns the summary.
 */
export async function finalizeResults(dir: string, targetDescription?: string, formats: readonly ReportFormat[] = REPORT_FORMATS): Promise<Summary> {
  const model = await buildReportModel(dir, targetDescription);
  for (const f of formats) {
    const r = RENDERERS[f];
    writeAtomic(resultPath(dir, r.file), r.render(model));
  }
  return model.summary;
}

function writeAtomic(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}
