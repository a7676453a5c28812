import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockSizeFor, createRoundSchedule } from '../../src/telemetry/schedule.js';

/** The vehicles of round r, in arrival order. */
function round(vehicles: number, blockSize: number, salt: number, r: number): number[] {
  const s = createRoundSchedule(vehicles, blockSize, salt);
  return Array.from({ length: vehicles }, (_, k) => s.vehicleAt(r * vehicles + k));
}

describe('createRoundSchedule', () => {
  it.each([
    { vehicles: 1, blockSize: 1 },
    { vehicles: 2, blockSize: 2 },
    { vehicles: 7, blockSize: 3 },
    { vehicles: 100, blockSize: 1 },
    { vehicles: 100, blockSize: 50 },
    { vehicles: 1000, blockSize: 333 },
    { vehicles: 4096, blockSize: 4096 },
    { vehicles: 9973, blockSize: 2500 },
  ])('N=$vehicles S=$blockSize: every vehicle sends exactly once per round, seq = round + 1', ({ vehicles, blockSize }) => {
    const s = createRoundSchedule(vehicles, blockSize, 42);
    const problems: string[] = [];
    for (const r of [0, 1, 2, 17, 2 ** 33]) {
      const seen = new Uint8Array(vehicles);
      for (let k = 0; k < vehicles && problems.length < 5; k++) {
        const n = r * vehicles + k;
        const v = s.vehicleAt(n);
        if (seen[v]++) problems.push(`round ${r}: vehicle ${v} twice`);
        if (s.seqAt(n) !== r + 1) problems.push(`arrival ${n}: seq ${s.seqAt(n)}`);
        if (s.arrivalOf(v, r + 1) !== n) problems.push(`arrivalOf(${v}, ${r + 1}) = ${s.arrivalOf(v, r + 1)}, not ${n}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('rounds differ from each other and between seeds', () => {
    const r0 = round(1000, 500, 1, 0);
    expect(round(1000, 500, 1, 1)).not.toEqual(r0);
    expect(round(1000, 500, 2, 0)).not.toEqual(r0);
    expect(round(1000, 500, 1, 0)).toEqual(r0);
  });

  it('a vehicle stays within its block: gaps between its arrivals are N ± (S - 1)', () => {
    const N = 1000;
    const S = 200;
    const s = createRoundSchedule(N, S, 9);
    let minGap = Infinity;
    let maxGap = -Infinity;
    for (let v = 0; v < N; v += 7) {
      for (let seq = 1; seq < 30; seq++) {
        const gap = s.arrivalOf(v, seq + 1) - s.arrivalOf(v, seq);
        minGap = Math.min(minGap, gap);
        maxGap = Math.max(maxGap, gap);
      }
    }
    expect(minGap).toBeGreaterThanOrEqual(N - S + 1);
    expect(maxGap).toBeLessThanOrEqual(N + S - 1);
    // …and the jitter is really used, not a fixed order.
    expect(maxGap - minGap).toBeGreaterThan(S);
  });

  it('block size 1 (fixed cadence) gives every vehicle an exact interval of N arrivals', () => {
    const s = createRoundSchedule(300, 1, 5);
    for (let v = 0; v < 300; v += 11) expect(s.arrivalOf(v, 9) - s.arrivalOf(v, 8)).toBe(300);
  });

  it('arrivalOf inverts vehicleAt and seqAt (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        fc.maxSafeNat(),
        (N, share, salt, n0) => {
          const s = createRoundSchedule(N, Math.max(1, Math.round(N * share)), salt);
          const n = n0 % (N * 2 ** 24); // up to 16M rounds
          const v = s.vehicleAt(n);
          return v >= 0 && v < N && Number.isInteger(v) && s.arrivalOf(v, s.seqAt(n)) === n;
        },
      ),
    );
  });

  it.each([
    { vehicles: 0, blockSize: 1 },
    { vehicles: 10, blockSize: 0 },
    { vehicles: 10, blockSize: 11 },
    { vehicles: 10.5, blockSize: 1 },
  ])('rejects N=$vehicles S=$blockSize', ({ vehicles, blockSize }) => {
    expect(() => createRoundSchedule(vehicles, blockSize, 1)).toThrow(RangeError);
  });
});

describe('blockSizeFor', () => {
  it.each([
    { vehicles: 1000, minMs: 1000, maxMs: 3000, expected: 500 },
    { vehicles: 1000, minMs: 2000, maxMs: 2000, expected: 1 },
    { vehicles: 1000, minMs: 0, maxMs: 3000, expected: 1000 },
    { vehicles: 1, minMs: 1000, maxMs: 3000, expected: 1 },
    { vehicles: 10, minMs: 999, maxMs: 1000, expected: 1 },
  ])('N=$vehicles cadence $minMs ms to $maxMs ms → $expected', ({ vehicles, minMs, maxMs, expected }) => {
    expect(blockSizeFor(vehicles, minMs, maxMs)).toBe(expected);
  });
});
