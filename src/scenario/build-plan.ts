import { dirname, resolve as resolvePath } from 'node:path';
import type { PhaseSpec } from '../load/phase.js';
import type { PayloadConfig } from '../payload/payload-shape.js';
import { peakRate } from '../load/pacers.js';
import { fleetRate } from '../telemetry/fleet-rate.js';
import { FLEET_LIMITS } from '../telemetry/fleet-config.js';
import { formatDuration } from '../util/units.js';
import { UserError } from '../util/user-error.js';
import * as D from './defaults.js';
import { MAX_PHASE_MS } from './phase-schema.js';
import type { EngineConfig, RunPlan, TargetConfig } from './run-plan.js';
import type { EngineSettings, Scenario, ScenarioPhase, ScenarioTarget } from './scenario.js';
import { MAX_CONNECTIONS, MAX_PIPELINING, MAX_TIMEOUT_MS } from '../targets/http/config.js';
import { defaultTarget, requestTimeoutMs, resolveTarget as resolveTargetKind, targetFromFlag } from '../targets/registry.js';
import { totalDurationMs } from './plan-math.js';
import { DEFAULT_PROBES } from './probes-schema.js';
import { MAX_RATE } from '../util/unit-fields.js';
import { loadUserSchema } from '../sandbox/user-schema.js';

/**
 * Scenario (optional) + CLI overrides → RunPlan, the one object the engine runs.
 *
 * - No scenario: quick mode, named "quick", against the sandbox unless `target` says otherwise.
 * - `rate` or `durationMs` replaces the phases with one constant phase: rate = override, else the
 *   rate of the scenario's single constant phase, else the fleet rate; duration = override, else
 *   the scenario's total phase length, else its `duration`.
 * - A constant phase without a rate, or a scenario without phases, runs at the fleet rate
 *   (vehicles / mean cadence); rateSource is then 'fleet', else 'phases'.
 * - Engine defaults follow the peak rate: maxInFlight = max(100, ceil(peak × 5 s)), warm-up =
 *   clamp(ceil(peak × 0.25 s), 50, 2000) requests, drain timeout = request timeout + 5 s.
 */

/** CLI flags that override a scenario. Units: per second, ms. Undefined = not given. */
export interface PlanOverrides {
  /** An http(s) URL (→ http target with defaults, headers included) or `sandbox`. */
  target?: string;
  rate?: number;
  durationMs?: number;
  connections?: number;
  pipelining?: number;
  timeoutMs?: number;
  maxInFlight?: number;
  seed?: number;
  name?: string;
  vehicles?: number;
}

export interface BuildPlanInput {
  scenario?: Scenario;
  /** The scenario file, recorded in the plan. */
  source?: string;
  overrides: PlanOverrides;
}

export function buildPlan(input: BuildPlanInput): RunPlan {
  const { scenario: s, overrides: o } = input;
  checkOverrides(o);
  const fleet = structuredClone(s?.fleet ?? D.DEFAULT_FLEET);
  if (o.vehicles !== undefined) fleet.vehicles = o.vehicles;
  const { phases, rateSource } = resolvePhases(s, o, fleetRate(fleet), input.source);
  const target = resolveTarget(s, o, input.source);
  return {
    name: o.name ?? s?.name ?? 'quick',
    description: s?.description ?? '',
    seed: o.seed ?? s?.seed ?? D.DEFAULT_SEED,
    ...(input.source !== undefined ? { source: input.source } : {}),
    fleet,
    rateSource,
    phases,
    target,
    thresholds: structuredClone(s?.thresholds ?? []),
    engine: resolveEngine(s?.engine ?? {}, phases, requestTimeoutMs(target), o.maxInFlight),
    ...(s?.cost ? { cost: structuredClone(s.cost) } : {}),
    ...(s?.payload ? { payload: resolvePayload(s.payload, input.source) } : {}),
    probes: { ...(s?.probes ?? DEFAULT_PROBES) },
    faults: structuredClone(s?.faults ?? []),
  };
}

function resolvePhases(
  s: Scenario | undefined,
  o: PlanOverrides,
  fleetPerS: number,
  source: string | undefined,
): { phases: PhaseSpec[]; rateSource: RunPlan['rateSource'] } {
  if (o.rate === undefined && o.durationMs === undefined && s?.phases) {
    const phases = s.phases.map((p) => (p.kind === 'constant' ? { ...p, rate: p.rate ?? fleetPerS } : p));
    const fromFleet = s.phases.some((p) => p.kind === 'constant' && p.rate === undefined);
    return { phases, rateSource: fromFleet ? 'fleet' : 'phases' };
  }
  const single = singleConstant(s?.phases);
  const rate = o.rate ?? single?.rate;
  const durationMs = o.durationMs ?? (s?.phases ? totalDurationMs(s.phases) : s?.durationMs);
  if (durationMs === undefined) {
    const what = s ? `${source ?? 'the scenario'} has neither phases nor a duration` : 'quick mode (no scenario file) needs a run length';
    throw new UserError(`cannot tell how long to run: ${what}`, { hint: 'pass --duration 30s (or add `duration: 30s` to the scenario)' });
  }
  const phase: PhaseSpec = { kind: 'constant', name: single?.name ?? 'constant-0', durationMs, rate: rate ?? fleetPerS };
  return { phases: [phase], rateSource: rate === undefined ? 'fleet' : 'phases' };
}

