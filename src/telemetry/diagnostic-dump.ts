/**
 * Contents of diagnostic messages, built once per source and reused by every message:
 * - the `dump` filler, a JSON-safe string of exactly `bytes` characters (base64 alphabet, so
 *   also `bytes` UTF-8 bytes), seeded so it looks like encoded binary;
 * - a table of DTC code lists (OBD-II style, 1–3 codes each, frozen) so that picking one per
 *   message allocates nothing.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Powertrain, network and chassis codes seen on trucks and vans (misfire, DPF, SCR, EGR, …). */
const DTCS = [
  'P0300', 'P0301', 'P0171', 'P0420', 'P0128', 'P0442', 'P0087', 'P0401',
  'P2463', 'P20EE', 'P0299', 'P0101', 'U0100', 'U0121', 'C0035', 'B1000',
];
/** Number of distinct DTC lists; a power of two so a hash picks one with a mask. */
export const DTC_LISTS = 64;

export interface DiagnosticContent {
  /** The dump filler, `bytes` characters long. */
  readonly dump: string;
  /** DTC_LISTS frozen lists of codes, e.g. ['P0300', 'U0100']. Shared: never mutate. */
  readonly dtcLists: readonly string[][];
}

/** Builds the filler and DTC table from a 32-bit salt. Cost is O(bytes), paid once. */
export function createDiagnosticContent(bytes: number, salt: number): DiagnosticContent {
  const rng = xoroshiro128plus(salt | 0);
  const chunk: string[] = [];
  const chunkLength = Math.min(bytes, 4096);
  for (let i = 0; i < chunkLength; i++) chunk.push(BASE64[uniformInt(rng, 0, 63)]);
  const block = chunk.join('');
  // Repeat a 4 KiB random block: a dump of megabytes costs one allocation, not a PRNG call a byte.
  const dump = block.length === 0 ? '' : block.repeat(Math.ceil(bytes / block.length)).slice(0, bytes);
  const dtcLists: string[][] = [];
  for (let i = 0; i < DTC_LISTS; i++) {
    const count = uniformInt(rng, 1, 3);
    const codes = new Set<string>();
    while (codes.size < count) codes.add(DTCS[uniformInt(rng, 0, DTCS.length - 1)]);
    dtcLists.push(Object.freeze([...codes]) as string[]);
  }
  return { dump, dtcLists };
}
