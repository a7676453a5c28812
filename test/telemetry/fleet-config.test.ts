import { describe, expect, it } from 'vitest';
import { assertFleetConfig, FLEET_LIMITS } from '../../src/telemetry/fleet-config.js';
import { fleetRate, meanCadenceMs } from '../../src/telemetry/fleet-rate.js';
import { createKindPicker } from '../../src/telemetry/message-kind.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import type { FleetConfig } from '../../src/telemetry/types.js';
import { fleetConfig } from './fleet-fixture.js';

describe('fleetRate', () => {
  it.each([
    { vehicles: 1000, minMs: 1000, maxMs: 3000, rate: 500 },
    { vehicles: 2_000_000, minMs: 1000, maxMs: 3000, rate: 1_000_000 },
    { vehicles: 10, minMs: 10_000, maxMs: 10_000, rate: 1 },
    { vehicles: 1, minMs: 100, maxMs: 300, rate: 5 },
  ])('$vehicles vehicles every $minMs to $maxMs ms → $rate/s', ({ vehicles, minMs, maxMs, rate }) => {
    const cfg = fleetConfig({ vehicles, cadence: { minMs, maxMs } });
    expect(fleetRate(cfg)).toBeCloseTo(rate, 9);
    expect(meanCadenceMs(cfg)).toBe((minMs + maxMs) / 2);
  });
});

describe('assertFleetConfig', () => {
  const bad: Array<[string, FleetConfig]> = [
    ['vehicles', fleetConfig({ vehicles: 0 })],
    ['vehicles', fleetConfig({ vehicles: FLEET_LIMITS.maxVehicles + 1 })],
    ['vehicles', fleetConfig({ vehicles: 2.5 })],
    ['cadence.minMs', fleetConfig({ cadence: { minMs: 0, maxMs: 10 } })],
    ['cadence.maxMs', fleetConfig({ cadence: { minMs: 2000, maxMs: 1000 } })],
    ['mix.geofence', fleetConfig({ mix: { telemetry: 1, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: -1, diagnostic: 0 } })],
    ['mix', fleetConfig({ mix: { telemetry: 0, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0 } })],
    ['diagnosticBytes', fleetConfig({ diagnosticBytes: FLEET_LIMITS.maxDiagnosticBytes + 1 })],
    ['partitionKey.strategy', fleetConfig({}, { strategy: 'md5' as 'vin' })],
    ['partitionKey.skew', fleetConfig({}, { skew: 11 })],
    ['partitionKey.fleets', fleetConfig({}, { fleets: 0 })],
    ['partitionKey.tenants', fleetConfig({}, { tenants: FLEET_LIMITS.maxTenants + 1 })],
  ];

  it.each(bad)('names %s', (field, cfg) => {
    expect(() => assertFleetConfig(cfg)).toThrow(new RegExp(`^${field.replace('.', '\\.')}`));
    expect(() => createMessageSource(cfg, 1)).toThrow(RangeError);
  });

  it('accepts the bounds themselves', () => {
    const edge = fleetConfig(
      { vehicles: FLEET_LIMITS.maxVehicles, cadence: { minMs: 1, maxMs: FLEET_LIMITS.maxCadenceMs }, diagnosticBytes: 0 },
      { skew: FLEET_LIMITS.maxSkew, fleets: 1, tenants: 3 },
    );
    expect(() => assertFleetConfig(edge)).not.toThrow();
  });
});

describe('createKindPicker', () => {
  it('maps u to kinds by cumulative weight and never picks a zero weight', () => {
    const p = createKindPicker({ telemetry: 1, tripStart: 0, tripEnd: 1, harshBraking: 0, geofence: 0, diagnostic: 2 });
    expect([0, 0.2499, 0.25, 0.4999, 0.5, 0.9999999999].map((u) => p.pick(u))).toEqual([
      'telemetry', 'telemetry', 'trip_end', 'trip_end', 'diagnostic', 'diagnostic',
    ]);
    expect(p.probability('diagnostic')).toBe(0.5);
    expect(p.probability('geofence')).toBe(0);
  });

  it('a single positive weight takes every u', () => {
    const p = createKindPicker({ telemetry: 0, tripStart: 0, tripEnd: 0, harshBraking: 0.3, geofence: 0, diagnostic: 0 });
    for (const u of [0, 0.5, 0.999999]) expect(p.pick(u)).toBe('harsh_braking');
  });
});
