import { createHash } from 'node:crypto';
import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';

/** One open shard and the range of 128-bit hash keys it takes (inclusive). */
export interface ShardRange {
  id: string;
  start: bigint;
  end: bigint;
}

/** The 128-bit hash key Kinesis routes a record by: the MD5 of its partition key, as an unsigned integer. */
export function hashKey(partitionKey: string): bigint {
  return BigInt('0x' + createHash('md5').update(partitionKey, 'utf8').digest('hex'));
}

/**
 * Which shard a record lands in, computed as Kinesis does (the MD5 of the partition key in the
 * open shards' hash-key ranges). A vehicle's partition key never changes, so its shard is
 * computed once and kept by vehicle index (an MD5 per message would cost ~3 µs of the budget).
 */
/** Keys whose shard is remembered at most (about 100 bytes each). */
const KEY_MEMORY = 100_000;

export class ShardMap {
  private byVehicle = new Int32Array(1024).fill(-1);
  private readonly byKey = new Map<string, number>();

  constructor(readonly shards: ShardRange[]) {
    if (shards.length === 0) throw new Error('ShardMap: a stream has at least one open shard');
  }

  /** Index into `shards` for a partition key. */
  shardOf(partitionKey: string): number {
    const h = hashKey(partitionKey);
    let lo = 0;
    let hi = this.shards.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (h > this.shards[mid].end) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * The same, remembered by key (for keys from a template, which need not follow the vehicle);
   * the memory is dropped whole past KEY_MEMORY keys, so a key per message stays bounded.
   */
  shardOfKey(partitionKey: string): number {
    let s = this.byKey.get(partitionKey);
    if (s === undefined) {
      if (this.byKey.size >= KEY_MEMORY) this.byKey.clear();
      s = this.shardOf(partitionKey);
      this.byKey.set(partitionKey, s);
    }
    return s;
  }

  /** The same, remembered by vehicle (whose partition key is fixed for the run). */
  shardOfVehicle(vehicleIndex: number, partitionKey: string): number {
    if (vehicleIndex >= this.byVehicle.length) {
      const grown = new Int32Array(Math.max(vehicleIndex + 1, this.byVehicle.length * 2)).fill(-1);
      grown.set(this.byVehicle);
      this.byVehicle = grown;
    }
    let s = this.byVehicle[vehicleIndex];
    if (s < 0) s = this.byVehicle[vehicleIndex] = this.shardOf(partitionKey);
    return s;
  }
}

/** The stream's open shards (ListShards, every page), sorted by hash-key range. */
export async function loadShards(client: KinesisClient, id: { StreamName: string } | { StreamARN: string }): Promise<ShardRange[]> {
  const shards: Shard[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : { ...id }));
    shards.push(...(page.Shards ?? []));
    token = page.NextToken;
  } while (token);
  return shards
    .filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined && s.HashKeyRange)
    .map((s) => ({ id: s.ShardId!, start: BigInt(s.HashKeyRange!.StartingHashKey!), end: BigInt(s.HashKeyRange!.EndingHashKey!) }))
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
