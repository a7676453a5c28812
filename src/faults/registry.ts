import type { FaultConfig } from '../scenario/faults-schema.js';
import { connectionStormFault } from './connection-storm.js';
import { messageFault, type FaultRunContext, type RunFault } from './message-fault.js';
import { poisonFault } from './poison-fault.js';
import { compileDrift } from './schema-drift.js';
import { sendFault } from './send-faults.js';

export type { FaultRunContext } from './message-fault.js';

/** The scenario's faults as the engine's timeline runs them, each with its effect report. */
export function createFaults(faults: readonly FaultConfig[], ctx: FaultRunContext): RunFault[] {
  return faults.map((f, i) => {
    switch (f.kind) {
      case 'poison':
        return poisonFault(f, ctx);
      case 'schema-drift': {
        const drift = compileDrift(f.drift);
        return messageFault(f, ctx, (shaped) => drift.apply(shaped), () => ({ ops: drift.stats() }));
      }
      case 'connection-storm':
        return connectionStormFault(f, ctx, i);
      case 'retry-storm':
      case 'duplicate':
      case 'reorder':
      case 'store-and-forward':
        return sendFault(f, ctx);
    }
  });
}

/** The kinds that act between the engine and the target (src/faults/send-path.ts). */
export const SEND_PATH_KINDS: ReadonlySet<FaultConfig['kind']> = new Set(['retry-storm', 'duplicate', 'reorder', 'store-and-forward']);
