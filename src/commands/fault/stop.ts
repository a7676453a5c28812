import { BaseCommand } from '../../cli/base-command.js';
import { faultTriggerArgs, faultTriggerFlags } from '../../cli/fault-trigger.js';
import { triggerFault } from '../../run/fault-commands.js';

export default class FaultStop extends BaseCommand {
  static override summary = 'Stop an active fault of a run in progress.';

  static override description = `Sends the trigger to the run writing to --run DIR (its fault control, found in DIR/control.json while it runs). The fault must be in the scenario's faults: list; it stops now, as if its for: ran out. The journal records it like a scheduled one, with by: manual.`;

  static override examples = [
    { description: 'Stop it again', command: '<%= config.bin %> fault stop poison-0 --run runs/20261201T100000Z-game-day' },
  ];

  static override args = faultTriggerArgs;

  static override flags = faultTriggerFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(FaultStop);
    this.log(await triggerFault(flags.run, args.name, 'stop'));
  }
}
