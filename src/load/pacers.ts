/**
 * Entry point of src/load: turns resolved phases (ms, arrivals/second) into pacers.
 * Arrival rule, count and rounding: see pacer-support.ts. An invalid phase throws a
 * UserError naming the phase; the scenario validator is expected to catch it first.
 */
import type { PhaseSpec } from './phase.js';
import type { PhasePacer } from './pacer-support.js';
import { ConstantPacer } from './constant-pacer.js';
import { IdlePacer } from './idle-pacer.js';
import { RampPacer } from './ramp-pacer.js';
import { SinePacer } from './sine-pacer.js';
import { createSpikePacer } from './spike-pacer.js';
import { createStepPacer } from './step-pacer.js';
import { composeSchedule, type Schedule } from './schedule.js';
import { UserError } from '../util/user-error.js';

/** The pacer for one phase, its offsets from the phase start. */
export function createPacer(phase: PhaseSpec): PhasePacer {
  switch (phase.kind) {
    case 'constant':
      return new ConstantPacer(phase);
    case 'ramp':
      return new RampPacer(phase);
    case 'step':
      return createStepPacer(phase);
    case 'spike':
      return createSpikePacer(phase);
    case 'sine':
      return new SinePacer(phase);
    case 'idle':
      return new IdlePacer(phase);
    default:
      return unknownKind(phase);
  }
}

/** The phases in sequence, as one pacer over the whole run. */
export function createSchedule(phases: readonly PhaseSpec[]): Schedule {
  return composeSchedule(phases.map(createPacer));
}

/** Arrivals the whole run will offer: the sum of the phases' counts. */
export function totalArrivals(phases: readonly PhaseSpec[]): number {
  return createSchedule(phases).count;
}

/**
 * Highest target rate (arrivals/second) in the run, e.g. to size the in-flight cap
 * (>= 5 s of arrivals at this rate). 0 if the rate is 0 throughout.
 */
export function peakRate(phases: readonly PhaseSpec[]): number {
  return createSchedule(phases).peakRate();
}

function unknownKind(phase: never): never {
  const kind = (phase as { kind?: unknown }).kind;
  throw new UserError(`no pacer for phase kind ${JSON.stringify(kind)}`, {
    hint: 'Phase kinds are constant, ramp, step, spike, sine and idle.',
  });
}
