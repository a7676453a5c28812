import type { FaultConfig } from '../scenario/faults-schema.js';
import type { MessageSource } from '../telemetry/message-source.js';
import { messageFault, type RunFault } from './message-fault.js';
import { poisonFault } from './poison-fault.js';
import { compileDrift } from './schema-drift.js';

/** What the faults of a run need to know of it. */
export interface FaultRunContext {
  source: MessageSource;
  seed: number;
  fleetSize: number;
  /** The target's largest message, bytes ('oversize' poison goes past it). */
  maxBytes: number;
  /** The target carries only text (SQS): poison stays text. */
  textOnly: boolean;
  /** Where the shaped messages keep their id (dotted path split), when known. */
  idPath: string[] | null;
}

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
