import { describe, expect, it } from 'vitest';
import { ScalingLimit } from '../../src/sandbox/scaling-limit.js';

describe('ScalingLimit (the queue poller scaling out)', () => {
  it.each([
    // [in use, now ms, allowed?, limit after]
    ['starts at the initial limit', [[0, 0, true, 5], [4, 0, true, 5], [5, 0, false, 5]]],
    ['grows at the rate while at the limit (10/s: one per 100 ms)', [[5, 0, false, 5], [5, 99, false, 5], [5, 100, true, 6], [6, 350, true, 8.5]]],
    ['stops growing below the limit and resumes from there', [[5, 0, false, 5], [5, 200, true, 7], [3, 5000, true, 7], [7, 5000, false, 7], [7, 5100, true, 8]]],
    ['never passes the maximum', [[5, 0, false, 5], [5, 60_000, true, 20]]],
    ['falls back to the initial limit after idling for resetAfterMs', [[5, 0, false, 5], [5, 500, true, 10], [0, 1000, true, 10], [0, 3000, true, 5]]],
  ] as const)('%s', (_name, steps) => {
    const s = new ScalingLimit(5, 10, 20, 2000, 0);
    for (const [inUse, now, allowed, after] of steps) {
      expect(s.allows(inUse, now)).toBe(allowed);
      expect(s.current).toBe(Math.floor(after));
    }
  });

  it('says when the next invocation will be allowed', () => {
    const s = new ScalingLimit(5, 10, 20, 2000, 0);
    s.allows(5, 0);
    expect(s.nextStepAt(0)).toBe(100);
    s.allows(5, 50);
    expect(s.nextStepAt(50)).toBeCloseTo(100, 6);
  });

  it('with no rate, allows everything up to the maximum at once', () => {
    const s = new ScalingLimit(5, null, 20, 2000, 0);
    expect(s.allows(1000, 0)).toBe(true);
    expect(s.current).toBe(20);
    expect(s.nextStepAt(0)).toBe(Infinity);
  });
});
