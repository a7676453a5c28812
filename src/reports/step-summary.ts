import { appendFileSync } from 'node:fs';
import { formatFigure } from '../metrics/latency-figures.js';
import type { Summary } from '../results/summary.js';
import { count, share, thresholdActual } from '../results/verdict.js';
import { formatMs } from '../util/units.js';
import { baselineVerdictLine, renderBaselineTable, type BaselineComparison } from './baseline-compare.js';
import { deriveFindings, type Finding } from './findings.js';

/**
 * The GitHub Actions job summary: when GITHUB_STEP_SUMMARY names a file, `rushhour run` and
 * `rushhour report` append (never truncate: earlier steps wrote there too) a Markdown summary of
 * the run — the title and verdict, an impact table, the thresholds (SLOs) with their actual
 * figures and pass/fail, the findings and, when a baseline was compared, its table.
 */

const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown appended to the step summary. Pure. */
export function renderStepSummary(s: Summary, opts: { findings?: Finding[]; comparison?: BaselineComparison; dir?: string } = {}): string {
  const c = s.counts;
  const findings = opts.findings ?? deriveFindings(s);
  const mark = s.verdict === 'PASS' ? '✅' : s.verdict === 'NO THRESHOLDS' ? 'ℹ️' : '❌';
  const lines: string[] = [`## rushhour: ${esc(s.name)} — ${mark} ${s.verdict}`, '', esc(s.headline), ''];
  lines.push(`${s.status}, ${(s.durationMs / 1000).toFixed(1)}s against \`${esc(s.target)}\`${opts.dir ? ` (results: \`${esc(opts.dir)}\`)` : ''}.`, '');
  lines.push('| Impact | Value |', '|---|---:|');
  lines.push(`| due | ${count(c.due)} |`);
  lines.push(`| ok | ${count(c.ok)} (${share(c.ok, c.due)}) |`);
  const classes = Object.entries(s.errors).sort((x, y) => y[1] - x[1]);
  lines.push(`| failed | ${count(c.failed)} (${share(c.failed, c.due)}) |`);
  for (const [cls, n] of classes) lines.push(`| failed: ${esc(cls)} | ${count(n)} |`);
  lines.push(`| dropped | ${count(c.dropped)} (${share(c.dropped, c.due)}) |`);
  lines.push(`| unfinished | ${count(c.unfinished)} (${share(c.unfinished, c.due)}) |`);
  lines.push(`| latency p50 | ${formatFigure(s.latency, 'p50', formatMs)} |`);
  lines.push(`| latency p99 | ${formatFigure(s.latency, 'p99', formatMs)} |`);
  const dlqs = s.queues?.filter((q) => q.role === 'dlq') ?? [];
  if (dlqs.length) lines.push(`| DLQ peak | ${count(Math.max(...dlqs.map((q) => q.peakDepth)))} |`);
  lines.push('');
  if (s.thresholds.length) {
    lines.push('### SLOs', '', '| Threshold | Actual | Result |', '|---|---:|---|');
    for (const t of s.thresholds) lines.push(`| \`${esc(t.source)}\` | ${thresholdActual(t)} | ${t.pass ? '✅ pass' : '❌ fail'} |`);
    lines.push('');
  }
  if (findings.length) {
    lines.push('### Findings', '');
    for (const f of findings) lines.push(`- **${f.severity === 'problem' ? 'Problem' : 'Note'}: ${esc(f.title)}** — ${esc(f.figure)}${f.action ? `. Action: ${esc(f.action)}` : ''}`);
    lines.push('');
  }
  if (opts.comparison) {
    lines.push('### Against the baseline', '', `Baseline: \`${esc(opts.comparison.baselineDir)}\`. **${baselineVerdictLine(opts.comparison)}**`, '', ...renderBaselineTable(opts.comparison), '');
  }
  return lines.join('\n') + '\n';
}

/**
 * Appends the summary to the file GITHUB_STEP_SUMMARY names (in `env`); returns its path, or null
 * when the variable is unset or empty. Never throws: a job summary that cannot be written must
 * not fail the run, so the error is returned as a warning instead.
 */
export function appendStepSummary(s: Summary, opts: { findings?: Finding[]; comparison?: BaselineComparison; dir?: string; env?: NodeJS.ProcessEnv } = {}): { path: string | null; warning?: string } {
  const path = (opts.env ?? process.env).GITHUB_STEP_SUMMARY;
  if (!path) return { path: null };
  try {
    appendFileSync(path, renderStepSummary(s, opts));
    return { path };
  } catch (e) {
    return { path: null, warning: `could not append to GITHUB_STEP_SUMMARY (${path}): ${(e as Error).message}` };
  }
}
