/**
 * Which vehicle sends arrival n. Arrivals come in rounds of N (= vehicles): round r is
 * arrivals r·N .. r·N + N-1 and is a permutation of the vehicles, so every vehicle sends
 * exactly once per round and its seq for round r is r + 1.
 *
 * The permutation of round r is built in two layers, both affine maps x → (a·x + b) mod m
 * with a coprime to m (cheap, allocation-free, invertible):
 *   1. a fixed, seeded permutation G of 0 .. N-1 scatters vehicles over the round's slots;
 *   2. the slots are cut into blocks of S (the last block may be shorter) and each block is
 *      shuffled again every round, with (a, b) drawn from (seed, r, block).
 * A vehicle therefore stays in its block and moves within it from round to round: the gap
 * between two of its arrivals is N ± (S - 1). With S = N · (max - min) / (max + min) and the
 * fleet rate N / mean cadence (fleet-rate.ts), that gap lasts between cadence.minMs and
 * cadence.maxMs (triangular, mean = mean cadence); a fixed cadence (min = max) gives S = 1 and
 * exact intervals.
 *
 * Everything is a pure function of (seed, n): no state, so any n may be asked in any order.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { hash3, TWO_POW_32 } from './hash.js';

export interface RoundSchedule {
  /** Arrivals per round = number of vehicles N. */
  readonly vehicles: number;
  /** Block size S (1 .. N): how far a vehicle's slot can move between rounds. */
  readonly blockSize: number;
  /** Vehicle index (0 .. N-1) that sends arrival n (safe integer >= 0). */
  vehicleAt(n: number): number;
  /** That vehicle's sequence number for arrival n: round + 1 (1-based). */
  seqAt(n: number): number;
  /** Inverse: the arrival at which `vehicle` sends its message number `seq` (>= 1). */
  arrivalOf(vehicle: number, seq: number): number;
}

const MULTIPLIERS = 16;

/**
 * Block size for a cadence range: N · (max − min) / (max + min), at least 1, at most N.
 * Requires 0 <= minMs <= maxMs, maxMs > 0.
 */
export function blockSizeFor(vehicles: number, minMs: number, maxMs: number): number {
  const s = Math.round((vehicles * (maxMs - minMs)) / (maxMs + minMs));
  return Math.min(vehicles, Math.max(1, s));
}

/** Builds the schedule for N vehicles with block size S (1 .. N) from a 32-bit salt. */
export function createRoundSchedule(vehicles: number, blockSize: number, salt: number): RoundSchedule {
  if (!Number.isInteger(vehicles) || vehicles < 1) throw new RangeError(`vehicles must be an integer >= 1, got ${vehicles}`);
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > vehicles) {
    throw new RangeError(`blockSize must be an integer in 1..${vehicles}, got ${blockSize}`);
  }
  const N = vehicles;
  const B = blockSize;
  const lastBlock = Math.ceil(N / B) - 1;
  const lastSize = N - lastBlock * B;
  const rng = xoroshiro128plus(salt | 0);
  const g = coprimeTo(N, uniformInt(rng, 1, Math.max(1, N - 1)));
  const gInv = modInverse(g, N);
  const gOff = uniformInt(rng, 0, N - 1);
  const full = multiplierTable(B, rng);
  const last = multiplierTable(lastSize, rng);

  /** Per (round, block) hash: its low 4 bits pick the multiplier, the rest the offset. */
  function blockHash(r: number, j: number): number {
    const hi = r >= TWO_POW_32 ? Math.floor(r / TWO_POW_32) : 0;
    return hash3(salt ^ hi, r >>> 0, j);
  }

  return {
    vehicles: N,
    blockSize: B,
    vehicleAt(n: number): number {
      const r = Math.floor(n / N);
      const k = n - r * N;
      const j = Math.floor(k / B);
      const o = k - j * B;
      const t = j === lastBlock ? last : full;
      const h = blockHash(r, j);
      const slot = j * B + ((t.mul[h & (MULTIPLIERS - 1)] * o + (h >>> 4)) % t.size);
      return (g * slot + gOff) % N;
    },
    seqAt(n: number): number {
      return Math.floor(n / N) + 1;
    },
    arrivalOf(vehicle: number, seq: number): number {
      const r = seq - 1;
      const slot = (gInv * ((vehicle - gOff + N) % N)) % N;
      const j = Math.floor(slot / B);
      const t = j === lastBlock ? last : full;
      const h = blockHash(r, j);
      const shifted = (slot - j * B - ((h >>> 4) % t.size) + t.size) % t.size;
      return r * N + j * B + ((t.inv[h & (MULTIPLIERS - 1)] * shifted) % t.size);
    },
  };
}

interface MultiplierTable {
  size: number;
  mul: Float64Array;
  inv: Float64Array;
}

/** MULTIPLIERS random multipliers coprime to `size`, with their inverses mod `size`. */
function multiplierTable(size: number, rng: ReturnType<typeof xoroshiro128plus>): MultiplierTable {
  const mul = new Float64Array(MULTIPLIERS);
  const inv = new Float64Array(MULTIPLIERS);
  for (let i = 0; i < MULTIPLIERS; i++) {
    mul[i] = size <= 2 ? 1 : coprimeTo(size, uniformInt(rng, 1, size - 1));
    inv[i] = modInverse(mul[i], size);
  }
  return { size, mul, inv };
}

/** The first a' >= a (wrapping past m - 1 to 1) with gcd(a', m) = 1. m >= 1, 1 <= a < m or m = 1. */
function coprimeTo(m: number, a: number): number {
  if (m <= 2) return 1;
  let x = a;
  while (gcd(x, m) !== 1) x = x + 1 >= m ? 1 : x + 1;
  return x;
}

function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}

/** a⁻¹ mod m for gcd(a, m) = 1 (0 when m = 1), by the extended Euclidean algorithm. */
function modInverse(a: number, m: number): number {
  if (m === 1) return 0;
  let [r0, r1] = [a % m, m];
  let [s0, s1] = [1, 0];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return ((s0 % m) + m) % m;
}
