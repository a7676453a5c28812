import { describe, expect, it } from 'vitest';
import { createFleetModel } from '../../src/telemetry/fleet-model.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { CONSTANT_PARTITION_KEY, partitionKeyOf, vehiclePartitionKey, type PartitionStrategy } from '../../src/telemetry/partition-key.js';
import { fleetConfig } from './fleet-fixture.js';

describe('partitionKeyOf', () => {
  it.each<[PartitionStrategy, string]>([
    ['vin', 'YS2AB12C3DE456789'],
    ['fleet', 'fleet-07'],
    ['tenant', 'tenant-02'],
    ['constant', CONSTANT_PARTITION_KEY],
  ])('%s → %s', (strategy, key) => {
    expect(partitionKeyOf(strategy, 'YS2AB12C3DE456789', 'fleet-07', 'tenant-02')).toBe(key);
  });
});

describe('vehiclePartitionKey', () => {
  it.each<[PartitionStrategy, (v: { id: string; fleetId: string; tenantId: string }) => string]>([
    ['vin', (v) => v.id],
    ['fleet', (v) => v.fleetId],
    ['tenant', (v) => v.tenantId],
    ['constant', () => CONSTANT_PARTITION_KEY],
  ])('%s: the key of each message is its vehicle\'s key, computed once', (strategy, expected) => {
    const cfg = fleetConfig({ vehicles: 300 }, { strategy, skew: 1.1 });
    const fleet = createFleetModel(cfg, 17);
    const src = createMessageSource(cfg, 17);
    for (let n = 0; n < 900; n++) {
      const m = src.next(n, 0);
      const key = vehiclePartitionKey(fleet, m.vehicleIndex);
      expect(m.partitionKey).toBe(key);
      expect(key).toBe(expected(fleet.vehicle(m.vehicleIndex)));
    }
  });

  it('with fleet keys and skew 1.2, the hottest key carries far more than 1/fleets of the messages', () => {
    const cfg = fleetConfig({ vehicles: 5000 }, { strategy: 'fleet', skew: 1.2, fleets: 50 });
    const src = createMessageSource(cfg, 2);
    const counts = new Map<string, number>();
    for (let n = 0; n < 20_000; n++) {
      const k = src.next(n, 0).partitionKey;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect((counts.get('fleet-01') ?? 0) / 20_000).toBeGreaterThan(5 / 50);
  });
});
