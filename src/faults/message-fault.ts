import type { FaultEffect, ScheduledFault } from '../metrics/fault-types.js';
import type { FaultConfig } from '../scenario/faults-schema.js';
import type { MessageSource, MessageTransform, TransformSubject } from '../telemetry/message-source.js';
import { faultSalt, messageHash, pickerOf } from './selection.js';

/** A fault of the run: what the engine's timeline starts and stops, and what it did. */
export interface RunFault {
  scheduled: ScheduledFault;
  effect(): FaultEffect;
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
export function messageFault(cfg: FaultConfig, ctx: Pick<FaultRunContext, 'source' | 'seed' | 'fleetSize'>, mutate: Mutation, details: () => Record<string, unknown>): RunFault {
  const salt = faultSalt(ctx.seed, cfg.name);
  const picks = pickerOf(cfg.select, salt, ctx.fleetSize);
  let messages = 0;
  const examples: string[] = [];
  const transform: MessageTransform = (shaped, m) => {
    if (!picks(m)) return shaped;
    const out = mutate(shaped, m, messageHash(salt ^ 0x5bd1e995, m.n));
    if (out === shaped) return shaped;
    messages++;
    if (examples.length < EXAMPLES) examples.push(m.messageId);
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
    effect: () => ({ name: cfg.name, kind: cfg.kind, messages, examples: [...examples], details: details() }),
  };
}
