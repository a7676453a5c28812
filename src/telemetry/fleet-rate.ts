/**
 * The arrival rate a fleet produces on its own, used when a scenario gives no rate.
 * Every vehicle reports once per round of `vehicles` arrivals (see schedule.ts), so at this
 * rate a round lasts the mean cadence and each vehicle's interval falls in about
 * [cadence.minMs, cadence.maxMs].
 */
import type { FleetConfig } from './types.js';

/** Mean reporting interval of a vehicle, ms: the midpoint of [minMs, maxMs]. */
export function meanCadenceMs(cfg: FleetConfig): number {
  return (cfg.cadence.minMs + cfg.cadence.maxMs) / 2;
}

/** Arrivals per second: vehicles / mean cadence in seconds. Requires cadence.maxMs > 0. */
export function fleetRate(cfg: FleetConfig): number {
  return cfg.vehicles / (meanCadenceMs(cfg) / 1000);
}
