/**
 * Partition keys: which string a message is keyed by (Kinesis partition key, SQS FIFO message
 * group, …), by strategy:
 *   vin      → the vehicle id (one key per vehicle; skew comes only from reporting rates)
 *   fleet    → the fleet id  (Zipf-skewed by partitionKey.skew: fleet-01 is the hottest)
 *   tenant   → the tenant id (skewed likewise)
 *   constant → CONSTANT_PARTITION_KEY for every message (a single hot key)
 * A vehicle's key never changes during a run, so callers that map keys to shards (an MD5 per
 * key costs µs: ~3 µs measured once, indicative) should compute it once per vehicle with `vehiclePartitionKey` and cache the
 * shard, e.g. in a Uint16Array indexed by vehicle (or per fleet/tenant for those strategies).
 */
import type { FleetModel } from './fleet-model.js';
import type { FleetConfig } from './types.js';

export type PartitionStrategy = FleetConfig['partitionKey']['strategy'];

/** The single key of the `constant` strategy. */
export const CONSTANT_PARTITION_KEY = 'rushhour';

/** Picks the key for `strategy` from a vehicle's ids. Allocation-free. */
export function partitionKeyOf(strategy: PartitionStrategy, vehicleId: string, fleetId: string, tenantId: string): string {
  switch (strategy) {
    case 'vin':
      return vehicleId;
    case 'fleet':
      return fleetId;
    case 'tenant':
      return tenantId;
    case 'constant':
      return CONSTANT_PARTITION_KEY;
  }
}

/** The key of vehicle `index` (0 <= index < fleet.size) under the fleet's configured strategy. */
export function vehiclePartitionKey(fleet: FleetModel, index: number): string {
  const strategy = fleet.config.partitionKey.strategy;
  switch (strategy) {
    case 'vin':
      return fleet.vehicleId(index);
    case 'fleet':
      return fleet.fleetId(fleet.fleetIndexOf(index));
    case 'tenant':
      return fleet.tenantId(fleet.tenantIndexOf(index));
    case 'constant':
      return CONSTANT_PARTITION_KEY;
  }
}
