import { recordedRun as record } from '../support/recorded-run.js';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../../src/load/phase.js';
import { createHistogram, percentilesMs } from '../../src/metrics/histogram.js';
import { readHlogFile } from '../../src/metrics/hlog-stream.js';
import { renderJunitReport } from '../../src/reports/junit-report.js';
import { buildReportModel, MAX_TIMELINE_BUCKETS } from '../../src/reports/report-model.js';
import { resultPath } from '../../src/results/results-dir.js';
import { finalizeResults } from '../../src/run/finalize-results.js';

/** A results directory of a fake-clock run: 200/s for `seconds`; requests written in [2 s, 3 s) stall until 3 s; every 50th answers 5xx. */
async function recordedRun(seconds: number, thresholds: string[] = []) {
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: seconds * 1000, rate: 200 }];
  return record(phases, (n, t) => ({ atMs: t >= 2000 && t < 3000 ? 3000 : t + 4, outcome: n % 50 === 0 ? '5xx' : '2xx' }), { thresholds: thresholds.map((source) => ({ source, ...parse(source) })) });
}

function parse(source: string) {
  const [metric, op, value] = source.split(' ');
  return { metric, op: op as '<', value: value.endsWith('ms') ? Number(value.slice(0, -2)) : Number(value.replace('%', '')) / 100 };
}

describe('the report model (one model, every format renders it)', () => {
  it('whole-run percentiles equal a direct merge of the hlog; the timeline rows add up to the run and their percentiles are merged, not maxed', async () => {
    const dir = await recordedRun(6);
    const model = await buildReportModel(dir, 'fake');
    const merged = createHistogram();
    await readHlogFile(resultPath(dir, 'hlog'), (series, _s, _e, h) => series === 'latency' && merged.add(h));
    expect(model.summary.latency.p99).toBe(percentilesMs(merged).p99);
    expect(model.summary.latency.p50).toBe(percentilesMs(merged).p50);
    const t = model.timeline;
    expect(t.length).toBe(6);
    expect(t.reduce((a, b) => a + b.due, 0)).toBe(model.summary.counts.due);
    expect(t.reduce((a, b) => a + b.ok, 0)).toBe(model.summary.counts.ok);
    expect(t.reduce((a, b) => a + b.failed, 0)).toBe(model.summary.counts.failed);
    // every recorded latency is in exactly one row (arrivals still waiting at a row's end show there as lower bounds too)
    expect(t.reduce((a, b) => a + b.latency.recorded, 0)).toBe(merged.totalCount);
    // the stall from 2 s to 3 s: the arrivals due then waited up to a second
    expect(t[2].latency.p99!).toBeGreaterThan(900);
    expect(t[0].latency.p99!).toBeLessThan(10);
  });

  it('a long run folds into at most MAX_TIMELINE_BUCKETS rows, each merged from its own intervals', async () => {
    const dir = await recordedRun(130);
    const model = await buildReportModel(dir, 'fake');
    expect(model.timeline.length).toBeLessThanOrEqual(MAX_TIMELINE_BUCKETS);
    expect(model.timeline.length).toBeGreaterThan(MAX_TIMELINE_BUCKETS / 2);
    expect(model.timeline.reduce((a, b) => a + b.due, 0)).toBe(model.summary.counts.due);
    const stalled = model.timeline.find((b) => b.startMs <= 2000 && b.endMs > 2000)!;
    const calm = model.timeline.at(-2)!;
    expect(stalled.latency.p99!).toBeGreaterThan(calm.latency.p99! * 10);
    expect(model.events.map((e) => e.kind)).toEqual(['start', 'phase', 'end']);
    // the journal is read lean: no interval keeps its outcomes or slowest list; the run's top 10 and fate are folded as it is read
    expect(model.journal.intervals.every((i) => i.outcomes.length === 0 && i.slowest.length === 0)).toBe(true);
    const lines = readFileSync(resultPath(dir, 'journal'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; slowest?: { latencyMs: number; traceId: string }[] });
    const all = lines.filter((l) => l.type === 'interval').flatMap((l) => l.slowest ?? []).sort((a, b) => b.latencyMs - a.latencyMs).slice(0, 10);
    expect(all.length).toBe(10);
    expect(model.summary.slowest.map((r) => r.latencyMs)).toEqual(all.map((r) => r.latencyMs));
    expect(model.journal.outcomes.length).toBe(model.journal.intervals.length);
    expect(model.summary.counts.ok + model.summary.counts.failed + model.summary.counts.dropped + model.summary.counts.unfinished).toBe(model.summary.counts.due);
  }, 30_000);

  it('the run writes summary.json, report.md and junit.xml from the same model; each threshold is a JUnit test case', async () => {
    const dir = await recordedRun(4, ['p99 < 50ms', 'error_rate < 5%']);
    const summary = await finalizeResults(dir, 'fake');
    expect(JSON.parse(readFileSync(resultPath(dir, 'summary'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(summary)));
    const md = readFileSync(resultPath(dir, 'report'), 'utf8');
    expect(md).toContain('## What happened');
    expect(md).toContain("| 2 | steady |  | 200 |");
    const junit = readFileSync(resultPath(dir, 'junit'), 'utf8');
    expect(junit).toBe(renderJunitReport(await buildReportModel(dir, 'fake')));
    expect(junit).toMatch(/<testsuites name="rushhour" tests="\d+" failures="1" errors="0"/);
    expect(junit).toContain('<testcase classname="rushhour.thresholds" name="p99 &lt; 50ms" time="0">\n      <failure message="p99 &lt; 50ms: actual');
    expect(junit).toContain('<testcase classname="rushhour.thresholds" name="error_rate &lt; 5%" time="0">\n      <system-out>actual 0.02</system-out>');
  });
});
