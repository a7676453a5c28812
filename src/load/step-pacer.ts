import { PiecewisePacer } from './piecewise-pacer.js';
import { invalidPhase, requireDuration, requireRate, type PhaseOf } from './pacer-support.js';

/**
 * `steps` levels of equal length (durationMs / steps each) whose rates (arrivals/second)
 * go evenly from `from` to `to` inclusive: from 100 to 300 in 3 steps is 100, 200, 300.
 * The levels may fall, and any of them may be 0. Rejects steps that is not an integer >= 2.
 */
export function createStepPacer(spec: PhaseOf<'step'>): PiecewisePacer {
  requireDuration(spec);
  requireRate(spec, 'from', spec.from);
  requireRate(spec, 'to', spec.to);
  if (!(Number.isSafeInteger(spec.steps) && spec.steps >= 2)) {
    throw invalidPhase(spec, 'steps', `must be a whole number >= 2, got ${spec.steps}`);
  }
  const { durationMs: d, from, to, steps } = spec;
  const bounds = new Array<number>(steps + 1);
  const rates = new Array<number>(steps);
  for (let i = 0; i < steps; i++) {
    // Each edge from its index, not by adding step lengths, so no error accumulates.
    bounds[i] = (d * i) / steps;
    rates[i] = from + ((to - from) * i) / (steps - 1);
  }
  bounds[steps] = d;
  rates[steps - 1] = to;
  return new PiecewisePacer(spec, bounds, rates);
}
