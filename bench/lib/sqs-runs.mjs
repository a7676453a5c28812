// The parts of bench/sqs-cpu.mjs: its two endpoints (a no-op SQS server and fauxqs, each in its
// own process on core 0, started and stopped with bench/lib/aws-runs.mjs), and one run of rushhour
// or of the bare SDK loop against one (on core 1, measured by bench/lib/generator.mjs). The shape
// is bench/lib/kinesis-runs.mjs's; what differs is the environment (AWS_ENDPOINT_URL_SQS), the
// target, the floor script and the sample.

import fs from 'node:fs';
import path from 'node:path';
import { figures, runOne, rushhourExtra } from './aws-runs.mjs';
import { parseJsonOut } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { round } from './util.mjs';

export { startEndpoint, stopEndpoint } from './aws-runs.mjs';

const BENCH = path.join(ROOT, 'bench');
export const NOOP_SERVER = path.join(BENCH, 'sqs-noop-server.mjs');
export const FAUXQS_SERVER = path.join(BENCH, 'sqs-fauxqs-server.mjs');
export const FLOOR = path.join(BENCH, 'sqs-floor.mjs');
const ENDPOINT_VAR = 'AWS_ENDPOINT_URL_SQS';
/** perf-buckets.mjs has no rule for sqs-floor.mjs's loop: its few frames count with their callers. */
const FLOOR_LOOP = /kinesis-floor\.mjs/;

/** The perf buckets of bench/lib/perf-buckets.mjs are named for Kinesis; these say what they hold here. */
const BUCKET_NAMES = new Map([
  ['rushhour: Kinesis target + batcher (dist/targets)', 'rushhour: SQS target + batcher (dist/targets)'],
  ['SDK: serialize (JSON body, base64 of Data)', 'SDK: serialize (JSON body of the entries)'],
  ['bench: floor loop (kinesis-floor.mjs)', 'bench: floor loop'],
]);
const perfOf = (file, needle) => file && { file, needle, floorLoop: FLOOR_LOOP, names: BUCKET_NAMES };

/** What the no-op endpoint saw of a run: messages, calls, mean sizes. */
function endpointFigures(stats) {
  return {
    messages: stats.requests,
    calls: stats.calls,
    otherCalls: stats.otherCalls,
    meanBodyBytes: stats.dataBytes ? round(stats.dataBytes / stats.requests, 1) : null,
    meanAttributeBytes: stats.keyBytes ? round(stats.keyBytes / stats.requests, 1) : null,
    meanRequestBytesPerMessage: stats.requests ? round(stats.bodyBytes / stats.requests, 1) : null,
  };
}

/** SQS's figures of one run (messages a call to 2 decimals; clock as µs per message given). */
const sqsFigures = (r, fig) => figures(r, { ...fig, perCallDigits: 2, steadyKey: 'messages', endpoint: endpointFigures(r.stats) });

/**
 * rushhour `run --target sqs:QUEUE --rate R --duration D --json --log none` against `ep`
 * (`nodeArgs`: e.g. --perf-basic-prof). clock = summary.generator.cpuUsPerRequest (CPU of the
 * rushhour process while its clock ran / messages sent); whole = the process's utime+stime over its life.
 */
export async function runRushhourSqs(ctx, ep, { queue, rate, durationS, nodeArgs = [], perf }) {
  const out = path.join(ctx.runsDir, `rushhour-sqs-${++ctx.seq}`);
  const argv = [...nodeArgs, ctx.bin, 'run', '--target', `sqs:${queue}`, '--rate', String(rate), '--duration', `${durationS}s`, '--json', '--log', 'none', '--out', out];
  const r = await runOne(ep, { name: 'rushhour', argv, durationS, perf: perfOf(perf, out) }, ENDPOINT_VAR);
  const s = parseJsonOut(r);
  if (!ctx.keepRuns) fs.rmSync(out, { recursive: true, force: true });
  return {
    raw: r,
    perf: r.perf,
    figures: sqsFigures(r, {
      messages: s.counts.sent,
      achieved: s.rate.achieved,
      clockUsPerMsg: s.generator.cpuUsPerRequest,
      clockCpuMs: s.generator.cpuMs,
      calls: s.requests?.count ?? null,
      extra: rushhourExtra(s),
    }),
  };
}

/** The bare SDK loop (bench/sqs-floor.mjs) against `ep` (`nodeArgs`: e.g. --perf-basic-prof); clock = its own process.cpuUsage() while its clock ran. */
export async function runFloor(ctx, ep, { queue, rate, durationS, batch, messagesFile, concurrency, nodeArgs = [], perf }) {
  const argv = [...nodeArgs, FLOOR, '--queue', queue, '--rate', String(rate), '--duration', String(durationS), '--batch', String(batch), '--concurrency', String(concurrency), '--messages', messagesFile, '--dist', ctx.dist];
  const r = await runOne(ep, { name: 'sdk-floor', argv, durationS, perf: perfOf(perf, messagesFile) }, ENDPOINT_VAR);
  const f = parseJsonOut(r);
  return {
    raw: r,
    perf: r.perf,
    figures: sqsFigures(r, {
      messages: f.messages,
      achieved: f.achievedMsgPerS,
      clockUsPerMsg: f.cpuUsPerMessageClock,
      clockCpuMs: f.cpuMsClock,
      calls: f.calls,
      extra: { floor: f, errors: f.errors },
    }),
  };
}

/** The messages the no-op endpoint sampled from rushhour's run, written to `file` for the floor. */
export async function saveSample(ep, file) {
  const { messages } = await control(ep.port, 'GET', '/__sample');
  fs.writeFileSync(file, JSON.stringify(messages));
  return messages.length;
}
