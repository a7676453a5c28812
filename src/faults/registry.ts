import type { FaultConfig } from '../scenario/faults-schema.js';
import { messageFault, type FaultRunContext, type RunFault } from './message-fault.js';

export type { FaultRunContext } from './message-fault.js';
import { poisonFault } from './poison-fault.js';
import { compileDrift } from './schema-drift.js';

/** The scenario's faults as the engine's timeline runs them, each with its effect report. */
export function createFaults(faults: readonly FaultConfig[], ctx: FaultRunContext): RunFault[] {
  return faults.map((f) => {
    switch (f.kind) {
      case 'poison':
        return poisonFault(f, ctx);
      case 'schema-drift': {
        const drift = compileDrift(f.drift);
        return messageFault(f, ctx, (shaped) => drift.apply(shaped), () => ({ ops: drift.stats() }));
      }
    }
  });
}
