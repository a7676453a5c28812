import type { FaultEffect } from '../metrics/fault-types.js';
import type { FaultConfig, FaultSelection } from '../scenario/faults-schema.js';
import { arrivalOfMessageId, messageIdPrefix, type TransformSubject } from '../telemetry/message-source.js';
import { EXAMPLES, type FaultRunContext, type RunFault } from './message-fault.js';
import { pickerOf } from './selection.js';
import type { SendJob } from './send-job.js';
import type { SendPath, SendStage } from './send-path.js';

/** What the send faults (retry-storm, duplicate, reorder, store-and-forward) share: their scaffolding, picker, examples and counts. */

/** A send fault's own parts, around the stage that `stageFault` installs and uninstalls. */
export interface StageFaultParts {
  /** At the fault's start, before the stage is installed. */
  onStart?: () => void;
  /** At the fault's stop, after the stage is uninstalled: hands on what the fault still holds. */
  onStop?: () => void;
  /** The kind's figures for summary.json; the fault's name and kind are added to them. */
  effect: () => Omit<FaultEffect, 'name' | 'kind'>;
}

/**
 * The RunFault of a send fault whose work is `stage` on `path`: the stage is registered now (the
 * path's flush and abort reach it from its creation on), installed at the fault's start and
 * uninstalled at its stop, on the schedule of `cfg` (atMs, forMs: ms, null as in FaultConfig).
 */
export function stageFault(cfg: Pick<FaultConfig, 'name' | 'kind' | 'atMs' | 'forMs'>, path: SendPath, stage: SendStage, parts: StageFaultParts): RunFault {
  const { onStart, onStop, effect } = parts;
  path.register(stage);
  return {
    scheduled: {
      name: cfg.name, kind: cfg.kind, atMs: cfg.atMs, forMs: cfg.forMs,
      apply: {
        start: () => {
          onStart?.();
          path.install(stage);
        },
        stop: () => {
          path.uninstall(stage);
          onStop?.();
        },
      },
    },
    effect: () => ({ name: cfg.name, kind: cfg.kind, ...effect() }),
  };
}

/** Decides per message whether a send fault takes it: the fault's selection (selection.ts) read off the message itself. */
export type JobPicker = (job: SendJob) => boolean;

/**
 * The picker of a selection for messages on the send path: the same choice as a message fault's
 * (seeded by the run's seed and the fault's salt), the arrival number read back from the id (an
 * id of another seed — the warm-up's — stands in by its own hash).
 */
export function jobPicker(select: FaultSelection, salt: number, ctx: Pick<FaultRunContext, 'seed' | 'fleetSize'>): JobPicker {
  const picks = pickerOf(select, salt, ctx.fleetSize);
  if (select.by === 'all') return () => true;
  const prefix = messageIdPrefix(ctx.seed);
  const subject: TransformSubject = { n: 0, vehicleIndex: 0, seq: 0, kind: 'telemetry', messageId: '' };
  return (job) => {
    const m = job.msg;
    subject.n = arrivalOfMessageId(m.messageId, prefix) ?? idHash(m.messageId);
    subject.vehicleIndex = m.vehicleIndex;
    subject.seq = m.seq;
    subject.kind = m.kind;
    subject.messageId = m.messageId;
    return picks(subject);
  };
}

/** The first EXAMPLES message ids a fault touched, in order. */
export class Examples {
  readonly ids: string[] = [];

  add(id: string): void {
    if (this.ids.length < EXAMPLES) this.ids.push(id);
  }
}

/** Counts by key (outcome classes, attempts) as a plain object for summary.json. */
export class Tally {
  private readonly by = new Map<string, number>();

  add(key: string, n = 1): void {
    this.by.set(key, (this.by.get(key) ?? 0) + n);
  }

  get total(): number {
    let t = 0;
    for (const v of this.by.values()) t += v;
    return t;
  }

  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.by].sort((a, b) => a[0].localeCompare(b[0], 'en', { numeric: true })));
  }
}

/** Rounds to 0.1 (rates, ratios in summary.json). */
export const round1 = (x: number): number => Math.round(x * 10) / 10;

/** FNV-1a of a text: a stand-in arrival number for an id that is not this run's. */
function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