function singleConstant(phases: ScenarioPhase[] | undefined): Extract<ScenarioPhase, { kind: 'constant' }> | undefined {
  return phases?.length === 1 && phases[0].kind === 'constant' ? phases[0] : undefined;
}

function resolveTarget(s: Scenario | undefined, o: PlanOverrides, source: string | undefined): TargetConfig {
  const base: ScenarioTarget = o.target !== undefined ? targetFromFlag(o.target) : (s?.target ?? defaultTarget());
  const baseDir = source ? dirname(source) : undefined;
  const sandboxParams = s?.sandbox ? resolveSandbox(s.sandbox, source) : undefined;
  return resolveTargetKind(base, { overrides: { connections: o.connections, pipelining: o.pipelining, timeoutMs: o.timeoutMs }, sandboxParams, ...(baseDir !== undefined ? { baseDir } : {}) });
}

/**
 * The sandbox block with `schema` resolved against the scenario file's folder (as payload.module)
 * and checked now: a schema file that cannot be read or compiled is a UserError naming the
 * scenario and `sandbox.schema`, before any load. The sandbox process compiles it again itself.
 */
function resolveSandbox(block: Record<string, unknown>, source: string | undefined): Record<string, unknown> {
  const copy = structuredClone(block);
  if (typeof copy.schema === 'string') {
    const schema = resolvePath(source ? dirname(source) : '.', copy.schema);
    loadUserSchema(schema, source === undefined ? undefined : `${source}:`);
    copy.schema = schema;
  }
  return copy;
}

function resolveEngine(e: Partial<EngineSettings>, phases: PhaseSpec[], timeoutMs: number, maxInFlight?: number): EngineConfig {
  const peak = peakRate(phases);
  const warm = Math.ceil(peak * D.WARMUP_SHARE_OF_PEAK);
  return {
    maxInFlight: maxInFlight ?? e.maxInFlight ?? Math.max(D.MIN_MAX_IN_FLIGHT, Math.ceil(peak * D.IN_FLIGHT_HOLD_S)),
    intervalMs: e.intervalMs ?? D.DEFAULT_INTERVAL_MS,
    warmupRequests: e.warmupRequests ?? Math.min(D.WARMUP_MAX, Math.max(D.WARMUP_MIN, warm)),
    drainTimeoutMs: e.drainTimeoutMs ?? timeoutMs + D.DRAIN_GRACE_MS,
  };
}

function checkNumber(flag: string, v: number | undefined, min: number, max: number, opts: { int?: boolean; show?: (n: number) => string } = {}): void {
  if (v === undefined) return;
  const show = opts.show ?? String;
  const ok = Number.isFinite(v) && v >= min && v <= max && (!opts.int || Number.isInteger(v));
  if (!ok) throw new UserError(`${flag}: expected ${opts.int ? 'an integer' : 'a number'} from ${show(min)} to ${show(max)}, got ${show(v)}`);
}

/** Flag values are checked here too, so a bad override is a UserError however the plan is built. */
function checkOverrides(o: PlanOverrides): void {
  checkNumber('--rate', o.rate, 0, MAX_RATE, { show: (n) => `${n}/s` });
  checkNumber('--duration', o.durationMs, 1, MAX_PHASE_MS, { show: formatDuration });
  checkNumber('--connections', o.connections, 1, MAX_CONNECTIONS, { int: true });
  checkNumber('--pipelining', o.pipelining, 1, MAX_PIPELINING, { int: true });
  checkNumber('--timeout', o.timeoutMs, 1, MAX_TIMEOUT_MS, { show: formatDuration });
  checkNumber('--max-in-flight', o.maxInFlight, 1, 10_000_000, { int: true });
  checkNumber('--seed', o.seed, 0, 0xffff_ffff, { int: true });
  checkNumber('--vehicles', o.vehicles, FLEET_LIMITS.minVehicles, FLEET_LIMITS.maxVehicles, { int: true });
  if (o.name !== undefined && !(D.NAME_PATTERN.test(o.name) && o.name.length <= D.NAME_MAX_LENGTH)) {
    throw new UserError(`--name: expected letters, digits, - and _ (at most ${D.NAME_MAX_LENGTH}), got ${JSON.stringify(o.name)}`);
  }
}

/** The payload block with its module path resolved against the scenario file's folder. */
function resolvePayload(p: PayloadConfig, source: string | undefined): PayloadConfig {
  const copy = structuredClone(p);
  if (copy.module) copy.module = resolvePath(source ? dirname(source) : '.', copy.module);
  return copy;
}
