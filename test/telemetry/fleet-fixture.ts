import type { FleetConfig } from '../../src/telemetry/types.js';

/** A small, valid fleet; `over` replaces top-level fields, `pk` fields of partitionKey. */
export function fleetConfig(over: Partial<FleetConfig> = {}, pk: Partial<FleetConfig['partitionKey']> = {}): FleetConfig {
  return {
    vehicles: 500,
    cadence: { minMs: 1000, maxMs: 3000 },
    mix: { telemetry: 0.95, tripStart: 0.01, tripEnd: 0.01, harshBraking: 0.015, geofence: 0.01, diagnostic: 0.005 },
    diagnosticBytes: 2048,
    ...over,
    partitionKey: { strategy: 'vin', skew: 0, fleets: 20, tenants: 5, ...over.partitionKey, ...pk },
  };
}

/** A mix with weight only on `kind`. */
export function onlyMix(kind: keyof FleetConfig['mix']): FleetConfig['mix'] {
  const mix = { telemetry: 0, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0 };
  mix[kind] = 1;
  return mix;
}
