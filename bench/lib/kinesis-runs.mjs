// The parts of bench/kinesis-cpu.mjs: its two endpoints (a no-op PutRecords server and kinesalite,
// each in its own process on core 0, started and stopped with bench/lib/aws-runs.mjs), and one run
// of rushhour or of the bare SDK loop against one (on core 1, measured by bench/lib/generator.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { figures, runOne, rushhourExtra } from './aws-runs.mjs';
import { parseJsonOut } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { round } from './util.mjs';

export { startEndpoint, stopEndpoint } from './aws-runs.mjs';

const BENCH = path.join(ROOT, 'bench');
export const NOOP_SERVER = path.join(BENCH, 'kinesis-noop-server.mjs');
export const KINESALITE_SERVER = path.join(BENCH, 'kinesalite-server.mjs');
export const FLOOR = path.join(BENCH, 'kinesis-floor.mjs');
const ENDPOINT_VAR = 'AWS_ENDPOINT_URL_KINESIS';
/** The floor's own loop, for `perf`: kinesis-floor.mjs and the paced loop it runs (bench/lib/sdk-floor.mjs). */
const FLOOR_LOOP = /kinesis-floor\.mjs|sdk-floor\.mjs/;

/** What the no-op endpoint saw of a run: records, calls, mean sizes. */
function endpointFigures(stats) {
  return {
    records: stats.requests,
    calls: stats.calls,
    meanDataBytes: stats.dataBytes ? round(stats.dataBytes / stats.requests, 1) : null,
    meanKeyBytes: stats.keyBytes ? round(stats.keyBytes / stats.requests, 1) : null,
    meanBodyBytesPerRecord: round(stats.bodyBytes / stats.requests, 1),
  };
}

/** Kinesis's figures of one run (records a call to 1 decimal; clock from the CPU ms while the clock ran). */
function kinesisFigures(r, { messages, achieved, clockCpuMs, calls, extra }) {
  const clockUsPerMsg = clockCpuMs === null ? null : (clockCpuMs * 1000) / messages;
  return figures(r, { messages, achieved, clockUsPerMsg, clockCpuMs, calls, perCallDigits: 1, steadyKey: 'records', endpoint: endpointFigures(r.stats), extra });
}

/**
 * rushhour `run --target kinesis:STREAM --rate R --duration D --json --log none` against `ep`
 * (`nodeArgs`: e.g. --cpu-prof). clock = summary.generator.cpuMs (CPU of the rushhour process while
 * its clock ran); whole = the process's utime+stime over its life.
 */
export async function runRushhourKinesis(ctx, ep, { stream, rate, durationS, nodeArgs = [], perf }) {
  const out = path.join(ctx.runsDir, `rushhour-kinesis-${++ctx.seq}`);
  const argv = [...nodeArgs, ctx.bin, 'run', '--target', `kinesis:${stream}`, '--rate', String(rate), '--duration', `${durationS}s`, '--json', '--log', 'none', '--out', out];
  const r = await runOne(ep, { name: 'rushhour', argv, durationS, perf: perf && { file: perf, needle: out, floorLoop: FLOOR_LOOP } }, ENDPOINT_VAR);
  const s = parseJsonOut(r);
  if (!ctx.keepRuns) fs.rmSync(out, { recursive: true, force: true });
  return {
    raw: r,
    perf: r.perf,
    figures: kinesisFigures(r, {
      messages: s.counts.sent,
      achieved: s.rate.achieved,
      clockCpuMs: s.generator.cpuMs,
      calls: s.requests?.count ?? null,
      extra: { summaryCpuUsPerRequest: s.generator.cpuUsPerRequest, ...rushhourExtra(s) },
    }),
  };
}

/** The bare SDK loop (bench/kinesis-floor.mjs) against `ep` (`nodeArgs`: e.g. --cpu-prof); clock = its own process.cpuUsage() while its clock ran. */
export async function runFloor(ctx, ep, { stream, rate, durationS, batch, recordsFile, concurrency, nodeArgs = [], perf }) {
  const argv = [...nodeArgs, FLOOR, '--stream', stream, '--rate', String(rate), '--duration', String(durationS), '--batch', String(batch), '--concurrency', String(concurrency), '--records', recordsFile, '--dist', ctx.dist];
  const r = await runOne(ep, { name: 'sdk-floor', argv, durationS, perf: perf && { file: perf, needle: recordsFile, floorLoop: FLOOR_LOOP } }, ENDPOINT_VAR);
  const f = parseJsonOut(r);
  return {
    raw: r,
    perf: r.perf,
    figures: kinesisFigures(r, { messages: f.records, achieved: f.achievedMsgPerS, clockCpuMs: f.cpuMsClock, calls: f.calls, extra: { floor: f, errors: f.errors } }),
  };
}

/** The records the no-op endpoint sampled from rushhour's run, written to `file` for the floor. */
export async function saveSample(ep, file) {
  const { records } = await control(ep.port, 'GET', '/__sample');
  fs.writeFileSync(file, JSON.stringify(records));
  return records.length;
}
