/**
 * Seeded randomness for the sandbox model (init times, work times, query times), so that a
 * sandbox with the same seed and the same traffic draws the same figures.
 */

/** A closed range of durations in milliseconds, `minMs <= maxMs`. */
export interface DurationRange {
  minMs: number;
  maxMs: number;
}

/** A source of uniform floats in [0, 1). */
export type Random = () => number;

/** mulberry32: a small, fast 32-bit PRNG; good enough for jitter, not for cryptography. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A duration drawn uniformly from `range` (ms). */
export function drawMs(range: DurationRange, random: Random): number {
  if (range.maxMs <= range.minMs) return range.minMs;
  return range.minMs + (range.maxMs - range.minMs) * random();
}
