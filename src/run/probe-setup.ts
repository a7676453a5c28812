import type { EngineSchedule } from '../engine/engine-types.js';
import { DeliveryTracker } from '../probes/delivery-tracker.js';
import type { Probe } from '../probes/probe.js';
import { SandboxOutputProbe, SandboxQueueProbe } from '../probes/sandbox-probes.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { OpenedTarget } from '../targets/kind.js';
import type { MessageSource } from '../telemetry/message-source.js';

/** The probes of a run and the delivery tracker the engine feeds (undefined without an output consumer). */
export interface RunProbes {
  probes: Probe[];
  tracker?: DeliveryTracker;
}

/**
 * The probes the plan asks for, on the opened target: `auto` reads the sandbox's /output and
 * its DLQ when the target is the sandbox (its introspection URLs), nothing otherwise.
 */
export function createProbes(plan: RunPlan, opened: OpenedTarget, source: MessageSource, schedule: EngineSchedule, warmupSeed: number): RunProbes {
  const pipeline = opened.pipeline;
  const cfg = plan.probes;
  const probes: Probe[] = [];
  let tracker: DeliveryTracker | undefined;
  const wantsOutput = cfg.output === 'sandbox' || (cfg.output === 'auto' && pipeline !== undefined);
  if (wantsOutput && pipeline) {
    tracker = new DeliveryTracker({
      seed: plan.seed, vehicles: plan.fleet.vehicles, schedule: source.schedule, pacer: schedule, window: cfg.window,
      vehicleId: (v) => source.fleet.vehicleId(v), ignoreSeeds: [warmupSeed],
    });
    probes.push(new SandboxOutputProbe(pipeline.baseUrl, tracker));
  }
  const wantsDlq = cfg.dlq === 'sandbox' || (cfg.dlq === 'auto' && pipeline !== undefined);
  if (wantsDlq && pipeline) probes.push(new SandboxQueueProbe(pipeline.statsUrl));
  return { probes, ...(tracker ? { tracker } : {}) };
}
