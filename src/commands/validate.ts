import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { buildPlan } from '../scenario/build-plan.js';
import { loadScenarioFile } from '../scenario/load-scenario.js';
import { validatePlan } from '../run/validate-plan.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check a scenario file and print its plan, without sending anything.';

  static override description = `Validates the scenario against the schema (schemas/scenario.schema.json) and prints the plan: phases with rates and durations, total messages, peak rate, estimated bytes, the fleet, and whether the rate comes from the phases or from fleet size × reporting cadence. Errors name the file, line:column and the field, and exit 2.`;

  static override examples = [
    { description: 'Check a shipped scenario', command: '<%= config.bin %> validate scenarios/smoke.yaml' },
    { description: 'Machine-readable plan', command: '<%= config.bin %> validate scenarios/soak.yaml --json' },
    { description: 'Three messages as your pipeline will get them', command: '<%= config.bin %> validate scenarios/smoke.yaml --sample 3' },
    { description: 'Also check the stream exists, is ACTIVE and the credentials are accepted (contacts AWS; sends nothing)', command: 'AWS_ENDPOINT_URL_KINESIS=http://127.0.0.1:4567 <%= config.bin %> validate scenarios/kinesis-aws.yaml --check' },
  ];

  static override args = {
    scenario: Args.string({ description: 'Scenario YAML file.', required: true }),
  };

  static override flags = {
    json: Flags.boolean({ description: 'Print the plan as JSON (header values masked).' }),
    sample: Flags.integer({ description: 'Also print this many generated messages in their final shape (the payload template\'s, or the built-in one), to check them against your pipeline\'s schema before any load.', min: 1, max: 1000 }),
    check: Flags.boolean({ description: 'Also run the target\'s checks before the clock (a Kinesis stream exists and is ACTIVE, an SQS queue exists, the endpoint answers, the credentials are accepted) without sending a message. Without it, validate contacts nothing.' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Validate);
    const scenario = await loadScenarioFile(args.scenario);
    const plan = buildPlan({ scenario, source: args.scenario, overrides: {} });
    const report = await validatePlan(plan, { check: flags.check, sample: flags.sample });
    if (flags.json) this.log(JSON.stringify(report.json, null, 2));
    else for (const line of report.lines) this.log(line);
  }
}
