import type { PhaseSpec } from '../load/phase.js';
import type { FleetConfig } from '../telemetry/types.js';
import type { PayloadConfig } from '../payload/payload-shape.js';
import type { FaultConfig } from './faults-schema.js';
import type { ProbesConfig } from './probes-schema.js';
import type { CostSettings } from './cost-schema.js';
import type { TargetConfig, ThresholdSpec } from './run-plan.js';

/**
 * A scenario file, validated and with units resolved (ms, arrivals per second, bytes), but not yet
 * a RunPlan: CLI overrides, the fleet-derived rate and the engine defaults are applied by buildPlan.
 */
export interface Scenario {
  /** Letters, digits, `-` and `_`. */
  name: string;
  /** Empty when the file has none. */
  description: string;
  seed: number;
  /** Top-level `duration` in ms; only present when the file has no `phases`. */
  durationMs?: number;
  /** Fully defaulted. */
  fleet: FleetConfig;
  /** Fully defaulted; the sandbox's `params` come from `sandbox` below. */
  target: ScenarioTarget;
  /** The validated `sandbox:` block, when the file has one (only allowed with the sandbox target). */
  sandbox?: Record<string, unknown>;
  /** Absent when the file has no `phases` list. Names are defaulted to `<kind>-<index>`. */
  phases?: ScenarioPhase[];
  thresholds: ThresholdSpec[];
  /** Only what the file sets; buildPlan computes the rest from the peak rate. */
  engine: Partial<EngineSettings>;
  /** The `cost:` block, when the file has one. */
  cost?: CostSettings;
  /** The `payload:` block (the user's message shape), when the file has one; already checked to compile. */
  payload?: PayloadConfig;
  /** The `probes:` block, when the file has one. */
  probes?: ProbesConfig;
  /** The `faults:` list, when the file has one. */
  faults?: FaultConfig[];
}

/** As in the plan, before the command line's overrides (the sandbox's `params` are attached by buildPlan). */
export type ScenarioTarget = TargetConfig;

/** As PhaseSpec, except that a constant phase may leave its rate to the fleet (vehicles / mean cadence). */
export type ScenarioPhase =
  | Exclude<PhaseSpec, { kind: 'constant' }>
  | { kind: 'constant'; name: string; durationMs: number; rate?: number };

/** The scenario's `engine:` block, resolved (same fields as EngineConfig). */
export interface EngineSettings {
  maxInFlight: number;
  intervalMs: number;
  warmupRequests: number;
  drainTimeoutMs: number;
}
