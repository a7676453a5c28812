import type { RunBus } from './run-bus.js';
import { maxMessageBytes } from '../faults/limits.js';
import type { RunFault } from '../faults/message-fault.js';
import { createFaults, SEND_PATH_KINDS } from '../faults/registry.js';
import type { SendPath } from '../faults/send-path.js';
import type { CompletionWatch } from '../engine/engine-types.js';
import { arrivalOfTraceparent } from '../engine/trace-context.js';
import { dlqArrival, MessageTrace } from '../faults/message-trace.js';
import { arrivalOfMessageId, messageIdPrefix } from '../telemetry/message-source.js';
import type { Clock } from '../util/clock.js';
import type { FollowHooks } from './probe-setup.js';
import type { MessageIdentity } from '../payload/identity.js';
import type { RunPlan } from '../scenario/run-plan.js';
import type { MessageSource } from '../telemetry/message-source.js';

/** What the run's faults act through besides the message source: the clock, the send path, the sandbox. */
export interface RunFaultDeps {
  clock: Clock;
  sendPath?: SendPath;
  sandboxUrl?: string;
  trace?: MessageTrace;
}

/** The plan's faults over the run's message source (never the warm-up's), for the engine's timeline. */
export function createRunFaults(plan: RunPlan, source: MessageSource, identity: MessageIdentity, textOnly: boolean, deps: RunFaultDeps): RunFault[] {
  return createFaults(plan.faults, {
    source, seed: plan.seed, fleetSize: plan.fleet.vehicles, maxBytes: maxMessageBytes(plan.target), textOnly,
    idPath: identity.idPath ? identity.idPath.split('.') : null, ...deps,
  });
}

/** Kinds whose messages the run follows to their destination. */
const MESSAGE_KINDS: ReadonlySet<string> = new Set(['poison', 'schema-drift']);

/** The run's record of the messages its faults change, with the hooks that feed it; undefined without a message fault. */
export interface FollowedMessages {
  trace: MessageTrace;
  /** For the probes: sightings in the output, DLQ entries. */
  hooks: FollowHooks;
  /** For the engine: each arrival's front-door answer. */
  watch: CompletionWatch;
}

export function followMessages(plan: Pick<RunPlan, 'faults' | 'seed'>): FollowedMessages | undefined {
  if (!plan.faults.some((f) => MESSAGE_KINDS.has(f.kind))) return undefined;
  const trace = new MessageTrace();
  const prefix = messageIdPrefix(plan.seed);
  const arrivalOf = (id: string) => arrivalOfMessageId(id, prefix);
  return {
    trace,
    hooks: {
      onSeen: (n) => trace.seen(n),
      onDlqEntry: (messageId, body, traceparent) => {
        const byTrace = traceparent === null ? undefined : arrivalOfTraceparent(traceparent, plan.seed);
        trace.dlq(byTrace ?? dlqArrival(messageId, body, prefix, arrivalOf));
      },
      onDlqMissed: (count) => (trace.dlqUnidentified += count),
      reads: (output, dlq) => (trace.read = { output, dlq }),
    },
    watch: { completed: (n, outcome) => trace.completed(n, outcome) },
  };
}

/** The plan's send-path faults need a SendPath between the engine and the target; without them the target is used as it is. */
export function needsSendPath(plan: Pick<RunPlan, 'faults'>): boolean {
  return plan.faults.some((f) => SEND_PATH_KINDS.has(f.kind));
}

/** Every fault's held sockets and connections released (awaited after the engine ends, also when it was interrupted). */
export async function releaseFaults(faults: readonly RunFault[]): Promise<void> {
  await Promise.all(faults.map((f) => f.released?.()));
}

/** Publishes what each fault did (`fault-effects`) just before the run's `end`; nothing without faults. */
export function publishFaultEffects(bus: RunBus, faults: readonly RunFault[]): void {
  if (faults.length === 0) return;
  bus.beforeEnd((e) => bus.publish({ type: 'fault-effects', at: e.at, tMs: e.tMs, effects: faults.map((f) => f.effect()) }));
}
