import type { FaultConfig } from '../scenario/faults-schema.js';
import { OK } from '../targets/outcome.js';
import { EXAMPLES, type FaultRunContext, type RunFault } from './message-fault.js';
import { faultSalt } from './selection.js';
import { Examples, jobPicker, round1, stageFault } from './send-fault-parts.js';
import type { JobEndListener, SendJob } from './send-job.js';
import { RANK, type SendPath, type SendStage } from './send-path.js';

export type StoreAndForwardConfig = Extract<FaultConfig, { kind: 'store-and-forward' }>;

/** One flush of what the silent vehicles buffered. Times in ms on the run's clock. */
export interface Burst {
  /** Messages in it. */
  size: number;
  vehicles: number;
  /** How long the silence lasted before it (fault start, or first buffered message, to the flush). */
  silenceMs: number;
  /** Messages the vehicles buffered per second while silent (their own cadence, all together). */
  bufferedPerSec: number;
  /** Messages of the burst answered so far, and when the last one was (ms after the flush). */
  answered: number;
  ok: number;
  doneMs: number | null;
  /** The rate the burst achieved: size over the time until its last answer, per second. */
  ratePerSec: number | null;
}

/** One stretch of the fault being active: per vehicle (in the order each first went silent) its buffered messages, oldest first. */
interface Silence {
  startedMs: number;
  firstMs: Map<number, number>;
  byVehicle: Map<number, SendJob[]>;
  size: number;
}

/**
 * The `store-and-forward` fault: while active, every message of the selected vehicles (the same
 * vehicles throughout, by seed) is buffered, not sent — the vehicles are in a tunnel. At its stop
 * the buffer goes in one burst, vehicle after vehicle (in the order they went silent), each
 * vehicle's readings oldest first, as a device uploads its own backlog back to back — as fast
 * as the inner target takes them (the path's
 * queue; the engine's new arrivals wait behind it), each with its original body and sentAt (built
 * when it arrived): late, out-of-order data at a rate far above the vehicles' cadence. The
 * engine's flush flushes too (nothing is left held). Effect: `messages` = messages buffered;
 * details: vehicles, longest and mean silence per vehicle (its first buffered message to the
 * flush, ms), and each burst (size, rate achieved, answered).
 */
export function storeAndForwardFault(cfg: StoreAndForwardConfig, ctx: FaultRunContext, path: SendPath): RunFault {
  const picks = jobPicker(cfg.select, faultSalt(ctx.seed, cfg.name), ctx);
  const examples = new Examples();
  const vehicles = new Set<number>();
  const bursts: Burst[] = [];
  const silences = { longestMs: 0, sumMs: 0, count: 0 };
  const vehicleExamples: { vehicleId: string; buffered: number; silenceMs: number }[] = [];
  let buffered = 0;
  let silence: Silence | null = null;

  const flush = (): void => {
    const s = silence;
    if (s === null) return;
    silence = null;
    const now = ctx.clock.now();
    const burst = burstOf(s, now);
    bursts.push(burst);
    for (const [v, first] of s.firstMs) {
      const ms = now - first;
      silences.longestMs = Math.max(silences.longestMs, ms);
      silences.sumMs += ms;
      silences.count++;
      const jobs = s.byVehicle.get(v)!;
      if (vehicleExamples.length < EXAMPLES) vehicleExamples.push({ vehicleId: jobs[0].msg.vehicleId, buffered: jobs.length, silenceMs: Math.round(ms) });
    }
    const listener = burstListener(burst, now, () => ctx.clock.now());
    for (const jobs of s.byVehicle.values()) for (const job of jobs) job.onEnd = listener;
    for (const jobs of s.byVehicle.values()) for (const job of jobs) path.pass(job);
  };
  const stage: SendStage = {
    order: path.orderFor(RANK.storeAndForward),
    admit: (job) => {
      if (silence === null || !picks(job)) return false;
      const v = job.msg.vehicleIndex;
      const jobs = silence.byVehicle.get(v);
      if (jobs) jobs.push(job);
      else {
        silence.firstMs.set(v, ctx.clock.now());
        silence.byVehicle.set(v, [job]);
      }
      silence.size++;
      vehicles.add(v);
      buffered++;
      examples.add(job.msg.messageId);
      return true;
    },
    flush,
  };
  return stageFault(cfg, path, stage, {
    onStart: () => {
      if (silence === null) silence = { startedMs: ctx.clock.now(), firstMs: new Map(), byVehicle: new Map(), size: 0 };
    },
    onStop: flush,
    effect: () => ({
      messages: buffered, examples: [...examples.ids],
      details: {
        vehicles: vehicles.size, buffered, stillBuffered: silence?.size ?? 0,
        longestSilenceMs: Math.round(silences.longestMs),
        meanSilenceMs: silences.count > 0 ? Math.round(silences.sumMs / silences.count) : 0,
        burstSize: bursts.reduce((a, b) => a + b.size, 0),
        burstRatePerSec: bursts.length > 0 ? bursts[bursts.length - 1].ratePerSec : null,
        bursts: bursts.map((b) => ({ ...b })),
        vehicleExamples,
      },
    }),
  });
}

function burstOf(s: Silence, now: number): Burst {
  const silenceMs = now - s.startedMs;
  return {
    size: s.size, vehicles: s.firstMs.size, silenceMs: Math.round(silenceMs),
    bufferedPerSec: silenceMs > 0 ? round1((s.size * 1000) / silenceMs) : 0,
    answered: 0, ok: 0, doneMs: s.size === 0 ? 0 : null, ratePerSec: null,
  };
}

/** Counts the burst's answers; at the last, its duration and rate. */
function burstListener(burst: Burst, flushedAt: number, now: () => number): JobEndListener {
  return {
    ended: (_job, outcome) => {
      burst.answered++;
      if (outcome === OK) burst.ok++;
      if (burst.answered < burst.size) return;
      const ms = Math.max(now() - flushedAt, 1);
      burst.doneMs = Math.round(ms);
      burst.ratePerSec = round1((burst.size * 1000) / ms);
    },
  };
}
