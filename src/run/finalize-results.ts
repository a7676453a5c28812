import { renameSync, writeFileSync } from 'node:fs';
import { createSchedule } from '../load/pacers.js';
import { readHlogFile } from '../metrics/hlog-stream.js';
import { comparisonWindows, WindowAccumulator, windowFigures, type PhaseSpan } from '../metrics/phase-stats.js';
import { buildSummary, type Summary } from '../results/summary.js';
import { renderMarkdownReport } from '../reports/markdown-report.js';
import { readJournal } from '../results/journal-reader.js';
import { resultPath } from '../results/results-dir.js';
import { targetLabel } from '../targets/registry.js';

/**
 * Derives summary.json and report.md from what the results directory holds (journal.jsonl and
 * latency.hlog) — the same code path after a run and for `rushhour report DIR`, also for a run
 * that was killed before it wrote them. Files are replaced atomically (write, then rename).
 */
export async function finalizeResults(dir: string, targetDescription?: string): Promise<Summary> {
  const journal = readJournal(dir);
  const plan = journal.start.plan;
  const schedule = createSchedule(plan.phases);
  const spans: PhaseSpan[] = plan.phases.map((p, i) => ({ index: i, name: p.name, kind: p.kind, startMs: schedule.phaseStartMs(i), endMs: schedule.phaseStartMs(i + 1) }));
  const windows = comparisonWindows(spans);
  const acc = new WindowAccumulator([...windows.phases, ...windows.afterGaps], windows.baselineExcludes);
  const hlog = await readHlogFile(resultPath(dir, 'hlog'), acc.visit);
  const summary = buildSummary({
    journal,
    cumulative: hlog.cumulative,
    planned: { arrivals: schedule.count, durationMs: schedule.durationMs, peakRate: Math.round(schedule.peakRate() * 1000) / 1000 },
    targetDescription: targetDescription ?? journal.start.target ?? targetLabel(plan.target),
    windows: windowFigures(spans, acc, windows.afterGaps),
  });
  writeAtomic(resultPath(dir, 'summary'), JSON.stringify(summary, null, 2) + '\n');
  writeAtomic(resultPath(dir, 'report'), renderMarkdownReport(summary, journal, hlog.skippedLines));
  return summary;
}


function writeAtomic(path: string, text: string): void {
  writeFileSync(path + '.tmp', text);
  renameSync(path + '.tmp', path);
}
