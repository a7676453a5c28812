import { describe, expect, it } from 'vitest';
import { createPacer, createSchedule } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { UserError } from '../../src/util/user-error.js';

describe('phases that cannot be paced', () => {
  it.each<[string, PhaseSpec, string]>([
    ['negative duration', { kind: 'constant', name: 'a', durationMs: -1, rate: 10 }, 'durationMs'],
    ['infinite duration', { kind: 'idle', name: 'a', durationMs: Infinity }, 'durationMs'],
    ['negative rate', { kind: 'constant', name: 'a', durationMs: 1000, rate: -1 }, 'rate'],
    ['NaN rate', { kind: 'constant', name: 'a', durationMs: 1000, rate: Number.NaN }, 'rate'],
    ['negative ramp end', { kind: 'ramp', name: 'a', durationMs: 1000, from: 10, to: -10 }, 'to'],
    ['one step', { kind: 'step', name: 'a', durationMs: 1000, from: 10, to: 20, steps: 1 }, 'steps'],
    ['fractional steps', { kind: 'step', name: 'a', durationMs: 1000, from: 10, to: 20, steps: 2.5 }, 'steps'],
    ['spike before the phase', { kind: 'spike', name: 'a', durationMs: 1000, base: 1, peak: 9, atMs: -1, forMs: 10 }, 'atMs'],
    ['spike past the end', { kind: 'spike', name: 'a', durationMs: 1000, base: 1, peak: 9, atMs: 900, forMs: 200 }, 'forMs'],
    ['sine amplitude over mean', { kind: 'sine', name: 'a', durationMs: 1000, mean: 10, amplitude: 11, periodMs: 100 }, 'amplitude'],
    ['sine amplitude under -mean', { kind: 'sine', name: 'a', durationMs: 1000, mean: 10, amplitude: -11, periodMs: 100 }, 'amplitude'],
    ['sine period 0', { kind: 'sine', name: 'a', durationMs: 1000, mean: 10, amplitude: 1, periodMs: 0 }, 'periodMs'],
    ['too many arrivals', { kind: 'constant', name: 'a', durationMs: 1e12, rate: 1e10 }, 'arrivals'],
  ])('%s is a user error naming the field', (_label, spec, field) => {
    expect(() => createPacer(spec)).toThrow(UserError);
    expect(() => createPacer(spec)).toThrow(field);
    expect(() => createSchedule([spec])).toThrow(`phase "a" (${spec.kind})`);
  });

  it('rejects an unknown kind', () => {
    expect(() => createPacer({ kind: 'burst', name: 'x', durationMs: 1 } as unknown as PhaseSpec)).toThrow(UserError);
  });
});
