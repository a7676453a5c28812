import type { FleetConfig } from '../telemetry/types.js';

/** Defaults of the scenario format, in resolved units (ms, per second, bytes). Documented in REFERENCE.md. */

export const DEFAULT_SEED = 1;

export const DEFAULT_FLEET: FleetConfig = {
  vehicles: 1000,
  cadence: { minMs: 1000, maxMs: 3000 },
  mix: { telemetry: 0.95, tripStart: 0.01, tripEnd: 0.01, harshBraking: 0.015, geofence: 0.01, diagnostic: 0.005 },
  diagnosticBytes: 32 * 1024,
  partitionKey: { strategy: 'vin', skew: 0, fleets: 100, tenants: 10 },
};

/** Target defaults belong to each target kind (src/targets/<kind>/). */

/** Engine defaults; the peak-rate-derived ones are computed by buildPlan (see engine-defaults.ts). */
export const DEFAULT_INTERVAL_MS = 1000;
/** Seconds of arrivals at peak rate the default in-flight cap holds. */
export const IN_FLIGHT_HOLD_S = 5;
export const MIN_MAX_IN_FLIGHT = 100;
/** Warm-up requests: this share of one second at peak rate, clamped to [min, max]. */
export const WARMUP_SHARE_OF_PEAK = 0.25;
export const WARMUP_MIN = 50;
export const WARMUP_MAX = 2000;
/** Drain timeout = request timeout + this. */
export const DRAIN_GRACE_MS = 5000;

/** The `name` of a scenario or a phase. */
export const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
export const NAME_MAX_LENGTH = 100;
