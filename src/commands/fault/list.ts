import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { listFaults } from '../../run/fault-commands.js';

export default class FaultList extends BaseCommand {
  static override summary = 'List the faults of a run in progress: which are active, which wait for a trigger.';

  static override description = 'Asks the run writing to --run DIR (its fault control, found in DIR/control.json while it runs) for its faults: name, kind, manual or scheduled, active now, and when each last started and stopped (seconds from the run\'s start).';

  static override examples = [{ description: 'During a game day', command: '<%= config.bin %> fault list --run runs/20261201T100000Z-game-day' }];

  static override flags = {
    run: Flags.string({ description: 'The results directory of the run in progress (its --out).', required: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(FaultList);
    for (const line of await listFaults(flags.run)) this.log(line);
  }
}
