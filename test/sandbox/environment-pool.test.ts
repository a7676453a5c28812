import { describe, expect, it } from 'vitest';
import { EnvironmentPool } from '../../src/sandbox/environment-pool.js';
import { defaultSandboxParams, type FunctionParams } from '../../src/sandbox/params.js';

function pool(patch: Partial<FunctionParams> = {}, reclaimed: number[] = []) {
  const params = { ...defaultSandboxParams().processor, initTime: { minMs: 100, maxMs: 100 }, idleTimeout: 1000, ...patch };
  return new EnvironmentPool<string>(params, () => 0.5, 0, (env) => reclaimed.push(env.id));
}

describe('EnvironmentPool', () => {
  it('cold-starts when none is idle, then reuses the warm environment', () => {
    const p = pool();
    const first = p.acquire()!;
    expect(first).toMatchObject({ cold: true, initMs: 100 });
    expect(p.stats()).toMatchObject({ initializing: 1, busy: 0, warm: 0, coldStarts: 1 });
    p.started(first.env);
    expect(p.stats()).toMatchObject({ initializing: 0, busy: 1 });
    p.release(first.env, 150);
    const second = p.acquire()!;
    expect(second).toMatchObject({ cold: false, initMs: 0 });
    expect(second.env).toBe(first.env);
    expect(p.stats()).toMatchObject({ coldStarts: 1, invocations: 2, environments: 1 });
  });

  it('throttles past reservedConcurrency, counting initializing and busy environments', () => {
    const p = pool({ reservedConcurrency: 2 });
    const a = p.acquire()!;
    p.acquire();
    expect(p.atCapacity()).toBe(true);
    expect(p.acquire()).toBeNull();
    expect(p.stats().throttles).toBe(1);
    p.release(a.env, 10);
    expect(p.acquire()).not.toBeNull();
  });

  it('reclaims environments idle for idleTimeout, never provisioned ones', () => {
    const reclaimed: number[] = [];
    const p = pool({ provisionedConcurrency: 1, idleTimeout: 1000 }, reclaimed);
    expect(p.stats()).toMatchObject({ warm: 1, environments: 1, provisioned: 1 });
    const a = p.acquire()!; // the provisioned one: warm
    const b = p.acquire()!; // a new one: cold
    expect([a.cold, b.cold]).toEqual([false, true]);
    p.release(a.env, 0);
    p.release(b.env, 500);
    expect(p.sweep(1400)).toBe(0);
    expect(p.sweep(1500)).toBe(1);
    expect(reclaimed).toEqual([b.env.id]);
    expect(p.sweep(100_000)).toBe(0);
    expect(p.stats()).toMatchObject({ warm: 1, environments: 1, reclaimed: 1 });
    expect(p.acquire()!.cold).toBe(false);
  });

  it('draws init times from the runtime preset scaled by memory without an override', () => {
    const p = pool({ initTime: null, runtime: 'java', memory: 1024 });
    expect(p.acquire()!.initMs).toBeCloseTo((2000 + (8000 - 2000) * 0.5) * 0.65, 6);
  });
});
