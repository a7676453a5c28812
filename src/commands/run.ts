import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { durationFlag, positiveIntFlag, rateFlag } from '../cli/flag-parsers.js';
import { installStopSignals } from '../cli/signals.js';
import { defaultResultsDir } from '../results/results-dir.js';
import { appendStepSummary } from '../reports/step-summary.js';
import { executeRun } from '../run/run-service.js';
import { buildPlan } from '../scenario/build-plan.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { createRunOutput } from '../cli/run-output.js';
import { KEY_HELP } from '../ui/live/keys.js';
import { OUTPUT_MODES, pickOutputMode } from '../ui/output-mode.js';
import { formatSummary } from '../results/summary-text.js';

export default class Run extends BaseCommand {
  static override summary = 'Drive telematics traffic at a target rate and record latency from the intended time.';

  static override description = [
    'Runs a scenario file, or a one-off "quick mode" run from flags alone. Arrivals follow an open model: arrival n is due at start + schedule(n) whatever the target does, and latency is measured from that intended time, so a stalled pipeline shows in the percentiles (no coordinated omission).',
    'Every run writes a results directory as it goes (journal.jsonl, latency.hlog), then summary.json and report.md. Flags override the scenario\'s values. With no target, the embedded sandbox pipeline is started in its own process.',
    'Every due arrival ends ok, failed (by class), dropped (in-flight cap) or unfinished (no answer when the run ended), and latency describes all of them: "≥ 12.0s" is a lower bound (arrivals still waiting), "never" a figure among arrivals never answered, "–" no samples.',
    'Progress: on a terminal (and CI not set) a live view — rate, latency, errors, faults, the pipeline\'s signals, SLOs, the generator\'s own health — with history scrolling above it; elsewhere one line per interval. --log picks one: ink (the view), plain, jsonl (the journal\'s events) or none; --json prints only the final summary JSON.',
    `Keys in the live view:\n${KEY_HELP.map(([k, what]) => `  ${k.padEnd(10)} ${what}`).join('\n')}`,
    'Exit codes: 0 pass (or NO THRESHOLDS: none set), 1 thresholds failed or no arrival answered ok, 2 bad input or an unreachable target (checked by the warm-up, before the clock), 3 guardrail abort, 130 interrupted.',
  ].join('\n\n');

  static override examples = [
    { description: 'Run a shipped scenario against the embedded sandbox', command: '<%= config.bin %> run scenarios/smoke.yaml' },
    { description: 'Quick mode: 2000 msg/s for 30 s at your own endpoint', command: '<%= config.bin %> run --target http://127.0.0.1:8080/ingest --rate 2000 --duration 30s --out runs/x' },
    { description: 'PutRecords batches into a Kinesis stream (here a local emulator)', command: 'AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567 <%= config.bin %> run --target kinesis:telemetry --rate 5000 --duration 1m' },
    { description: 'SendMessageBatch into an SQS queue (FIFO when its name ends in .fifo)', command: 'AWS_ENDPOINT_URL_SQS=http://127.0.0.1:4566 <%= config.bin %> run --target sqs:telemetry --rate 1000 --duration 1m' },
    { description: 'A CI soak: the scenario\'s thresholds decide the exit code', command: '<%= config.bin %> run scenarios/soak.yaml --duration 10m --json > summary.json' },
    { description: 'Same fleet and payloads as last time (deterministic seed)', command: '<%= config.bin %> run scenarios/smoke.yaml --seed 42' },
  ];

  static override args = {
    scenario: Args.string({ description: 'Scenario YAML file; omit for quick mode (--rate and --duration).', required: false }),
  };

  static override flags = {
    target: Flags.string({ char: 't', description: 'Target: an http(s) URL to POST messages to, kinesis:STREAM (a Kinesis stream name or ARN), sqs:QUEUE (an SQS queue name or URL) — region, credentials and endpoint from the AWS SDK\'s configuration —, or "sandbox" (the default with no scenario target).' }),
    rate: rateFlag({ char: 'r', description: 'Arrivals per second, e.g. 2000 or 2000/s. Replaces the scenario\'s phases with one constant phase.' }),
    duration: durationFlag({ char: 'd', description: 'Run length, e.g. 30s, 5m, 1h. Replaces the scenario\'s phases with one constant phase.' }),
    connections: positiveIntFlag({ char: 'c', description: 'Keep-alive connections to the target.' }),
    pipelining: positiveIntFlag({ description: 'HTTP/1.1 requests in flight per connection (1 = no pipelining).' }),
    timeout: durationFlag({ description: 'Request timeout (default 10s: longer than the 5 s of arrivals the in-flight cap holds).' }),
    'max-in-flight': positiveIntFlag({ description: 'In-flight cap; arrivals over it are counted as dropped (default: 5 s of arrivals at the peak rate).' }),
    vehicles: positiveIntFlag({ description: 'Fleet size (vehicles).' }),
    seed: Flags.integer({ description: 'Seed for the fleet, payloads and jitter; the same seed gives the same messages.' }),
    name: Flags.string({ description: 'Run name (used in the results directory name).' }),
    out: Flags.string({ char: 'o', description: 'Results directory (default runs/<timestamp>-<name>). Must not already hold a run.' }),
    json: Flags.boolean({ description: 'Print summary.json to stdout at the end; progress lines go to stderr.' }),
    yes: Flags.boolean({ description: 'Run even when the cost estimate (validate prints it) is above the scenario\'s cost.budget.' }),
    log: Flags.string({ description: 'Progress output: ink (the live view with keys; the default on a terminal when CI is not set), plain (a line per interval; the default elsewhere), jsonl (the journal\'s events, one per line), or none.', options: [...OUTPUT_MODES] }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Run);
    const scenario = args.scenario ? await loadScenarioFile(args.scenario) : undefined;
    const plan = buildPlan({
      scenario, source: args.scenario,
      overrides: {
        target: flags.target, rate: flags.rate, durationMs: flags.duration, connections: flags.connections, pipelining: flags.pipelining,
        timeoutMs: flags.timeout, maxInFlight: flags['max-in-flight'], seed: flags.seed, name: flags.name, vehicles: flags.vehicles,
      },
    });
    const outDir = flags.out ?? defaultResultsDir(plan.name);
    const mode = pickOutputMode({ log: flags.log, json: flags.json, stdoutIsTTY: process.stdout.isTTY === true, ci: Boolean(process.env.CI) });
    const output = await createRunOutput(mode, { json: flags.json, interrupt: () => process.kill(process.pid, 'SIGINT') });
    const signals = installStopSignals((msg) => process.stderr.write(msg + '\n'));
    try {
      const outcome = await executeRun({
        plan, outDir, listeners: output.listeners, note: output.line, overBudgetOk: flags.yes,
        onStarted: (c) => {
          signals.attach(c);
          output.attach(c);
        },
      }).finally(() => output.finish());
      if (flags.json) process.stdout.write(JSON.stringify(outcome.summary, null, 2) + '\n');
      else for (const line of ['', ...formatSummary(outcome.summary, outcome.dir)]) output.line(line);
      const step = appendStepSummary(outcome.summary, { dir: outcome.dir }); // GITHUB_STEP_SUMMARY, when set
      if (step.warning) process.stderr.write(`warning: ${step.warning}\n`);
      if (outcome.summary.exitCode !== 0) this.exit(outcome.summary.exitCode);
    } finally {
      signals.dispose();
    }
  }
}
