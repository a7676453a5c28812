/**
 * Zipf distribution over k ranked items: item i (0-based, rank i + 1) has probability
 * (i + 1)^-s / H(k, s). s = 0 is uniform; s = 1.2 gives the first item far more than 1/k.
 *
 * Deterministic: `sample(u)` maps a uniform u in [0, 1) to an item by inverting a CDF table
 * built once (Float64Array(k), 8 bytes an item), so it is a pure function of u. Bounds: k is an
 * integer in 1 .. ZIPF_MAX_ITEMS, s is finite in 0 .. ZIPF_MAX_EXPONENT. Sampling costs a
 * binary search, ceil(log2 k) steps (20 at the maximum), and allocates nothing.
 */

/** Most items a Zipf table may hold (8 MB of CDF; indicative: ~0.1 s to build, measured once). Fleets and tenants are usually far fewer. */
export const ZIPF_MAX_ITEMS = 1_000_000;
/** Largest exponent accepted; past ~10 essentially every draw is item 0 anyway. */
export const ZIPF_MAX_EXPONENT = 10;

export interface Zipf {
  /** Number of items k. */
  readonly k: number;
  /** Exponent s. */
  readonly s: number;
  /** Item index in 0 .. k-1 for u in [0, 1). Non-decreasing in u. Out-of-range u is clamped. */
  sample(u: number): number;
  /** Probability of item i (0 for i outside 0 .. k-1). */
  probability(i: number): number;
  /** P(item <= i): the CDF at item i (0 below 0, 1 from k-1 on). */
  cdf(i: number): number;
}

/** Builds the table for k items with exponent s. Throws RangeError outside the documented bounds. */
export function createZipf(k: number, s: number): Zipf {
  if (!Number.isInteger(k) || k < 1 || k > ZIPF_MAX_ITEMS) {
    throw new RangeError(`Zipf item count must be an integer in 1..${ZIPF_MAX_ITEMS}, got ${k}`);
  }
  if (!Number.isFinite(s) || s < 0 || s > ZIPF_MAX_EXPONENT) {
    throw new RangeError(`Zipf exponent must be in 0..${ZIPF_MAX_EXPONENT}, got ${s}`);
  }
  const table = buildCdf(k, s);
  const last = k - 1;
  return {
    k,
    s,
    sample(u: number): number {
      if (!(u > 0)) return 0;
      // Smallest i with table[i] > u; table[last] === 1 > u, so the search always lands.
      let lo = 0;
      let hi = last;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (table[mid] > u) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    },
    probability(i: number): number {
      if (!Number.isInteger(i) || i < 0 || i > last) return 0;
      return i === 0 ? table[0] : table[i] - table[i - 1];
    },
    cdf(i: number): number {
      if (i < 0) return 0;
      if (i >= last) return 1;
      return table[Math.floor(i)];
    },
  };
}

function buildCdf(k: number, s: number): Float64Array {
  const table = new Float64Array(k);
  let total = 0;
  for (let i = 0; i < k; i++) {
    total += Math.pow(i + 1, -s);
    table[i] = total;
  }
  for (let i = 0; i < k; i++) table[i] /= total;
  table[k - 1] = 1; // exact, whatever the rounding: sample() relies on it
  return table;
}
