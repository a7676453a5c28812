import { describe, expect, it } from 'vitest';
import { faultSalt, pickerOf } from '../../src/faults/selection.js';
import type { FaultSelection } from '../../src/scenario/faults-schema.js';
import type { TransformSubject } from '../../src/telemetry/message-source.js';

const subject = (n: number, vehicleIndex: number): TransformSubject => ({ n, vehicleIndex, seq: 1, kind: 'telemetry', messageId: `m-${n}` });

/** How many of `count` messages (vehicle = n mod fleet) the picker takes. */
function picked(select: FaultSelection, count: number, fleet: number, salt = faultSalt(7, 'f')): number[] {
  const pick = pickerOf(select, salt, fleet);
  const out: number[] = [];
  for (let n = 0; n < count; n++) if (pick(subject(n, n % fleet))) out.push(n);
  return out;
}

describe('fault selection (pure, by seed)', () => {
  it.each([
    // [name, selection, messages, fleet, check]
    ['all', { by: 'all' }, 1000, 10, (p: number[]) => p.length === 1000],
    ['the first N', { by: 'count', count: 37 }, 1000, 10, (p: number[]) => p.length === 37 && p[36] === 36],
    ['1 % of 100,000 messages: within 0.1 percentage point', { by: 'fraction', fraction: 0.01 }, 100_000, 1000, (p: number[]) => Math.abs(p.length - 1000) < 100],
    ['exactly 7 of 50 vehicles: all their messages', { by: 'vehicleCount', count: 7 }, 5000, 50, (p: number[]) => new Set(p.map((n) => n % 50)).size === 7 && p.length === 700],
    ['a count above the fleet: every vehicle', { by: 'vehicleCount', count: 99 }, 500, 50, (p: number[]) => p.length === 500],
    ['10 % of 10,000 vehicles: all of each picked vehicle\'s messages', { by: 'vehicles', fraction: 0.1 }, 30_000, 10_000, (p: number[]) => Math.abs(new Set(p.map((n) => n % 10_000)).size - 1000) < 100 && p.length === 3 * new Set(p.map((n) => n % 10_000)).size],
  ] as const)('%s', (_name, select, count, fleet, check) => {
    expect(check(picked(select as FaultSelection, count, fleet))).toBe(true);
  });

  it('the same seed and name pick the same messages; another name, others', () => {
    const a = picked({ by: 'fraction', fraction: 0.05 }, 10_000, 100, faultSalt(7, 'a'));
    expect(picked({ by: 'fraction', fraction: 0.05 }, 10_000, 100, faultSalt(7, 'a'))).toEqual(a);
    expect(picked({ by: 'fraction', fraction: 0.05 }, 10_000, 100, faultSalt(7, 'b'))).not.toEqual(a);
    expect(picked({ by: 'fraction', fraction: 0.05 }, 10_000, 100, faultSalt(8, 'a'))).not.toEqual(a);
  });

  it('arrival numbers past 2^32 are picked by both halves', () => {
    const pick = pickerOf({ by: 'fraction', fraction: 0.5 }, faultSalt(1, 'x'), 10);
    const big = Array.from({ length: 64 }, (_, i) => pick(subject(2 ** 32 * (i + 1) + 5, 0)));
    expect(new Set(big).size).toBe(2);
  });
});
