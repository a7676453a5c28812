import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../../src/sandbox/token-bucket.js';

/** Takes one token at each time (ms) and returns which calls were admitted. */
function admitted(rate: number, burst: number, times: number[]): boolean[] {
  const b = new TokenBucket(rate, burst, 0);
  return times.map((t) => b.tryTake(t));
}

describe('TokenBucket', () => {
  it.each([
    ['a full bucket admits a burst, then throttles', 10, 3, [0, 0, 0, 0], [true, true, true, false]],
    ['refills at the rate (10/s: one token per 100 ms)', 10, 1, [0, 50, 100, 150, 200], [true, false, true, false, true]],
    ['never holds more than the burst', 1000, 2, [0, 0, 10_000, 10_000, 10_000], [true, true, true, true, false]],
    ['a time going backwards does not add tokens', 10, 1, [100, 0, 50], [true, false, false]],
    ['fractional refills accumulate (3/s: a token after 333.3 ms)', 3, 1, [0, 200, 333, 334], [true, false, false, true]],
  ])('%s', (_name, rate, burst, times, expected) => {
    expect(admitted(rate, burst, times)).toEqual(expected);
  });

  it('admits rate × seconds + burst over a long window', () => {
    const b = new TokenBucket(100, 50, 0);
    let n = 0;
    for (let t = 0; t <= 10_000; t += 1) for (let k = 0; k < 3; k++) if (b.tryTake(t)) n++;
    expect(n).toBe(100 * 10 + 50);
  });
});
