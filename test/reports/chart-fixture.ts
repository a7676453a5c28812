import { recordedRun } from '../support/recorded-run.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import type { ReportModel } from '../../src/reports/report-model.js';

/** A fake-clock run: 100/s warm-up for 3 s, then 200/s for 3 s; requests written in [2 s, 3 s) stall until 3 s; every 50th answers 5xx. */
export async function chartRun(): Promise<string> {
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'warm', durationMs: 3000, rate: 100 }, { kind: 'constant', name: 'steady', durationMs: 3000, rate: 200 }];
  return recordedRun(phases, (n, t) => ({ atMs: t >= 2000 && t < 3000 ? 3000 : t + 4, outcome: n % 50 === 0 ? '5xx' : '2xx' }));
}

/** The model of a run, with what a fake target cannot give by hand: a fault in buckets 2–3, a DLQ, a consumer's lag, two shards. */
export function withPipelineData(model: ReportModel): ReportModel {
  const timeline = model.timeline.map((b, i) => ({ ...b, faults: i === 2 || i === 3 ? ['broker-stall'] : b.faults, dlqDepth: i * 3 }));
  const intervals = model.journal.intervals.map((iv, i) => ({
    ...iv,
    shards: [{ id: 'shardId-000', records: 120 + i, bytes: 12_000, throttled: i === 3 ? 7 : 0 }, { id: 'shardId-001', records: 60, bytes: 6000, throttled: 0 }],
    probes: { delivery: { lagMs: i * 100 } },
  })) as ReportModel['journal']['intervals'];
  return { ...model, timeline, journal: { ...model.journal, intervals } };
}
