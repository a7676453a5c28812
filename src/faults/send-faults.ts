import type { FaultConfig } from '../scenario/faults-schema.js';
import { duplicateFault } from './duplicate-fault.js';
import type { FaultRunContext, RunFault } from './message-fault.js';
import { reorderFault } from './reorder-fault.js';
import { retryStormFault } from './retry-storm.js';
import { storeAndForwardFault } from './store-and-forward.js';

export type SendFaultConfig = Extract<FaultConfig, { kind: 'retry-storm' | 'duplicate' | 'reorder' | 'store-and-forward' }>;

/**
 * A fault that acts between the engine and the target (src/faults/send-path.ts): its stage is
 * plugged into the run's SendPath while it is active. Throws (a bug, not a user error) when the
 * run built no send path although the plan has such a fault.
 */
export function sendFault(cfg: SendFaultConfig, ctx: FaultRunContext): RunFault {
  const path = ctx.sendPath;
  if (path === undefined) throw new Error(`fault ${cfg.name} (${cfg.kind}) needs the run's send path, and the run has none`);
  switch (cfg.kind) {
    case 'retry-storm':
      return retryStormFault(cfg, ctx, path);
    case 'duplicate':
      return duplicateFault(cfg, ctx, path);
    case 'reorder':
      return reorderFault(cfg, ctx, path);
    case 'store-and-forward':
      return storeAndForwardFault(cfg, ctx, path);
  }
}
