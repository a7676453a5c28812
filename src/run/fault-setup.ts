import type { EventListener, RunEvent } from '../engine/events.js';
import { maxMessageBytes } from '../faults/limits.js';
import type { RunFault } from '../faults/message-fault.js';
import { createFaults } from '../faults/registry.js';
import type { MessageIdentity } from '../payload/identity.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { MessageSource } from '../telemetry/message-source.js';

/** The plan's faults over the run's message source (never the warm-up's), for the engine's timeline. */
export function createRunFaults(plan: RunPlan, source: MessageSource, identity: MessageIdentity, textOnly: boolean): RunFault[] {
  return createFaults(plan.faults, {
    source, seed: plan.seed, fleetSize: plan.fleet.vehicles, maxBytes: maxMessageBytes(plan.target), textOnly,
    idPath: identity.idPath ? identity.idPath.split('.') : null,
  });
}

/**
 * The consumers, told what each fault did (`fault-effects`) right before the run's `end` — so
 * the journal holds it even when the run was interrupted. Without faults, the consumers as they are.
 */
export function withFaultEffects(consumers: EventListener[], faults: readonly RunFault[]): EventListener[] {
  if (faults.length === 0) return consumers;
  const all = (e: RunEvent): void => {
    if (e.type === 'end') {
      const effects: RunEvent = { type: 'fault-effects', at: e.at, tMs: e.tMs, effects: faults.map((f) => f.effect()) };
      for (const c of consumers) c(effects);
    }
    for (const c of consumers) c(e);
  };
  return [all];
}
