import { describe, expect, it } from 'vitest';
import { arrivalOfTraceparent, TraceIds } from '../../src/engine/trace-context.js';

describe('traceparent ↔ arrival number', () => {
  const run = new TraceIds(17, 1_764_000_000_000);
  it.each([
    ['an arrival of the run', run.traceparent(4242), 17, 4242],
    ['arrival 0', run.traceparent(0), 17, 0],
    ['a large arrival', run.traceparent(2 ** 40 + 3), 17, 2 ** 40 + 3],
    ['the same run started at another time (the seed part matches)', new TraceIds(17, 5).traceparent(9), 17, 9],
    ['the warm-up of the run (another seed)', new TraceIds(17 ^ 0x2545f491, 1_764_000_000_000).traceparent(9), 17, undefined],
    ['another run', run.traceparent(9), 18, undefined],
    ['parent id not the arrival', run.traceparent(9).replace(/-[0-9a-f]{16}-01$/, '-00000000000000ff-01'), 17, undefined],
    ['not a traceparent', 'garbage', 17, undefined],
  ])('%s', (_label, tp, seed, n) => {
    expect(arrivalOfTraceparent(tp, seed)).toBe(n);
  });
});
