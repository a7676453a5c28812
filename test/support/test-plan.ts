import { DEFAULT_PROBES } from '../../src/scenario/probes-schema.js';
import type { MessageBody } from '../../src/telemetry/payload.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import type { EngineConfig, RunPlan } from '../../src/scenario/run-plan.js';
import type { OutMessage } from '../../src/telemetry/types.js';

/** A RunPlan for engine tests: only phases, engine settings and seed matter to the engine. */
export function testPlan(phases: PhaseSpec[], engine: Partial<EngineConfig> = {}): RunPlan {
  return {
    name: 'test', description: '', seed: 7,
    fleet: {
      vehicles: 10, cadence: { minMs: 1000, maxMs: 3000 },
      mix: { telemetry: 1, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0 },
      diagnosticBytes: 1024, partitionKey: { strategy: 'vin', skew: 0, fleets: 1, tenants: 1 },
    },
    rateSource: 'phases', phases,
    target: { kind: 'http', url: 'http://127.0.0.1:1/', method: 'POST', headers: {}, connections: 4, pipelining: 1, timeoutMs: 10_000 },
    thresholds: [],
    engine: { maxInFlight: 100_000, intervalMs: 1000, warmupRequests: 0, drainTimeoutMs: 15_000, ...engine },
    probes: { ...DEFAULT_PROBES },
    faults: [],
  };
}

export function constant(rate: number, durationMs: number, name = 'steady'): PhaseSpec {
  return { kind: 'constant', name, durationMs, rate };
}

/** Cheap stand-in for the telemetry source. */
export const fakeSource = {
  next(n: number, sentAtMs: number): OutMessage {
    return { messageId: `m${n}`, vehicleId: 'V', vehicleIndex: 0, seq: n + 1, kind: 'telemetry', partitionKey: 'V', body: `{"n":${n},"sentAt":${sentAtMs}}`, fields: { messageId: `m${n}`, vehicleId: 'V', seq: n + 1, sentAt: sentAtMs, kind: 'telemetry' } as unknown as MessageBody };
  },
};
