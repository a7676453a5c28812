import type { FaultConfig } from '../scenario/faults-schema.js';
import type { PoisonKind } from '../scenario/fault-schemas/poison-schema.js';
import { messageFault, type FaultRunContext, type RunFault } from './message-fault.js';
import { poison } from './poison.js';

/**
 * The `poison` fault: each picked message is replaced by one of the configured poison kinds
 * (chosen by the message's hash, so a run repeats), counted by kind and by whether its id can
 * still be read where the shape keeps it (a JSON consumer can trace it to the output or the DLQ).
 */
export function poisonFault(cfg: Extract<FaultConfig, { kind: 'poison' }>, ctx: FaultRunContext): RunFault {
  const kinds: readonly PoisonKind[] = cfg.poison;
  const byKind = new Map<PoisonKind, number>(kinds.map((k) => [k, 0]));
  let idKept = 0;
  const pctx = { maxBytes: ctx.maxBytes, textOnly: ctx.textOnly, idPath: ctx.idPath };
  return messageFault(cfg, ctx, (shaped, _m, h) => {
    const kind = kinds[h % kinds.length];
    const out = poison(kind, shaped, h, pctx);
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    if (out.keepsId) idKept++;
    return out.value;
  }, () => ({ byKind: Object.fromEntries(byKind), idKept }));
}
