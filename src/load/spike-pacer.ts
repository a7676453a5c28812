import { PiecewisePacer } from './piecewise-pacer.js';
import { invalidPhase, requireDuration, requireRate, type PhaseOf } from './pacer-support.js';

/**
 * `base` arrivals/second, except `peak` in [atMs, atMs + forMs) (ms from the phase start).
 * The spike must lie inside the phase (atMs >= 0, forMs >= 0, atMs + forMs <= durationMs);
 * a spike that would run past the end is rejected, not cut short. base 0 gives a lone burst.
 */
export function createSpikePacer(spec: PhaseOf<'spike'>): PiecewisePacer {
  requireDuration(spec);
  requireRate(spec, 'base', spec.base);
  requireRate(spec, 'peak', spec.peak);
  const { durationMs: d, atMs, forMs } = spec;
  if (!(Number.isFinite(atMs) && atMs >= 0 && atMs <= d)) {
    throw invalidPhase(spec, 'atMs', `must lie inside the phase [0, ${d}] ms, got ${atMs}`);
  }
  if (!(Number.isFinite(forMs) && forMs >= 0 && atMs + forMs <= d)) {
    throw invalidPhase(spec, 'forMs', `must be >= 0 and end by the phase end (${d - atMs} ms left), got ${forMs}`);
  }
  return new PiecewisePacer(spec, [0, atMs, atMs + forMs, d], [spec.base, spec.peak, spec.base]);
}
