import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../../src/load/phase.js';
import { DEFAULT_FLEET } from '../../src/scenario/defaults.js';
import { BODY_BYTES_ESTIMATE, meanBodyBytes, totalDurationMs } from '../../src/scenario/plan-math.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import type { MessageKind } from '../../src/telemetry/types.js';

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
  it('total duration', () => {
    expect(totalDurationMs(PHASES)).toBe(940_000);
    expect(totalDurationMs([])).toBe(0);
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

  it('body size estimates are within 2% of what the payload generator writes', () => {
    const KEY: Record<MessageKind, keyof typeof BODY_BYTES_ESTIMATE> = {
      telemetry: 'telemetry',
      trip_start: 'tripStart',
      trip_end: 'tripEnd',
      harsh_braking: 'harshBraking',
      geofence: 'geofence',
      diagnostic: 'diagnostic',
    };
    const source = createMessageSource(DEFAULT_FLEET, 7);
    const sums = new Map<MessageKind, { bytes: number; n: number }>();
    const start = Date.UTC(2025, 0, 1);
    for (let n = 0; n < 60_000; n++) {
      const m = source.next(n, start + n);
      const dump = m.kind === 'diagnostic' ? DEFAULT_FLEET.diagnosticBytes : 0;
      const s = sums.get(m.kind) ?? { bytes: 0, n: 0 };
      s.bytes += Buffer.byteLength(m.body) - dump;
      s.n++;
      sums.set(m.kind, s);
    }
    expect([...sums.keys()].sort()).toEqual(Object.keys(KEY).sort());
    for (const [kind, s] of sums) {
      const estimate = BODY_BYTES_ESTIMATE[KEY[kind]];
      expect(Math.abs(s.bytes / s.n - estimate) / estimate, kind).toBeLessThanOrEqual(0.02);
    }
  });
});
