import { z } from 'zod';
import { formatDuration } from '../util/units.js';
import { NAME_MAX_LENGTH, NAME_PATTERN } from './defaults.js';
import type { ScenarioPhase } from './scenario.js';
import { durationField, intField, rateField } from '../util/unit-fields.js';

/**
 * The scenario's `phases:` list → ScenarioPhase[] (ms and arrivals per second). Phases run in
 * sequence; a phase without a name is called `<kind>-<index>` (0-based, as in `phases[2]`).
 */

export const MAX_PHASE_MS = 30 * 24 * 3_600_000;
export const MAX_STEPS = 1000;

type Unnamed<T> = T extends unknown ? Omit<T, 'name'> & { name?: string } : never;
type UnnamedPhase = Unnamed<ScenarioPhase>;

export function nameField(title: string) {
  const error = `expected a name of letters, digits, - and _ (at most ${NAME_MAX_LENGTH})`;
  return z
    .string({ error })
    .min(1, { error })
    .max(NAME_MAX_LENGTH, { error })
    .regex(NAME_PATTERN, { error })
    .meta({ title, description: 'Letters, digits, - and _.' });
}

const common = {
  name: nameField('Phase name').optional(),
  duration: durationField({ title: 'Phase duration', description: 'How long the phase lasts, e.g. 30s, 5m.' }, { min: 0, exclusiveMin: true, max: MAX_PHASE_MS }),
};

const rate = (title: string) => rateField({ title, description: 'Arrivals per second: 2000 or 2000/s (120/m per minute).' });

const constant = z
  .strictObject({
    kind: z.literal('constant'),
    ...common,
    rate: rateField({ title: 'Rate', description: 'Arrivals per second. Left out: the fleet rate (vehicles / mean cadence).' }).optional(),
  })
  .transform((p): UnnamedPhase => ({ kind: 'constant', name: p.name, durationMs: p.duration, rate: p.rate }))
  .meta({ title: 'Constant rate' });

const ramp = z
  .strictObject({ kind: z.literal('ramp'), ...common, from: rate('Start rate'), to: rate('End rate') })
  .transform((p): UnnamedPhase => ({ kind: 'ramp', name: p.name, durationMs: p.duration, from: p.from, to: p.to }))
  .meta({ title: 'Linear ramp from one rate to another' });

const step = z
  .strictObject({
    kind: z.literal('step'),
    ...common,
    from: rate('First level'),
    to: rate('Last level'),
    steps: intField({ title: 'Number of levels', description: `Equal-length levels from \`from\` to \`to\` inclusive, 2..${MAX_STEPS}.` }, 2, MAX_STEPS),
  })
  .transform((p): UnnamedPhase => ({ kind: 'step', name: p.name, durationMs: p.duration, from: p.from, to: p.to, steps: p.steps }))
  .meta({ title: 'Staircase of equal-length levels' });

const spike = z
  .strictObject({
    kind: z.literal('spike'),
    ...common,
    base: rate('Base rate'),
    peak: rate('Spike rate'),
    at: durationField({ title: 'Spike start', description: 'Offset from the start of the phase.', examples: ['20s'] }, { min: 0 }),
    for: durationField({ title: 'Spike length', description: 'The spike must end inside the phase.', examples: ['5s'] }),
  })
  .superRefine((p, ctx) => {
    if (p.at + p.for > p.duration) {
      const message = `expected at + for <= duration (${formatDuration(p.duration)}): the spike must end inside the phase`;
      ctx.addIssue({ code: 'custom', path: ['for'], message });
    }
  })
  .transform((p): UnnamedPhase => ({ kind: 'spike', name: p.name, durationMs: p.duration, base: p.base, peak: p.peak, atMs: p.at, forMs: p.for }))
  .meta({ title: 'Base rate with one spike' });

const sine = z
  .strictObject({
    kind: z.literal('sine'),
    ...common,
    mean: rate('Mean rate'),
    amplitude: rateField({ title: 'Amplitude', description: 'At most `mean`, so the rate never goes negative.' }),
    period: durationField({ title: 'Period', description: 'Length of one full wave, e.g. 5m (diurnal: 24h).', examples: ['5m'] }),
  })
  .superRefine((p, ctx) => {
    if (p.amplitude > p.mean) {
      ctx.addIssue({ code: 'custom', path: ['amplitude'], message: `expected amplitude <= mean (${p.mean}/s) so the rate never goes negative` });
    }
  })
  .transform((p): UnnamedPhase => ({ kind: 'sine', name: p.name, durationMs: p.duration, mean: p.mean, amplitude: p.amplitude, periodMs: p.period }))
  .meta({ title: 'Sine wave: mean + amplitude × sin(2πt / period)' });

const idle = z
  .strictObject({ kind: z.literal('idle'), ...common })
  .transform((p): UnnamedPhase => ({ kind: 'idle', name: p.name, durationMs: p.duration }))
  .meta({ title: 'No traffic (provokes reclaimed environments and cold starts)' });

export const phaseSchema = z.discriminatedUnion('kind', [constant, ramp, step, spike, sine, idle]);

export const phasesSchema = z
  .array(phaseSchema)
  .min(1)
  .transform((ps): ScenarioPhase[] => ps.map((p, i) => ({ ...p, name: p.name ?? `${p.kind}-${i}` }) as ScenarioPhase))
  .superRefine((ps, ctx) => {
    const seen = new Map<string, number>();
    ps.forEach((p, i) => {
      const first = seen.get(p.name);
      if (first === undefined) seen.set(p.name, i);
      else ctx.addIssue({
          code: 'custom',
          path: [i, 'name'],
          message: `expected a unique phase name; "${p.name}" is also the name of phases[${first}]`,
          params: { quoted: true },
        });
    });
  })
  .meta({ title: 'Load phases', description: 'Run in sequence. Left out: one constant phase of `duration` at the fleet rate.' });
