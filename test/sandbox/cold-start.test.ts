import { describe, expect, it } from 'vitest';
import { initRange, memoryScale, RUNTIME_INIT_MS } from '../../src/sandbox/cold-start.js';

describe('cold-start presets', () => {
  it.each([
    [512, 1],
    [1024, 0.65],
    [256, 1 / 0.65],
    [128, 1 / (0.65 * 0.65)],
    [64, 1 / (0.65 * 0.65)], // clamped at 128 MB
    [1769, Math.pow(1769 / 512, Math.log2(0.65))],
    [10_240, Math.pow(1769 / 512, Math.log2(0.65))], // clamped at one full vCPU
  ])('memory %i MB scales init by %f', (memory, scale) => {
    expect(memoryScale(memory)).toBeCloseTo(scale, 6);
  });

  it.each([
    ['node', 512, 200, 400],
    ['python', 512, 250, 500],
    ['java', 512, 2000, 8000],
    ['java-snapstart', 512, 200, 400],
    ['java', 1024, 1300, 5200],
    ['node', 256, 200 / 0.65, 400 / 0.65],
  ] as const)('%s at %i MB inits in %f..%f ms', (runtime, memory, min, max) => {
    const r = initRange(runtime, memory, null);
    expect(r.minMs).toBeCloseTo(min, 6);
    expect(r.maxMs).toBeCloseTo(max, 6);
  });

  it('uses an explicit initTime as given, without memory scaling', () => {
    expect(initRange('java', 128, { minMs: 100, maxMs: 300 })).toEqual({ minMs: 100, maxMs: 300 });
  });

  it('ranks runtimes as the field notes do', () => {
    expect(RUNTIME_INIT_MS.java.minMs).toBeGreaterThan(RUNTIME_INIT_MS.dotnet.maxMs);
    expect(RUNTIME_INIT_MS['java-snapstart'].maxMs).toBeLessThan(RUNTIME_INIT_MS.java.minMs);
  });
});
