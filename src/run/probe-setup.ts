import type { EngineSchedule } from '../engine/engine-types.js';
import type { MessageIdentity } from '../payload/identity.js';
import { DeliveryTracker } from '../probes/delivery-tracker.js';
import { HttpOutputProbe } from '../probes/http-output-probe.js';
import { KinesisOutputProbe } from '../probes/kinesis-output-probe.js';
import type { Probe } from '../probes/probe.js';
import { SandboxDlqReader, type DlqEntryListener } from '../probes/sandbox-dlq-reader.js';
import { SandboxOutputProbe, SandboxQueueProbe } from '../probes/sandbox-probes.js';
import { SqsOutputProbe } from '../probes/sqs-output-probe.js';
import { SqsQueueProbe } from '../probes/sqs-queue-probe.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { OpenedTarget } from '../targets/kind.js';
import type { MessageSource } from '../telemetry/message-source.js';
import { UserError } from '../util/user-error.js';

/** Where the run follows the messages its faults changed: sightings in the output, entries of the DLQ. */
export interface FollowHooks {
  onSeen(n: number): void;
  onDlqEntry: DlqEntryListener;
  /** DLQ entries dropped before they were read (the sandbox's DLQ ring is bounded). */
  onDlqMissed(count: number): void;
  /** Told which of the two the probes can see (an output consumer, a DLQ reader). */
  reads(output: boolean, dlq: boolean): void;
}

/** The probes of a run and the delivery tracker the engine feeds (undefined without an output consumer). */
export interface RunProbes {
  probes: Probe[];
  tracker?: DeliveryTracker;
}

/** Where an output consumer looks for the message id in a JSON body when the shape kept none. */
const DEFAULT_ID_PATH = 'messageId';

/**
 * The probes the plan asks for, on the opened target: `auto` reads the sandbox's /output and
 * its DLQ when the target is the sandbox (its introspection URLs), nothing otherwise; `sandbox`
 * the same (a UserError on another target); an SQS output queue or SQS queues' depths work with any target. `identity` says
 * where the shaped body keeps the message id (an output consumer finds it there).
 */
export function createProbes(plan: RunPlan, opened: OpenedTarget, source: MessageSource, schedule: EngineSchedule, warmupSeed: number, identity: MessageIdentity, follow?: FollowHooks): RunProbes {
  const pipeline = opened.pipeline;
  const cfg = plan.probes;
  for (const field of ['output', 'dlq'] as const) {
    if (cfg[field] === 'sandbox' && pipeline === undefined) {
      throw new UserError(`probes.${field}: sandbox reads the embedded sandbox, but the target is ${opened.description}`, { hint: `use probes.${field}: { sqs: QUEUE } for a deployed pipeline, or none` });
    }
  }
  const probes: Probe[] = [];
  const newTracker = () => new DeliveryTracker({
    seed: plan.seed, vehicles: plan.fleet.vehicles, schedule: source.schedule, pacer: schedule, window: cfg.window,
    vehicleId: (v) => source.fleet.vehicleId(v), ignoreSeeds: [warmupSeed], ...(follow ? { onSeen: (n: number) => follow.onSeen(n) } : {}),
  });
  let tracker: DeliveryTracker | undefined;
  const out = cfg.output;
  const idPath = (typeof out === 'object' ? out.idField : undefined) ?? identity.idPath ?? DEFAULT_ID_PATH;
  if (typeof out === 'object' && out.kind === 'sqs') {
    tracker = newTracker();
    probes.push(new SqsOutputProbe(out, tracker, idPath));
  } else if (typeof out === 'object' && out.kind === 'kinesis') {
    tracker = newTracker();
    probes.push(new KinesisOutputProbe(out, tracker, idPath));
  } else if (typeof out === 'object' && out.kind === 'http') {
    tracker = newTracker(); probes.push(new HttpOutputProbe(out, tracker, idPath));
  } else if ((cfg.output === 'sandbox' || cfg.output === 'auto') && pipeline !== undefined) {
    tracker = newTracker();
    probes.push(new SandboxOutputProbe(pipeline.baseUrl, tracker));
  }
  if (Array.isArray(cfg.dlq)) probes.push(new SqsQueueProbe(cfg.dlq));
  else if ((cfg.dlq === 'sandbox' || cfg.dlq === 'auto') && pipeline !== undefined) probes.push(new SandboxQueueProbe(pipeline.statsUrl));
  const readsDlq = follow !== undefined && (cfg.dlq === 'sandbox' || cfg.dlq === 'auto') && pipeline !== undefined;
  if (readsDlq) probes.push(new SandboxDlqReader(pipeline.baseUrl, follow.onDlqEntry, (count) => follow.onDlqMissed(count)));
  follow?.reads(tracker !== undefined, readsDlq);
  return { probes, ...(tracker ? { tracker } : {}) };
}
