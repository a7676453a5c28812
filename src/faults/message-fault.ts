import type { FaultEffect, ScheduledFault } from '../metrics/fault-types.js';
import type { FaultConfig } from '../scenario/faults-schema.js';
import type { MessageSource, MessageTransform, TransformSubject } from '../telemetry/message-source.js';
import type { Clock } from '../util/clock.js';
import { faultSalt, messageHash, pickerOf } from './selection.js';
import type { MessageTrace } from './message-trace.js';
import type { SendPath } from './send-path.js';

/** A fault of the run: what the engine's timeline starts and stops, and what it did. */
export interface RunFault {
  scheduled: ScheduledFault;
  effect(): FaultEffect;
  /**
   * Resolves once everything the fault opened outside the message path is released (the
   * sockets and connections of a storm); the run awaits it after the engine ended, so nothing is
   * left behind. Absent for faults that hold nothing.
   */
  released?(): Promise<void>;
}

export const EXAMPLES = 20;

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
  /** The engine's clock (ramps, backoff and holds run on it; a fake one in tests). */
  clock: Clock;
  /** Between the engine and the target when the plan has send-path faults (retry-storm, duplicate, reorder, store-and-forward). */
  sendPath?: SendPath;
  /** The embedded sandbox's base URL (http://127.0.0.1:PORT) when the target is the sandbox. */
  sandboxUrl?: string;
  /** Follows the messages the message faults change to their destination (rejected, DLQ, output). */
  trace?: MessageTrace;
}

/**
 * Changes one picked message: its shaped value and its own 32-bit hash in, the value to encode
 * out. Returns the same value when it leaves the message as it is (then it does not count).
 */
export type Mutation = (shaped: unknown, m: TransformSubject, h: number) => unknown;

/**
 * A fault that acts on messages: while active, its transform sits in the source's chain (between
 * shape and encoding) and changes the messages its selection picks; stopped, it is taken out, so
 * the hot path is as before. Counts what it changed.
 */
export function messageFault(cfg: FaultConfig, ctx: Pick<FaultRunContext, 'source' | 'seed' | 'fleetSize' | 'trace'>, mutate: Mutation, details: () => Record<string, unknown>): RunFault {
  const salt = faultSalt(ctx.seed, cfg.name);
  const picks = pickerOf(cfg.select, salt, ctx.fleetSize);
  const trace = ctx.trace;
  const traced = trace ? trace.register() : -1;
  let messages = 0;
  const examples: string[] = [];
  const transform: MessageTransform = (shaped, m) => {
    if (!picks(m)) return shaped;
    const out = mutate(shaped, m, messageHash(salt ^ 0x5bd1e995, m.n));
    if (out === shaped) return shaped;
    messages++;
    if (examples.length < EXAMPLES) examples.push(m.messageId);
    trace?.mark(traced, m.n);
    return out;
  };
  const chain = ctx.source.transforms;
  return {
    scheduled: {
      name: cfg.name, kind: cfg.kind, atMs: cfg.atMs, forMs: cfg.forMs,
      apply: {
        start: () => {
          if (!chain.includes(transform)) chain.push(transform);
        },
        stop: () => {
          const i = chain.indexOf(transform);
          if (i >= 0) chain.splice(i, 1);
        },
      },
    },
    effect: () => ({ name: cfg.name, kind: cfg.kind, messages, examples: [...examples], details: details(), ...(trace ? { destinations: trace.destinations(traced) } : {}) }),
  };
}
