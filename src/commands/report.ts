import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { resultPath } from '../results/results-dir.js';
import { finalizeResults } from '../run/finalize-results.js';
import { formatSummary } from '../results/summary-text.js';

export default class Report extends BaseCommand {
  static override summary = 'Rebuild summary.json and report.md from a results directory.';

  static override description = `Reads journal.jsonl and latency.hlog and writes summary.json and report.md again — also for a run whose process was killed before it wrote them (its status is then "incomplete"). The figures come from the same code as at the end of a run, so they match exactly.`;

  static override examples = [
    { description: 'Re-render a finished run', command: '<%= config.bin %> report runs/20261127T101500Z-smoke' },
    { description: 'Summary of a killed run, as JSON', command: '<%= config.bin %> report runs/x --json' },
  ];

  static override args = {
    dir: Args.string({ description: 'Results directory written by `rushhour run`.', required: true }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'Print summary.json to stdout.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Report);
    const summary = await finalizeResults(args.dir);
    if (flags.json) this.log(JSON.stringify(summary, null, 2));
    else {
      for (const line of formatSummary(summary, args.dir)) this.log(line);
      this.log(`wrote ${resultPath(args.dir, 'summary')} and ${resultPath(args.dir, 'report')}`);
    }
  }
}
