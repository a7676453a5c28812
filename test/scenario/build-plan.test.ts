import { describe, expect, it } from 'vitest';
import { defaultSandboxParams } from '../../src/sandbox/params.js';
import { buildPlan, type PlanOverrides } from '../../src/scenario/build-plan.js';
import { DEFAULT_FLEET } from '../../src/scenario/defaults.js';
import type { RunPlan } from '../../src/scenario/run-plan.js';
import { parse, userErrorOf } from './helpers.js';

const plan = (yaml: string | undefined, overrides: PlanOverrides = {}): RunPlan =>
  buildPlan({ scenario: yaml === undefined ? undefined : parse(yaml), source: yaml === undefined ? undefined : 'x.yaml', overrides });

const SANDBOX = { kind: 'sandbox', connections: 32, pipelining: 1, timeoutMs: 10_000 };

describe('buildPlan', () => {
  it('quick mode: fleet rate, sandbox target, derived engine defaults', () => {
    const p = plan(undefined, { durationMs: 30_000 });
    expect(p).toEqual({
      name: 'quick',
      description: '',
      seed: 1,
      fleet: DEFAULT_FLEET,
      rateSource: 'fleet',
      // 1000 vehicles every 1..3 s (mean 2 s) → 500/s
      phases: [{ kind: 'constant', name: 'constant-0', durationMs: 30_000, rate: 500 }],
      target: { ...SANDBOX, params: defaultSandboxParams() },
      thresholds: [],
      // 5 s at 500/s; a quarter second at 500/s is 125; timeout 10 s + 5 s
      engine: { maxInFlight: 2500, intervalMs: 1000, warmupRequests: 125, drainTimeoutMs: 15_000 },
      // the sandbox's output and DLQ are read by default; a 30 s drain at most
      probes: { drainMs: 30_000, window: 64, output: 'auto', dlq: 'auto' },
      faults: [],
    });
    expect(p.source).toBeUndefined();
  });

  it('quick mode with every override', () => {
    const p = plan(undefined, {
      target: 'http://127.0.0.1:9000/in', rate: 2000, durationMs: 60_000, connections: 64, pipelining: 4,
      timeoutMs: 3000, maxInFlight: 777, seed: 9, name: 'adhoc', vehicles: 50,
    });
    expect(p.name).toBe('adhoc');
    expect(p.seed).toBe(9);
    expect(p.fleet.vehicles).toBe(50);
    expect(p.rateSource).toBe('phases');
    expect(p.phases).toEqual([{ kind: 'constant', name: 'constant-0', durationMs: 60_000, rate: 2000 }]);
    expect(p.target).toEqual({ kind: 'http', url: 'http://127.0.0.1:9000/in', method: 'POST', headers: {}, connections: 64, pipelining: 4, timeoutMs: 3000 });
    expect(p.engine).toEqual({ maxInFlight: 777, intervalMs: 1000, warmupRequests: 500, drainTimeoutMs: 8000 });
  });

  it('quick mode without a duration asks for --duration', () => {
    const e = userErrorOf(() => plan(undefined, { rate: 100 }));
    expect(e.message).toContain('quick mode');
    expect(e.hint).toContain('--duration 30s');
  });

  it('a scenario without phases or duration asks for --duration', () => {
    const e = userErrorOf(() => plan('name: t\n'));
    expect(e.message).toBe('cannot tell how long to run: x.yaml has neither phases nor a duration');
    expect(e.hint).toContain('--duration 30s');
  });

  it('scenario `duration` alone: one constant phase at the fleet rate', () => {
    const p = plan('name: t\nduration: 1m\nfleet: { vehicles: 6000, cadence: { min: 2s, max: 4s } }\n');
    expect(p.rateSource).toBe('fleet');
    expect(p.phases).toEqual([{ kind: 'constant', name: 'constant-0', durationMs: 60_000, rate: 2000 }]);
    expect(p.source).toBe('x.yaml');
    expect(p.target).toEqual({ ...SANDBOX, params: defaultSandboxParams() });
  });

  it('phases are kept; a constant phase without a rate takes the fleet rate', () => {
    const p = plan('name: t\nphases:\n  - { kind: constant, duration: 10s }\n  - { kind: ramp, duration: 10s, from: 0, to: 100 }\n');
    expect(p.rateSource).toBe('fleet');
    expect(p.phases[0]).toEqual({ kind: 'constant', name: 'constant-0', durationMs: 10_000, rate: 500 });
    expect(p.phases[1]).toEqual({ kind: 'ramp', name: 'ramp-1', durationMs: 10_000, from: 0, to: 100 });
  });

  it('phases with rates: rateSource phases, engine defaults from the peak', () => {
    const p = plan('name: t\nphases:\n  - { kind: ramp, duration: 10s, from: 10, to: 100 }\n  - { kind: spike, duration: 10s, base: 10, peak: 20000, at: 1s, for: 1s }\n');
    expect(p.rateSource).toBe('phases');
    expect(p.engine).toEqual({ maxInFlight: 100_000, intervalMs: 1000, warmupRequests: 2000, drainTimeoutMs: 15_000 });
  });

  it.each([
    ['constant', '{ kind: constant, duration: 1s, rate: 7 }', 7],
    ['ramp down', '{ kind: ramp, duration: 1s, from: 900, to: 10 }', 900],
    ['step', '{ kind: step, duration: 1s, from: 10, to: 300, steps: 3 }', 300],
    ['spike', '{ kind: spike, duration: 1s, base: 10, peak: 400, at: 0s, for: 1s }', 400],
    ['sine', '{ kind: sine, duration: 1s, mean: 100, amplitude: 60, period: 1s }', 160],
    ['idle', '{ kind: idle, duration: 1s }', 0],
  ])('peak rate of %s sets maxInFlight = max(100, 5 s × peak)', (_k, phase, peak) => {
    const p = plan(`name: t\nphases: [${phase}]\n`);
    expect(p.engine.maxInFlight).toBe(Math.max(100, Math.ceil(peak * 5)));
    expect(p.engine.warmupRequests).toBe(Math.min(2000, Math.max(50, Math.ceil(peak * 0.25))));
  });

  it('the scenario engine block wins over the derived defaults; --max-in-flight wins over both', () => {
    const yaml = 'name: t\nduration: 1s\nengine: { maxInFlight: 5, warmup: 0, drainTimeout: 1s, interval: 500ms }\n';
    expect(plan(yaml).engine).toEqual({ maxInFlight: 5, intervalMs: 500, warmupRequests: 0, drainTimeoutMs: 1000 });
    expect(plan(yaml, { maxInFlight: 9 }).engine.maxInFlight).toBe(9);
  });

  it('drain timeout follows the request timeout', () => {
    expect(plan('name: t\nduration: 1s\ntarget: { sandbox: { timeout: 30s } }\n').engine.drainTimeoutMs).toBe(35_000);
    expect(plan('name: t\nduration: 1s\n', { timeoutMs: 2000 }).engine.drainTimeoutMs).toBe(7000);
  });

  describe('--rate / --duration replace the phases with one constant phase', () => {
    const multi = 'name: t\nphases:\n  - { kind: constant, duration: 10s, rate: 50 }\n  - { kind: idle, duration: 20s }\n';
    const single = 'name: t\nphases:\n  - { kind: constant, duration: 10s, rate: 50, name: steady }\n';
    it.each([
      ['rate on several phases: duration = their total', multi, { rate: 300 }, { name: 'constant-0', durationMs: 30_000, rate: 300 }, 'phases'],
      ['duration on several phases: fleet rate', multi, { durationMs: 5000 }, { name: 'constant-0', durationMs: 5000, rate: 500 }, 'fleet'],
      ['duration on one constant phase keeps its rate and name', single, { durationMs: 5000 }, { name: 'steady', durationMs: 5000, rate: 50 }, 'phases'],
      ['rate on a duration-only scenario', 'name: t\nduration: 2m\n', { rate: 10 }, { name: 'constant-0', durationMs: 120_000, rate: 10 }, 'phases'],
      ['both', multi, { rate: 1, durationMs: 1000 }, { name: 'constant-0', durationMs: 1000, rate: 1 }, 'phases'],
    ])('%s', (_t, yaml, overrides, phase, rateSource) => {
      const p = plan(yaml, overrides);
      expect(p.phases).toEqual([{ kind: 'constant', ...phase }]);
      expect(p.rateSource).toBe(rateSource);
    });

    it('--vehicles changes the fleet rate used', () => {
      expect(plan('name: t\nduration: 1s\n', { vehicles: 4000 }).phases[0]).toMatchObject({ rate: 2000 });
    });
  });

  describe('targets', () => {
    const http = 'name: t\nduration: 1s\ntarget:\n  http: { url: "https://api.example/ingest", method: PATCH, headers: { Authorization: "Bearer ${T}" }, connections: 3 }\n';

    it('keeps the scenario http target (headers unresolved), with connection overrides', () => {
      expect(plan(http, { pipelining: 2 }).target).toEqual({
        kind: 'http', url: 'https://api.example/ingest', method: 'PATCH', headers: { Authorization: 'Bearer ${T}' }, connections: 3, pipelining: 2, timeoutMs: 10_000,
      });
    });

    it('--target URL replaces the whole target, headers included', () => {
      expect(plan(http, { target: 'http://localhost:1/x' }).target).toEqual({
        kind: 'http', url: 'http://localhost:1/x', method: 'POST', headers: {}, connections: 32, pipelining: 1, timeoutMs: 10_000,
      });
    });

    it('--target sandbox, with the scenario sandbox block', () => {
      expect(plan(http, { target: 'sandbox' }).target).toEqual({ ...SANDBOX, params: defaultSandboxParams() });
      const p = plan('name: t\nduration: 1s\nsandbox: {}\n', { connections: 5 });
      expect(p.target).toMatchObject({ kind: 'sandbox', connections: 5 });
    });

    it.each(['ftp://x/y', 'localhost:8080', 'not a url', ''])('--target %j is a UserError', (target) => {
      const e = userErrorOf(() => plan(undefined, { target, durationMs: 1000 }));
      expect(e.message).toMatch(/^--target: expected/);
      expect(e.hint).toContain('sandbox');
    });
  });

  it.each<[string, PlanOverrides, string]>([
    ['rate', { rate: -1 }, '--rate: expected a number from 0/s'],
    ['rate NaN', { rate: Number.NaN }, '--rate'],
    ['duration', { durationMs: 0 }, '--duration: expected'],
    ['connections', { connections: 0 }, '--connections: expected an integer from 1'],
    ['pipelining', { pipelining: 1.5 }, '--pipelining'],
    ['timeout', { timeoutMs: Infinity }, '--timeout'],
    ['max in flight', { maxInFlight: 0 }, '--max-in-flight'],
    ['seed', { seed: -3 }, '--seed'],
    ['vehicles', { vehicles: 20_000_000 }, '--vehicles: expected an integer from 1 to 10000000'],
    ['name', { name: 'has space' }, '--name: expected letters'],
  ])('bad override %s is a UserError', (_t, overrides, phrase) => {
    const e = userErrorOf(() => plan('name: t\nduration: 1s\n', overrides));
    expect(e.message).toContain(phrase);
  });

  it('does not share objects with the scenario', () => {
    const s = parse('name: t\nduration: 1s\ntarget: { http: { url: "http://a", headers: { A: b } } }\n');
    const p = buildPlan({ scenario: s, overrides: { vehicles: 7 } });
    expect(s.fleet.vehicles).toBe(1000);
    (p.target as { headers: Record<string, string> }).headers.A = 'changed';
    expect((s.target as { headers: Record<string, string> }).headers.A).toBe('b');
  });
});
