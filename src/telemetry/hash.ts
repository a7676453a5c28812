/**
 * Stateless 32-bit integer hashing: the source of every per-vehicle and per-message draw in
 * the fleet model, so vehicle i (and message n) is the same every time without keeping state.
 *
 * All functions take and return unsigned 32-bit integers (0 .. 2^32-1), allocate nothing and
 * are safe on the hot path. Seed expansion, which runs once per source, uses pure-rand instead
 * (see `seedStreams`).
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

const GOLDEN = 0x9e3779b9;
export const TWO_POW_32 = 4294967296;

/** murmur3's finaliser: a bijection on 32-bit integers with full avalanche. */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of two 32-bit integers. For a fixed `a` it is a bijection of `b`. */
export function hash2(a: number, b: number): number {
  return mix32(mix32((a + GOLDEN) | 0) ^ b);
}

/** Hash of three 32-bit integers. For fixed `a`, `b` it is a bijection of `c`. */
export function hash3(a: number, b: number, c: number): number {
  return mix32(hash2(a, b) ^ c);
}

/**
 * The j-th independent draw (j = 0, 1, 2, …) derived from one hash `h`: lets one
 * per-vehicle hash feed many attributes without re-hashing the inputs.
 */
export function draw(h: number, j: number): number {
  return mix32((h + Math.imul(j + 1, GOLDEN)) | 0);
}

/** A 32-bit hash as a uniform float in [0, 1) (resolution 2^-32). */
export function unit(h: number): number {
  return (h >>> 0) / TWO_POW_32;
}

/**
 * Hash of a non-negative safe integer (up to 2^53 - 1) together with a salt: arrival numbers
 * and round numbers can pass 2^32 in a long run, so both halves are mixed in.
 */
export function hashWide(salt: number, x: number): number {
  const lo = x >>> 0;
  const hi = Math.floor(x / TWO_POW_32) >>> 0;
  return hash3(salt, lo, hi);
}

/**
 * Folds a user seed (any safe integer, negative allowed) into 32 bits. Distinct seeds in
 * -2^31 .. 2^32-1 map to distinct values.
 */
export function normalizeSeed(seed: number): number {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
  if (seed >= -0x80000000 && seed <= 0xffffffff) return seed >>> 0;
  return hashWide(0x5eed, seed < 0 ? -seed : seed);
}

/** Independent 32-bit salts derived from one seed, one per random "stream" of the model. */
export interface SeedStreams {
  /** Per-vehicle attributes (fleet, home, route, odometer). */
  vehicle: number;
  /** VIN prefixes and the serial bijection. */
  vin: number;
  /** Depot of each fleet. */
  depot: number;
  /** The round schedule (which vehicle sends arrival n). */
  schedule: number;
  /** Per-message draws (kind, engine noise, event details). */
  message: number;
  /** The diagnostic filler and DTC lists. */
  dump: number;
}

/**
 * Expands a seed into its streams with pure-rand's xoroshiro128+ (seeded with the mixed seed,
 * first outputs discarded so nearby seeds diverge). Same seed → same salts.
 */
export function seedStreams(seed: number): SeedStreams {
  const rng = xoroshiro128plus(mix32(normalizeSeed(seed)) | 0);
  for (let i = 0; i < 8; i++) rng.next();
  const next = (): number => uniformInt(rng, 0, 0xffffffff) >>> 0;
  return { vehicle: next(), vin: next(), depot: next(), schedule: next(), message: next(), dump: next() };
}
