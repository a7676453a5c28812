import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { RENDERERS, REPORT_FORMATS, type ReportFormat } from '../reports/renderers.js';
import { resultPath } from '../results/results-dir.js';
import { finalizeResults } from '../run/finalize-results.js';
import { formatSummary } from '../results/summary-text.js';
import { UserError } from '../util/user-error.js';

export default class Report extends BaseCommand {
  static override summary = 'Rebuild the reports (summary.json, report.md, junit.xml) from a results directory.';

  static override description = `Reads journal.jsonl and latency.hlog, builds the run's report model and writes each format again — also for a run whose process was killed before it wrote them (its status is then "incomplete"). The figures come from the same code as at the end of a run, so they match exactly.`;

  static override examples = [
    { description: 'Re-render a finished run', command: '<%= config.bin %> report runs/20261127T101500Z-smoke' },
    { description: 'Only the JUnit file, for CI', command: '<%= config.bin %> report runs/x --format junit' },
    { description: 'Summary of a killed run, as JSON', command: '<%= config.bin %> report runs/x --json' },
  ];

  static override args = {
    dir: Args.string({ description: 'Results directory written by `rushhour run`.', required: true }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'Print summary.json to stdout.' }),
    format: Flags.string({ description: `Formats to write, comma-separated: ${REPORT_FORMATS.join(', ')} (md: report.md, json: summary.json, junit: junit.xml). Default: all.`, default: REPORT_FORMATS.join(',') }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    const formats = parseFormats(flags.format);
    const summary = await finalizeResults(args.dir, undefined, formats);
    if (flags.json) this.log(JSON.stringify(summary, null, 2));
    else {
      for (const line of formatSummary(summary, args.dir)) this.log(line);
      this.log(`wrote ${formats.map((f) => resultPath(args.dir, RENDERERS[f].file)).join(', ')}`);
    }
  }
}

function parseFormats(text: string): ReportFormat[] {
  const list = text.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = list.filter((x) => !(REPORT_FORMATS as readonly string[]).includes(x));
  if (bad.length > 0 || list.length === 0) {
    throw new UserError(`--format: expected formats from ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(text)}`, { hint: `e.g. --format md,junit` });
  }
  return [...new Set(list)] as ReportFormat[];
}
