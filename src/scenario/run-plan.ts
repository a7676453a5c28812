import type { PhaseSpec } from '../load/phase.js';
import type { ThresholdSpec } from '../metrics/thresholds.js';
import type { TargetConfig } from '../targets/registry.js';
import type { FleetConfig } from '../telemetry/types.js';
import type { PayloadConfig } from '../payload/payload-shape.js';
import type { CostSettings } from './cost-schema.js';
import type { FaultConfig } from './faults-schema.js';
import type { ProbesConfig } from './probes-schema.js';

export type { ThresholdSpec } from '../metrics/thresholds.js';
export type { HttpTargetConfig } from '../targets/http/config.js';
export type { TargetConfig } from '../targets/registry.js';
export type { SandboxTargetConfig } from '../targets/sandbox/kind.js';

export interface EngineConfig {
  /** Most requests in flight; arrivals over it are counted as dropped. Default: >= 5 s of arrivals at peak rate. */
  maxInFlight: number;
  /** Snapshot interval in ms (histograms per interval). */
  intervalMs: number;
  /** Warm-up requests sent before the clock starts (reported apart from the headline figures). */
  warmupRequests: number;
  /** How long to wait for in-flight requests after the last arrival or a signal, ms. */
  drainTimeoutMs: number;
}

/** Everything a run needs, validated and resolved. Produced by src/scenario, consumed by src/engine. */
export interface RunPlan {
  /** Letters, digits, `-` and `_`; "quick" in quick mode. */
  name: string;
  /** Empty when the scenario has none. */
  description: string;
  /** Integer 0 .. 2^32 - 1; default 1. */
  seed: number;
  /** The scenario file this plan came from, if any. */
  source?: string;
  fleet: FleetConfig;
  /**
   * Whether the rate comes from the phases or from fleet size x cadence: 'fleet' when any phase
   * runs at the fleet rate (vehicles / mean cadence) because no rate was given for it.
   */
  rateSource: 'phases' | 'fleet';
  /** At least one; run in sequence. Constant phases always carry a rate here. */
  phases: PhaseSpec[];
  target: TargetConfig;
  thresholds: ThresholdSpec[];
  engine: EngineConfig;
  /** The scenario's cost block (budget, prices); absent: list prices, no budget. */
  cost?: CostSettings;
  /** The user's message shape; absent: the built-in schema v1 document. */
  payload?: PayloadConfig;
  /** What reads the pipeline besides the target's answers (defaults filled in). */
  probes: ProbesConfig;
  /** The faults the run's timeline starts and stops (none: an empty list). */
  faults: FaultConfig[];
}
