import type { FleetConfig } from '../telemetry/types.js';

/**
 * Closed-form figures of a load profile that src/load does not give, for `rushhour validate`.
 * Peak rate and arrival counts come from the pacers themselves (src/load/pacers.ts).
 * Durations ms, sizes bytes.
 */

export function totalDurationMs(phases: readonly { durationMs: number }[]): number {
  return phases.reduce((sum, p) => sum + p.durationMs, 0);
}

/**
 * Approximate JSON body size of each message kind in bytes, the mean over 60k messages of the
 * default fleet with seed 7 (src/telemetry/payload.ts); a diagnostic adds its dump on top.
 * Estimates for `validate`, not contracts; test/scenario/plan-math.test.ts keeps them within 2%.
 */
export const BODY_BYTES_ESTIMATE = {
  telemetry: 319,
  tripStart: 278,
  tripEnd: 276,
  harshBraking: 266,
  geofence: 288,
  /** Without the `dump` field, whose size is `fleet.diagnosticBytes`. */
  diagnostic: 213,
} as const;

/** Mean body size in bytes over the mix (weights normalised). */
export function meanBodyBytes(fleet: FleetConfig): number {
  const mix = fleet.mix;
  let weight = 0;
  let bytes = 0;
  for (const kind of Object.keys(BODY_BYTES_ESTIMATE) as (keyof typeof BODY_BYTES_ESTIMATE)[]) {
    const size = BODY_BYTES_ESTIMATE[kind] + (kind === 'diagnostic' ? fleet.diagnosticBytes : 0);
    weight += mix[kind];
    bytes += mix[kind] * size;
  }
  return weight > 0 ? bytes / weight : 0;
}
