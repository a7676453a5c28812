/**
 * Shared contract and helpers for the per-kind pacers.
 *
 * Every pacer in this folder follows the same arrival rule. With N(t) the expected
 * arrivals in [0, t) — the integral of the rate (arrivals/second) over t (ms), so
 * N(t) = ∫ rate dt / 1000 — arrival n (0-based) is due at the first instant N exceeds n:
 *   dueAt(n) = inf { t : N(t) > n }.
 * Where the rate is positive this is the smallest t with N(t) >= n (so arrival 0 is at
 * t = 0); where the rate is zero (a step or spike base of 0, a ramp's zero end) it is the
 * instant the rate turns positive again, never a moment inside the silent stretch.
 * It follows that count = ceil(N(durationMs)) and countBefore(t) = ceil(N(t)): a phase
 * whose N(D) is fractional rounds up, so composed phases never lose arrivals.
 */
import type { Pacer } from './pacer.js';
import type { PhaseKind, PhaseSpec } from './phase.js';
import { UserError } from '../util/user-error.js';

/** Offsets are ms, rates are per second. */
export const MS_PER_S = 1000;

/** The spec of one phase kind, e.g. `PhaseOf<'ramp'>`. */
export type PhaseOf<K extends PhaseKind> = Extract<PhaseSpec, { kind: K }>;

/** A pacer for one phase, which also knows its highest target rate. */
export interface PhasePacer extends Pacer {
  /** Highest target rate (arrivals/second) reached in [0, durationMs); 0 for an empty phase. */
  readonly peakRate: number;
}

/**
 * Relative slack when rounding N up to whole arrivals: float noise such as
 * N = 12000.000000000002 for "1000/s for 12 s" must not invent a 12001st arrival due a
 * few femtoseconds before the end.
 */
const COUNT_SLACK = 1e-12;

/** ceil(x) for an expected arrival count x >= 0 (the arrivals n with n < x), robust to float noise. */
export function arrivalsBelow(x: number): number {
  if (!(x > 0)) return 0;
  return Math.ceil(x - x * COUNT_SLACK);
}

/** A phase spec that cannot be paced: a user error (exit code 2) naming the phase and field. */
export function invalidPhase(spec: PhaseSpec, field: string, why: string): UserError {
  return new UserError(`phase "${spec.name}" (${spec.kind}): ${field} ${why}`, {
    hint: 'Durations must be finite and >= 0, rates finite and >= 0 (arrivals per second).',
  });
}

/** Rejects a durationMs that is negative, NaN or infinite. */
export function requireDuration(spec: PhaseSpec): void {
  if (!(Number.isFinite(spec.durationMs) && spec.durationMs >= 0)) {
    throw invalidPhase(spec, 'durationMs', `must be a finite number of ms >= 0, got ${spec.durationMs}`);
  }
}

/** Rejects a rate (arrivals/second) that is negative, NaN or infinite. */
export function requireRate(spec: PhaseSpec, field: string, rate: number): void {
  if (!(Number.isFinite(rate) && rate >= 0)) {
    throw invalidPhase(spec, field, `must be a finite rate >= 0 per second, got ${rate}`);
  }
}

/**
 * The count of a phase whose expected total is `expected` = N(durationMs): ceil(expected),
 * then lowered while float rounding puts the last arrival at or past the end, so that
 * dueAt(n) < durationMs holds for every n < count. `pacer.dueAt` must not read `count`.
 */
export function settleCount(spec: PhaseSpec, pacer: Pacer, expected: number): number {
  if (!(expected <= Number.MAX_SAFE_INTEGER)) {
    throw invalidPhase(spec, 'rate x duration', `gives ${expected} arrivals, more than can be counted exactly`);
  }
  let count = arrivalsBelow(expected);
  // Float rounding moves the last due time by femtoseconds, so a correct pacer needs at most
  // one step here; more means dueAt is broken, and looping on would hide it.
  for (let steps = 0; count > 0 && !(pacer.dueAt(count - 1) < pacer.durationMs); steps++) {
    if (steps === 4) throw new Error(`pacer for phase "${spec.name}": arrival ${count - 1} falls after the phase end`);
    count--;
  }
  return count;
}

/**
 * Arrivals due in [0, tMs), made exactly consistent with `pacer.dueAt` as computed in
 * floats: starting from an estimate (ceil of N(tMs)), steps until dueAt(k-1) < tMs <= dueAt(k).
 * Hence countBefore(dueAt(n)) === n whenever dueAt(n-1) < dueAt(n). Not on the hot path.
 */
export function settleCountBefore(pacer: Pacer, tMs: number, estimate: number): number {
  let k = estimate < 0 ? 0 : estimate > pacer.count ? pacer.count : estimate;
  while (k > 0 && !(pacer.dueAt(k - 1) < tMs)) k--;
  while (k < pacer.count && pacer.dueAt(k) < tMs) k++;
  return k;
}

/** The largest double below x (x > 0, finite): the latest offset still inside [0, x). */
export function floatBelow(x: number): number {
  const f = new Float64Array([x]);
  const bits = new BigInt64Array(f.buffer);
  bits[0] -= 1n;
  return f[0];
}
