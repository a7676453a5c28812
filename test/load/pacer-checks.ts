import { expect } from 'vitest';
import type { Pacer } from '../../src/load/pacer.js';

/**
 * Walks every arrival of `p` (or those in [from, to)) and fails on the first due time that
 * goes backwards or leaves [0, durationMs). Returns how many arrivals it walked.
 */
export function expectMonotoneInRange(p: Pacer, from = 0, to = p.count): number {
  let prev = from > 0 ? p.dueAt(from - 1) : 0;
  for (let n = from; n < to; n++) {
    const t = p.dueAt(n);
    if (!(t >= prev && t >= 0 && t < p.durationMs)) {
      expect.fail(`arrival ${n} due at ${t} ms: previous ${prev} ms, duration ${p.durationMs} ms`);
    }
    prev = t;
  }
  return to - from;
}

/**
 * countBefore is the inverse of dueAt: countBefore(dueAt(n)) === n (arrival n is not before
 * its own due time) and countBefore(dueAt(n) + eps) === n + 1, for each n in `ns`.
 * `eps` (ms) must be smaller than the gap to the next arrival.
 */
export function expectCountBeforeInverts(p: Pacer, ns: Iterable<number>, eps = 1e-6): void {
  for (const n of ns) {
    const t = p.dueAt(n);
    if (p.countBefore(t) !== n || p.countBefore(t + eps) !== n + 1) {
      expect.fail(
        `arrival ${n} due at ${t} ms: countBefore(t) = ${p.countBefore(t)}, countBefore(t + ${eps}) = ${p.countBefore(t + eps)}`,
      );
    }
  }
}

/** n = 0, 1, …, count-1 when small, else a spread of them including both ends. */
export function sampleArrivals(count: number, max = 2000): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const out = new Set<number>([0, 1, count - 2, count - 1]);
  for (let i = 0; i < max; i++) out.add(Math.floor((i * (count - 1)) / (max - 1)));
  return [...out].sort((a, b) => a - b);
}

/** Smallest t in [lo, hi] with f(t) >= target, f non-decreasing: plain bisection, as a reference. */
export function bisect(f: (t: number) => number, target: number, lo: number, hi: number): number {
  for (let i = 0; i < 200 && lo < hi; i++) {
    const mid = 0.5 * (lo + hi);
    if (mid === lo || mid === hi) break;
    if (f(mid) >= target) hi = mid;
    else lo = mid;
  }
  return hi;
}
