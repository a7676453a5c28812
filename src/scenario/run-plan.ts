import type { PhaseSpec } from '../load/phase.js';
import type { FleetConfig } from '../telemetry/types.js';

/** HTTP target, resolved. Header values may hold `${ENV_NAME}` references, resolved only when sending. */
export interface HttpTargetConfig {
  kind: 'http';
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  /** Keep-alive connections in the pool. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 = none. */
  pipelining: number;
  /** Request timeout in ms (headers and body each). */
  timeoutMs: number;
}

/** The embedded sandbox pipeline (issue #4); `params` is its validated `sandbox:` block. */
export interface SandboxTargetConfig {
  kind: 'sandbox';
  params: Record<string, unknown>;
  connections: number;
  pipelining: number;
  timeoutMs: number;
}

export type TargetConfig = HttpTargetConfig | SandboxTargetConfig;

/** One threshold as written (`p99 < 250ms`) and parsed. Values are in ms for latency metrics, a ratio 0..1 for rates. */
export interface ThresholdSpec {
  source: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=' | '==';
  value: number;
}

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
}
