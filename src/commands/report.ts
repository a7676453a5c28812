import { existsSync, statSync, writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { baselinePath, baselineVerdictLine, compareRuns, loadRunFigures, renderBaselineMarkdown, renderBaselineTable, type BaselineComparison } from '../reports/baseline-compare.js';
import { RENDERERS, REPORT_FORMATS, type ReportFormat } from '../reports/renderers.js';
import { appendStepSummary } from '../reports/step-summary.js';
import { resultPath } from '../results/results-dir.js';
import { finalizeResults } from '../run/finalize-results.js';
import { formatSummary } from '../results/summary-text.js';
import { UserError } from '../util/user-error.js';

export default class Report extends BaseCommand {
  static override summary = 'Rebuild the reports (report.md, report.html, summary.json, junit.xml) from a results directory.';

  static override description = `Reads journal.jsonl and latency.hlog, builds the run's report model and writes each format again — also for a run whose process was killed before it wrote them (its status is then "incomplete"). The figures come from the same code as at the end of a run, so they match exactly. Windowed thresholds are judged again from the hlog's interval histograms. The journal is read line by line and the hlog streamed: a one-hour soak takes seconds, and memory does not grow with the run's length.

report.md and report.html are the postmortem of the experiment: verdict and a summary paragraph; hypothesis and SLOs (window, guardrail, result, first breach, error budget burned); the experiment and how to rerun it; impact; what happened, offset and wall-clock (faults on and off, the first SLO breach, the front door back to baseline, an abort); detection (time to detect, whether DLQ depth, iterator age or output lag moved first); contributing factors with their charts; what went well and wrong; action items; charts; the timeline; an appendix with the percentile spectrum, the slowest trace ids and the files of the run.

With --baseline OTHER_DIR, every headline figure (ok, error, drop and achieved rate, latency p50/p90/p99/p99.9/max from the intended time, service time p99, e2e p99, DLQ peak, lost/duplicated, cold-start tax) is compared with that run's: before, after, delta and a verdict — regressed, improved or same. The noise is judged from the data: a percentile changed only when the 95 % confidence intervals of the two runs (from the rank interval of the quantile in each run's merged histogram) do not overlap, a rate only when a two-proportion z-test says so (|z| > 1.96). The table is printed and written to DIR/baseline.md; --fail-on-regression makes the exit code 1 when any figure regressed.

When GITHUB_STEP_SUMMARY names a file (GitHub Actions), a Markdown summary — verdict, impact, SLOs, findings and the baseline table — is appended to it.`;

  static override examples = [
    { description: 'Re-render a finished run', command: '<%= config.bin %> report runs/20261127T101500Z-smoke' },
    { description: 'Only the HTML page (one self-contained file, charts inline), e.g. to attach to the game-day ticket', command: '<%= config.bin %> report runs/x --format html' },
    { description: 'Only the JUnit file, for CI', command: '<%= config.bin %> report runs/x --format junit' },
    { description: 'Summary of a killed run, as JSON', command: '<%= config.bin %> report runs/x --json' },
    { description: 'CI regression gate: compare with the last good run (writes baseline.md), exit 1 when a figure regressed beyond noise', command: '<%= config.bin %> report runs/this --baseline runs/last-good --fail-on-regression' },
  ];

  static override args = {
    dir: Args.string({ description: 'Results directory written by `rushhour run`.', required: true }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'Print summary.json to stdout.' }),
    baseline: Flags.string({ description: 'Results directory of an earlier run to compare with (the regression view): writes baseline.md in DIR and prints the table.' }),
    'fail-on-regression': Flags.boolean({ description: 'With --baseline: exit 1 when any figure regressed beyond noise.', dependsOn: ['baseline'] }),
    format: Flags.string({ description: `Formats to write, comma-separated: ${REPORT_FORMATS.join(', ')} (md: report.md with chart-*.svg, json: summary.json, junit: junit.xml, html: report.html). Default: all.`, default: REPORT_FORMATS.join(',') }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    const formats = parseFormats(flags.format);
    if (flags.baseline !== undefined) checkBaselineDir(flags.baseline);
    const summary = await finalizeResults(args.dir, undefined, formats);
    let comparison: BaselineComparison | undefined;
    if (flags.baseline !== undefined) {
      comparison = compareRuns(await loadRunFigures(flags.baseline), await loadRunFigures(args.dir, summary));
      writeFileSync(baselinePath(args.dir), renderBaselineMarkdown(comparison));
    }
    // with --json, stdout is the summary alone: the comparison goes to stderr
    const out = (line: string) => (flags.json ? this.logToStderr(line) : this.log(line));
    if (flags.json) this.log(JSON.stringify(summary, null, 2));
    else {
      for (const line of formatSummary(summary, args.dir)) this.log(line);
      this.log(`wrote ${formats.map((f) => resultPath(args.dir, RENDERERS[f].file)).join(', ')}`);
    }
    if (comparison) {
      for (const line of ['', `against the baseline ${flags.baseline}: ${baselineVerdictLine(comparison)}`, '', ...renderBaselineTable(comparison), '', `wrote ${baselinePath(args.dir)}`]) out(line);
    }
    const step = appendStepSummary(summary, { comparison, dir: args.dir });
    if (step.warning) this.logToStderr(`warning: ${step.warning}`);
    if (flags['fail-on-regression'] && comparison && comparison.regressed > 0) this.exit(1);
  }
}

/** --baseline must name a results directory a run wrote (its journal.jsonl). */
function checkBaselineDir(dir: string): void {
  const hint = 'pass the results directory of the earlier run, e.g. --baseline runs/20261127T101500Z-smoke';
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UserError(`--baseline: ${dir} is not a directory`, { hint });
  if (!existsSync(resultPath(dir, 'journal'))) throw new UserError(`--baseline: ${dir} is not a rushhour results directory (no ${resultPath(dir, 'journal')})`, { hint });
}

function parseFormats(text: string): ReportFormat[] {
  const list = text.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.filter((x) => !(REPORT_FORMATS as readonly string[]).includes(x));
  if (bad.length > 0 || list.length === 0) {
    throw new UserError(`--format: expected formats from ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(text)}`, { hint: `e.g. --format md,junit` });
  }
  return [...new Set(list)] as ReportFormat[];
}
