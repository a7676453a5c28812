import { BaseCommand } from '../../cli/base-command.js';
import { faultTriggerArgs, faultTriggerFlags } from '../../cli/fault-trigger.js';
import { triggerFault } from '../../run/fault-commands.js';

export default class FaultStart extends BaseCommand {
  static override summary = 'Start a fault of a run in progress (a game day from a second terminal).';

  static override description = `Sends the trigger to the run writing to --run DIR (its fault control, found in DIR/control.json while it runs). The fault must be in the scenario's faults: list — a manual: true one waits for exactly this; a scheduled one may be started early. The journal records it like a scheduled one, with by: manual.`;

  static override examples = [
    { description: 'Start the manual fault poison-0', command: '<%= config.bin %> fault start poison-0 --run runs/20261201T100000Z-game-day' },
  ];

  static override args = faultTriggerArgs;

  static override flags = faultTriggerFlags;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(FaultStart);
    this.log(await triggerFault(flags.run, args.name, 'start'));
  }
}
