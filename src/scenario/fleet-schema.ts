import { z } from 'zod';
import type { FleetConfig } from '../telemetry/types.js';
import { FLEET_LIMITS } from '../telemetry/fleet-config.js';
import { DEFAULT_FLEET } from './defaults.js';
import { durationField, intField, numberField, sizeField } from '../util/unit-fields.js';

/**
 * The scenario's `fleet:` block → FleetConfig. Every field is optional; what is left out takes
 * the DEFAULT_FLEET value, except inside `mix`, where a kind left out has weight 0.
 */

/** Stricter than the fleet model's 1 ms: a 10 ms cadence is already 100 messages/s per vehicle. */
const MIN_CADENCE_MS = 10;
const MAX_CADENCE_MS = FLEET_LIMITS.maxCadenceMs;
const L = FLEET_LIMITS;

const cadenceBound = { min: MIN_CADENCE_MS, max: MAX_CADENCE_MS };

const cadenceSchema = z
  .strictObject({
    min: durationField({ title: 'Shortest reporting interval', description: 'At least 10ms.', examples: ['1s'] }, cadenceBound),
    max: durationField({ title: 'Longest reporting interval', description: 'At least `min`, at most 24h.', examples: ['3s'] }, cadenceBound),
  })
  .superRefine((c, ctx) => {
    if (c.min > c.max) ctx.addIssue({ code: 'custom', path: ['min'], message: 'expected min <= max (the cadence is uniform in [min, max])' });
  })
  .meta({
    title: 'Per-vehicle reporting interval',
    description: 'Each vehicle reports every `min`..`max` (uniform jitter). Default 1s..3s. Fleet rate = vehicles / mean cadence.',
    default: { min: '1s', max: '3s' },
  });

function weight(kind: string) {
  return numberField({ title: `Weight of ${kind} messages`, description: 'Relative weight >= 0; a kind left out of `mix` has weight 0.' }, 0).optional();
}

const mixSchema = z
  .strictObject({
    telemetry: weight('periodic position/engine telemetry'),
    trip_start: weight('trip start'),
    trip_end: weight('trip end'),
    harsh_braking: weight('harsh braking'),
    geofence: weight('geofence'),
    diagnostic: weight('large diagnostic dump'),
  })
  .superRefine((m, ctx) => {
    const weights = Object.values(m).map((w) => w ?? 0);
    // A negative weight is reported on its own key; a sum check on top would only repeat it.
    if (weights.some((w) => !(w >= 0))) return;
    const sum = weights.reduce((a, w) => a + w, 0);
    if (!(sum > 0)) ctx.addIssue({ code: 'custom', message: 'expected at least one weight above 0', params: { quoted: true } });
  })
  .meta({
    title: 'Message kind mix',
    description: 'Relative weights (need not sum to 1). Default telemetry 0.95, trip_start 0.01, trip_end 0.01, harsh_braking 0.015, geofence 0.01, diagnostic 0.005.',
    default: { telemetry: 0.95, trip_start: 0.01, trip_end: 0.01, harsh_braking: 0.015, geofence: 0.01, diagnostic: 0.005 },
  });

const partitionKeySchema = z
  .strictObject({
    strategy: z.enum(['vin', 'fleet', 'tenant', 'constant']).meta({ title: 'Partition key strategy', description: 'vin (default), fleet, tenant or constant (one hot key).', default: 'vin' }).optional(),
    skew: numberField({ title: 'Zipf skew exponent', description: '0 (default) is uniform; 1 and above makes a few keys hot.', default: 0 }, 0, L.maxSkew).optional(),
    fleets: intField({ title: 'Number of fleets', description: 'Default 100.', default: 100 }, 1, L.maxFleets).optional(),
    tenants: intField({ title: 'Number of tenants', description: 'Default 10.', default: 10 }, 1, L.maxTenants).optional(),
  })
  .meta({ title: 'Partition keys', description: 'How messages are keyed (Kinesis partition key, SQS message group).' });

export const fleetSchema = z
  .strictObject({
    vehicles: intField({ title: 'Number of vehicles', description: '1 .. 10,000,000. Default 1000.', examples: [5000], default: 1000 }, L.minVehicles, L.maxVehicles).optional(),
    cadence: cadenceSchema.optional(),
    mix: mixSchema.optional(),
    diagnosticSize: sizeField(
      { title: 'Diagnostic dump size', description: 'Approximate size of a diagnostic dump, up to 16MiB. Default 32KiB.', default: '32KiB' },
      { min: 0, max: L.maxDiagnosticBytes },
    ).optional(),
    partitionKey: partitionKeySchema.optional(),
  })
  .transform((f): FleetConfig => {
    const d = DEFAULT_FLEET;
    const m = f.mix;
    return {
      vehicles: f.vehicles ?? d.vehicles,
      cadence: f.cadence ? { minMs: f.cadence.min, maxMs: f.cadence.max } : { ...d.cadence },
      mix: m
        ? {
            telemetry: m.telemetry ?? 0,
            tripStart: m.trip_start ?? 0,
            tripEnd: m.trip_end ?? 0,
            harshBraking: m.harsh_braking ?? 0,
            geofence: m.geofence ?? 0,
            diagnostic: m.diagnostic ?? 0,
          }
        : { ...d.mix },
      diagnosticBytes: f.diagnosticSize ?? d.diagnosticBytes,
      partitionKey: { ...d.partitionKey, ...withoutUndefined(f.partitionKey ?? {}) },
    };
  })
  .meta({ title: 'Fleet model', description: 'The simulated vehicles: how many, how often they report, what they send.' });

function withoutUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
