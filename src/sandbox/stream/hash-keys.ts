import { createHash } from 'node:crypto';

/**
 * The hash-key space of a stream and how a record finds its shard, as Kinesis does it: the
 * 128-bit hash key is the MD5 of the partition key read as an unsigned big-endian integer (or the
 * record's ExplicitHashKey), and each open shard takes a contiguous range of it. A new stream of N
 * shards splits 0..2^128-1 evenly: shard i starts at i × floor(2^128 / N), the last ends at 2^128-1
 * (AWS's ranges for CreateStream; rushhour's Kinesis target predicts shards from the same ranges
 * with BigInt, src/targets/kinesis/shard-map.ts, and must agree: test/sandbox/stream-keys.test.ts).
 *
 * BigInt is used only when the stream is built and for an ExplicitHashKey. On the put path a hash
 * key is 32 lowercase hex digits: fixed-width hex strings order exactly as the integers they
 * spell, so comparing them with `<` is the exact integer comparison.
 */

export const HASH_KEY_BITS = 128;
const SPACE = 1n << 128n;
/** Partition keys whose route is remembered (about 100 bytes each); dropped whole past this. */
const ROUTE_MEMORY = 100_000;
/** Lanes per shard a route can name (parallelizationFactor is at most 10). */
export const LANE_SLOTS = 16;

/** One shard's hash keys, inclusive, as decimal strings (ListShards' HashKeyRange). */
export interface HashKeyRange {
  start: string;
  end: string;
}

/** The even split of the hash-key space between `shards` open shards (shards >= 1). */
export function evenHashKeyRanges(shards: number): HashKeyRange[] {
  const step = SPACE / BigInt(shards);
  const ranges: HashKeyRange[] = [];
  for (let i = 0; i < shards; i++) {
    const end = i === shards - 1 ? SPACE - 1n : step * BigInt(i + 1) - 1n;
    ranges.push({ start: (step * BigInt(i)).toString(), end: end.toString() });
  }
  return ranges;
}

/** The MD5 hash key of a partition key (UTF-8), as 32 hex digits. */
export function md5HashKey(partitionKey: string): string {
  return createHash('md5').update(partitionKey, 'utf8').digest('hex');
}

/** A decimal ExplicitHashKey as 32 hex digits; undefined when it is outside 0..2^128-1 or not decimal digits. */
export function explicitHashKey(decimal: string): string | undefined {
  if (!/^\d{1,39}$/.test(decimal)) return undefined;
  const n = BigInt(decimal);
  return n < SPACE ? n.toString(16).padStart(32, '0') : undefined;
}

/**
 * Routes records to a shard and, within it, to a lane of the event source mapping. A route is one
 * number, `shard × LANE_SLOTS + lane`: the lane is the partition key's MD5 (its low 32 bits) mod
 * `lanes`, so records of one key always share a lane (and stay in order) whatever shard an
 * ExplicitHashKey sends them to. Routes by partition key alone are remembered, so a fleet whose
 * vehicles keep their keys costs one MD5 per vehicle, not per record.
 */
export class HashKeyRouter {
  /** Each shard's StartingHashKey, as 32 hex digits, ascending. */
  private readonly starts: string[];
  private readonly memory = new Map<string, number>();

  constructor(
    ranges: readonly HashKeyRange[],
    private readonly lanes: number,
  ) {
    this.starts = ranges.map((r) => BigInt(r.start).toString(16).padStart(32, '0'));
  }

  /** The route of a record with this partition key and no ExplicitHashKey. */
  route(partitionKey: string): number {
    let r = this.memory.get(partitionKey);
    if (r === undefined) {
      if (this.memory.size >= ROUTE_MEMORY) this.memory.clear();
      const hash = md5HashKey(partitionKey);
      r = this.shardOf(hash) * LANE_SLOTS + this.laneOf(hash);
      this.memory.set(partitionKey, r);
    }
    return r;
  }

  /** The route of a record whose ExplicitHashKey (32 hex digits, from explicitHashKey) picks the shard. */
  routeExplicit(partitionKey: string, hashHex: string): number {
    return this.shardOf(hashHex) * LANE_SLOTS + this.laneOf(md5HashKey(partitionKey));
  }

  /** The shard whose range holds `hashHex` (32 hex digits): the last one starting at or below it. */
  shardOf(hashHex: string): number {
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= hashHex) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private laneOf(hashHex: string): number {
    return this.lanes === 1 ? 0 : parseInt(hashHex.slice(24), 16) % this.lanes;
  }
}

/** The shard a route names. */
export function routeShard(route: number): number {
  return Math.floor(route / LANE_SLOTS);
}

/** The lane a route names. */
export function routeLane(route: number): number {
  return route % LANE_SLOTS;
}
