import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { DEFAULT_FLEET } from '../../src/scenario/defaults.js';
import { BODY_BYTES_ESTIMATE, meanBodyBytes, peakRate, phaseMessages, phasePeakRate, totalDurationMs, totalMessages } from '../../src/scenario/plan-math.js';

const PHASES: PhaseSpec[] = [
  { kind: 'constant', name: 'c', durationMs: 30_000, rate: 1000 },
  { kind: 'ramp', name: 'r', durationMs: 60_000, from: 100, to: 2000 },
  { kind: 'step', name: 's', durationMs: 60_000, from: 100, to: 400, steps: 4 },
  { kind: 'spike', name: 'k', durationMs: 60_000, base: 200, peak: 5000, atMs: 20_000, forMs: 5000 },
  { kind: 'sine', name: 'w', durationMs: 600_000, mean: 1000, amplitude: 500, periodMs: 300_000 },
  { kind: 'sine', name: 'w2', durationMs: 100_000, mean: 1000, amplitude: 500, periodMs: 300_000 },
  { kind: 'idle', name: 'i', durationMs: 30_000 },
];

describe('plan math', () => {
  it.each([
    ['c', 30_000],
    ['r', 63_000],
    ['s', 15_000],
    ['k', 200 * 55 + 5000 * 5],
    ['w', 600_000],
    ['i', 0],
  ])('messages of phase %s', (name, expected) => {
    expect(phaseMessages(PHASES.find((p) => p.name === name)!)).toBeCloseTo(expected, 6);
  });

  it.each(PHASES.map((p) => [p.name, p] as const))('phase %s agrees with its pacer (count within 1)', (_n, phase) => {
    const pacer = createPacer(phase);
    expect(Math.abs(pacer.count - phaseMessages(phase))).toBeLessThanOrEqual(1);
    expect(phasePeakRate(phase)).toBeGreaterThanOrEqual(pacer.peakRate - 1e-9);
  });

  it('peak, totals', () => {
    expect(peakRate(PHASES)).toBe(5000);
    expect(peakRate([])).toBe(0);
    expect(totalDurationMs(PHASES)).toBe(940_000);
    expect(totalMessages(PHASES)).toBeCloseTo(PHASES.reduce((s, p) => s + phaseMessages(p), 0), 6);
  });

  it('mean body size weights the mix and adds the dump to diagnostics', () => {
    const only = (kind: keyof typeof DEFAULT_FLEET.mix) => ({
      ...DEFAULT_FLEET,
      mix: { telemetry: 0, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0, [kind]: 2 },
    });
    expect(meanBodyBytes(only('telemetry'))).toBe(BODY_BYTES_ESTIMATE.telemetry);
    expect(meanBodyBytes(only('diagnostic'))).toBe(BODY_BYTES_ESTIMATE.diagnostic + DEFAULT_FLEET.diagnosticBytes);
    const half = { ...DEFAULT_FLEET, mix: { ...only('telemetry').mix, geofence: 2 } };
    expect(meanBodyBytes(half)).toBe((BODY_BYTES_ESTIMATE.telemetry + BODY_BYTES_ESTIMATE.geofence) / 2);
  });
});
