/**
 * The bounds a FleetConfig must satisfy before the fleet model accepts it. The scenario
 * validator turns violations into user errors with hints; `assertFleetConfig` is the model's
 * own guard and throws a RangeError naming the field (reaching it means a validator bug).
 */
import type { FleetConfig, MessageKind } from './types.js';
import { ZIPF_MAX_EXPONENT, ZIPF_MAX_ITEMS } from './zipf.js';

export const FLEET_LIMITS = {
  /** Vehicles: integer. Memory does not grow with it; the upper bound keeps VIN serials and index maths exact. */
  minVehicles: 1,
  maxVehicles: 10_000_000,
  /** Cadence bounds, ms: 1 ms .. 1 day, minMs <= maxMs. */
  minCadenceMs: 1,
  maxCadenceMs: 86_400_000,
  /**
   * Fleets and tenants: integers, 1 .. 1,000,000 each (Zipf tables, 8 bytes an item). Each fleet
   * has one tenant, so with tenants > fleets some tenants get no vehicles (allowed, not useful).
   */
  maxFleets: ZIPF_MAX_ITEMS,
  maxTenants: ZIPF_MAX_ITEMS,
  /** Zipf exponent: 0 (uniform) .. 10. */
  maxSkew: ZIPF_MAX_EXPONENT,
  /** Diagnostic dump size, bytes: integer 0 .. 16 MiB. Targets have lower limits of their own (SQS 256 KiB, Kinesis 1 MiB). */
  maxDiagnosticBytes: 16 * 1024 * 1024,
} as const;

/** Mix keys in the order kinds are drawn, with the kind each one weights. */
export const MIX_KINDS: ReadonlyArray<readonly [keyof FleetConfig['mix'], MessageKind]> = [
  ['telemetry', 'telemetry'],
  ['tripStart', 'trip_start'],
  ['tripEnd', 'trip_end'],
  ['harshBraking', 'harsh_braking'],
  ['geofence', 'geofence'],
  ['diagnostic', 'diagnostic'],
];

/** Throws RangeError (message names the field) if `cfg` is outside FLEET_LIMITS. */
export function assertFleetConfig(cfg: FleetConfig): void {
  const L = FLEET_LIMITS;
  intIn('vehicles', cfg.vehicles, L.minVehicles, L.maxVehicles);
  const { minMs, maxMs } = cfg.cadence;
  numIn('cadence.minMs', minMs, L.minCadenceMs, L.maxCadenceMs);
  numIn('cadence.maxMs', maxMs, minMs, L.maxCadenceMs);
  let total = 0;
  for (const [key] of MIX_KINDS) {
    numIn(`mix.${key}`, cfg.mix[key], 0, Number.MAX_VALUE);
    total += cfg.mix[key];
  }
  if (!(total > 0) || !Number.isFinite(total)) throw new RangeError('mix: at least one weight must be > 0 (and the sum finite)');
  intIn('diagnosticBytes', cfg.diagnosticBytes, 0, L.maxDiagnosticBytes);
  const pk = cfg.partitionKey;
  if (!['vin', 'fleet', 'tenant', 'constant'].includes(pk.strategy)) {
    throw new RangeError(`partitionKey.strategy must be vin, fleet, tenant or constant, got ${String(pk.strategy)}`);
  }
  numIn('partitionKey.skew', pk.skew, 0, L.maxSkew);
  intIn('partitionKey.fleets', pk.fleets, 1, L.maxFleets);
  intIn('partitionKey.tenants', pk.tenants, 1, L.maxTenants);
}

function numIn(field: string, v: number, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new RangeError(`${field} must be a number in ${min}..${max}, got ${String(v)}`);
  }
}

function intIn(field: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) {
    throw new RangeError(`${field} must be an integer in ${min}..${max}, got ${String(v)}`);
  }
}
