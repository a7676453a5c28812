import type { PhaseSpec } from '../load/phase.js';
import type { FleetConfig } from '../telemetry/types.js';

/**
 * Closed-form figures of a load profile, for defaults and for `rushhour validate`: no pacer is
 * built and nothing is sent. Rates are arrivals per second, durations ms, sizes bytes.
 */

/**
 * Highest target rate a phase asks for: constant rate, max(from, to) of a ramp or step,
 * max(base, peak) of a spike, mean + amplitude of a sine (an upper bound when the phase ends
 * before the first crest), 0 for idle.
 */
export function phasePeakRate(p: PhaseSpec): number {
  switch (p.kind) {
    case 'constant':
      return p.rate;
    case 'ramp':
    case 'step':
      return Math.max(p.from, p.to);
    case 'spike':
      return p.forMs > 0 ? Math.max(p.base, p.peak) : p.base;
    case 'sine':
      return p.mean + p.amplitude;
    case 'idle':
      return 0;
  }
}

export function peakRate(phases: readonly PhaseSpec[]): number {
  return phases.reduce((m, p) => Math.max(m, phasePeakRate(p)), 0);
}

/**
 * Expected arrivals in a phase, the integral of its rate: constant rate × d; ramp and step
 * (from + to) / 2 × d (a step's levels are equally spaced and equally long); spike
 * base × (d − for) + peak × for; sine mean × d + amplitude × P / 2π × (1 − cos(2π d / P)); idle 0.
 * The pacer rounds each phase up to whole arrivals, so a run may send up to one more per phase.
 */
export function phaseMessages(p: PhaseSpec): number {
  const d = p.durationMs / 1000;
  switch (p.kind) {
    case 'constant':
      return p.rate * d;
    case 'ramp':
    case 'step':
      return ((p.from + p.to) / 2) * d;
    case 'spike':
      return p.base * (d - p.forMs / 1000) + p.peak * (p.forMs / 1000);
    case 'sine': {
      const period = p.periodMs / 1000;
      return p.mean * d + ((p.amplitude * period) / (2 * Math.PI)) * (1 - Math.cos((2 * Math.PI * d) / period));
    }
    case 'idle':
      return 0;
  }
}

export function totalMessages(phases: readonly PhaseSpec[]): number {
  return phases.reduce((sum, p) => sum + phaseMessages(p), 0);
}

export function totalDurationMs(phases: readonly { durationMs: number }[]): number {
  return phases.reduce((sum, p) => sum + p.durationMs, 0);
}

/**
 * Approximate JSON body size of each message kind in bytes, measured from the payload generator
 * (src/telemetry/payload.ts) with seed 7 over 60k messages; a diagnostic adds its dump on top.
 * Estimates for `validate`, not contracts: the generator may change by a few bytes.
 */
export const BODY_BYTES_ESTIMATE = {
  telemetry: 330,
  tripStart: 280,
  tripEnd: 280,
  harshBraking: 270,
  geofence: 290,
  /** Without the `dump` field, whose size is `fleet.diagnosticBytes`. */
  diagnostic: 215,
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
