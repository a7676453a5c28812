import type { FaultConfig } from '../scenario/faults-schema.js';
import type { FaultRunContext, RunFault } from './message-fault.js';
import { faultSalt } from './selection.js';
import { Examples, jobPicker, stageFault } from './send-fault-parts.js';
import type { SendJob } from './send-job.js';
import { RANK, type SendPath, type SendStage } from './send-path.js';

export type ReorderConfig = Extract<FaultConfig, { kind: 'reorder' }>;

/** One message held back: until `left` later messages of its vehicle have gone, or its timer fires. */
interface Held {
  job: SendJob;
  left: number;
  timer: unknown;
  sinceMs: number;
}

/** Why held messages went: after later ones of their vehicle, at their longest hold, at the fault's stop or the engine's flush. */
export interface ReleaseCounts {
  afterLater: number;
  maxHold: number;
  atStop: number;
}

/**
 * The `reorder` fault: while active, each picked message is held back (not sent) until `by`
 * later messages of the same vehicle (higher seq; the vehicle is the message's vehicleIndex) have
 * gone to the target, then sent right after the last of them — so it reaches the pipeline after
 * them, with its own sentAt. It goes at the latest after `maxHoldMs` (on the run's clock), and at
 * the fault's stop or the engine's flush. A held message is not given a second hold. Effect:
 * `messages` = messages held; details: releases by cause and the longest hold (ms).
 */
export function reorderFault(cfg: ReorderConfig, ctx: FaultRunContext, path: SendPath): RunFault {
  const picks = jobPicker(cfg.select, faultSalt(ctx.seed, cfg.name), ctx);
  const examples = new Examples();
  const byVehicle = new Map<number, Held[]>();
  const released: ReleaseCounts = { afterLater: 0, maxHold: 0, atStop: 0 };
  let held = 0;
  let longestHoldMs = 0;
  let holding = 0;

  const release = (h: Held, why: keyof ReleaseCounts): void => {
    if (h.timer !== undefined) ctx.clock.clearTimer(h.timer);
    released[why]++;
    holding--;
    longestHoldMs = Math.max(longestHoldMs, ctx.clock.now() - h.sinceMs);
    path.pass(h.job);
  };
  const drop = (h: Held): void => {
    const list = byVehicle.get(h.job.msg.vehicleIndex);
    const i = list ? list.indexOf(h) : -1;
    if (i >= 0) list!.splice(i, 1);
    if (list && list.length === 0) byVehicle.delete(h.job.msg.vehicleIndex);
  };
  const releaseAll = (): void => {
    const all = [...byVehicle.values()].flat().sort((a, b) => a.sinceMs - b.sinceMs);
    byVehicle.clear();
    for (const h of all) release(h, 'atStop');
  };
  const stage: SendStage = {
    order: path.orderFor(RANK.reorder),
    admit: (job) => {
      if (!picks(job)) return false;
      const h: Held = { job, left: cfg.by, timer: undefined, sinceMs: ctx.clock.now() };
      h.timer = ctx.clock.setTimer(() => {
        h.timer = undefined;
        drop(h);
        release(h, 'maxHold');
      }, cfg.maxHoldMs);
      const list = byVehicle.get(job.msg.vehicleIndex);
      if (list) list.push(h);
      else byVehicle.set(job.msg.vehicleIndex, [h]);
      held++;
      holding++;
      examples.add(job.msg.messageId);
      return true;
    },
    sent: (job) => {
      const list = byVehicle.get(job.msg.vehicleIndex);
      if (list === undefined) return;
      const due: Held[] = [];
      for (const h of list) if (job.msg.seq > h.job.msg.seq && --h.left <= 0) due.push(h);
      for (const h of due) drop(h);
      for (const h of due) release(h, 'afterLater');
    },
    flush: releaseAll,
  };
  return stageFault(cfg, path, stage, {
    onStop: releaseAll,
    effect: () => ({
      messages: held, examples: [...examples.ids],
      details: { by: cfg.by, maxHoldMs: cfg.maxHoldMs, held, released: { ...released }, stillHeld: holding, longestHoldMs: Math.round(longestHoldMs) },
    }),
  });
}
