// The parts of bench/sqs-cpu.mjs: its two endpoints (a no-op SQS server and fauxqs, each in its
// own process on core 0, started and stopped with bench/lib/kinesis-runs.mjs's startEndpoint and
// stopEndpoint), and one run of rushhour or of the bare SDK loop against one (on core 1, measured
// by bench/lib/generator.mjs). The shape is bench/lib/kinesis-runs.mjs's; what differs is the
// environment (AWS_ENDPOINT_URL_SQS), the target, the floor script and the sample.

import fs from 'node:fs';
import path from 'node:path';
import { parseJsonOut, runGenerator } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { childPidsMatching, perfBuckets, perfRecord } from './perf-buckets.mjs';
import { log, round, sleep } from './util.mjs';

export { startEndpoint, stopEndpoint } from './kinesis-runs.mjs';

const BENCH = path.join(ROOT, 'bench');
export const NOOP_SERVER = path.join(BENCH, 'sqs-noop-server.mjs');
export const FAUXQS_SERVER = path.join(BENCH, 'sqs-fauxqs-server.mjs');
export const FLOOR = path.join(BENCH, 'sqs-floor.mjs');

/** The environment a generator gets: the endpoint, a region and fake credentials, nothing else of AWS's. */
export function awsEnv(ep) {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SQS: ep.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // No shared config or credentials files of whoever runs the bench.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
}

/** The generator's measured window, as the endpoint sees it: its first SendMessageBatch after the reset (bounded: 30 s, or until `state.done`). */
async function firstMessageEpoch(port, state) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !state.done) {
    const s = await control(port, 'GET', '/__stats').catch(() => null);
    if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
    await sleep(20);
  }
  return null;
}

/** The perf buckets of bench/lib/perf-buckets.mjs are named for Kinesis; these say what they hold here. */
const BUCKET_NAMES = new Map([
  ['rushhour: Kinesis target + batcher (dist/targets)', 'rushhour: SQS target + batcher (dist/targets)'],
  ['SDK: serialize (JSON body, base64 of Data)', 'SDK: serialize (JSON body of the entries)'],
  ['bench: floor loop (kinesis-floor.mjs)', 'bench: floor loop'],
]);

/**
 * Runs one generator against `ep`; the endpoint's counters are reset first and read after.
 * `perf` ({ file, needle }): from 20 % to 90 % of the measured window, `perf record` the child
 * whose command line holds `needle`, and sort the samples into buckets (bench/lib/perf-buckets.mjs).
 */
async function runOne(ep, { name, argv, durationS, perf }) {
  awsEnv(ep);
  await control(ep.port, 'POST', '/__reset');
  const state = { done: false };
  const measuredStart = firstMessageEpoch(ep.port, state);
  const perfTask = perf ? recordSteady(measuredStart, durationS, perf, state) : null;
  const r = await runGenerator({ name, argv, durationS, target: ep, measuredStart }).finally(() => (state.done = true));
  const stats = await control(ep.port, 'GET', '/__stats');
  const perfResult = perfTask ? await perfTask : undefined;
  return { ...r, stats, perf: perfResult };
}

async function recordSteady(measuredStart, durationS, { file, needle }, state) {
  const start = await measuredStart;
  if (start === null) return { error: 'no measured window' };
  const wait = start + 0.2 * durationS * 1000 - Date.now();
  if (wait > 0) await sleep(wait);
  const [pid] = childPidsMatching(needle);
  if (!pid || state.done) return { error: 'generator not found' };
  const seconds = Math.round(0.7 * durationS * 10) / 10;
  const rec = await perfRecord(pid, seconds, file);
  if (rec.code !== 0) {
    log(`  ! perf record exited ${rec.code}: ${rec.stderrTail}`);
    return { error: `perf record exited ${rec.code}` };
  }
  // Wait for the generator to exit (bounded), then read the samples.
  for (let i = 0; i < 600 && !state.done; i++) await sleep(100);
  const b = perfBuckets(file, pid);
  if (b.buckets) b.buckets = b.buckets.map((x) => ({ ...x, name: BUCKET_NAMES.get(x.name) ?? x.name }));
  // Keep node's JIT symbol map next to the data (`perf report` wants it back in /tmp to read the JS frames).
  const map = `/tmp/perf-${pid}.map`;
  if (fs.existsSync(map)) {
    fs.copyFileSync(map, path.join(path.dirname(file), path.basename(map)));
    fs.rmSync(map, { force: true });
  }
  return { ...b, pid, seconds };
}

/** Common figures of one run: everything per message. */
function figures(r, { messages, achieved, clockUsPerMsg, clockCpuMs, calls, extra }) {
  const whole = r.cpu.totalMs;
  return {
    messages,
    achieved: round(achieved, 1),
    calls,
    recordsPerCall: calls ? round(messages / calls, 2) : null,
    cpuUsPerMsg: {
      steady: r.steady ? round(r.steady.cpuUsPerReq, 2) : null,
      clock: round(clockUsPerMsg, 2),
      whole: round((whole * 1000) / messages, 2),
    },
    cpuMs: { steady: r.steady ? round(r.steady.cpuMs, 0) : null, clock: round(clockCpuMs, 0), whole: round(whole, 0), wholeSource: r.cpu.source },
    steady: r.steady && { windowMs: r.steady.windowMs, messages: r.steady.requests, endpointRate: round(r.steady.targetRate, 1), cpuUtilPct: round(r.steady.cpuUtilPct, 1), endpointCpuUtilPct: round(r.steady.targetCpuUtilPct, 1) },
    endpoint: {
      messages: r.stats.requests,
      calls: r.stats.calls,
      otherCalls: r.stats.otherCalls,
      meanBodyBytes: r.stats.dataBytes ? round(r.stats.dataBytes / r.stats.requests, 1) : null,
      meanAttributeBytes: r.stats.keyBytes ? round(r.stats.keyBytes / r.stats.requests, 1) : null,
      meanRequestBytesPerMessage: r.stats.requests ? round(r.stats.bodyBytes / r.stats.requests, 1) : null,
      cpuMs: round(r.server.cpuMs, 0),
      cpuUtilPct: round(r.server.utilPct, 1),
    },
    peakRssMb: round(r.peakRssMb, 1),
    wallMs: r.wallMs,
    exit: r.exit,
    processName: r.comm,
    windowStartMs: r.windowStartMs,
    loadavg1Before: round(r.loadBefore, 2),
    ...extra,
  };
}

/**
 * rushhour `run --target sqs:QUEUE --rate R --duration D --json --log none` against `ep`
 * (`nodeArgs`: e.g. --perf-basic-prof). clock = summary.generator.cpuUsPerRequest (CPU of the
 * rushhour process while its clock ran / messages sent); whole = the process's utime+stime over its life.
 */
export async function runRushhourSqs(ctx, ep, { queue, rate, durationS, nodeArgs = [], perf }) {
  const out = path.join(ctx.runsDir, `rushhour-sqs-${++ctx.seq}`);
  const argv = [...nodeArgs, ctx.bin, 'run', '--target', `sqs:${queue}`, '--rate', String(rate), '--duration', `${durationS}s`, '--json', '--log', 'none', '--out', out];
  const r = await runOne(ep, { name: 'rushhour', argv, durationS, perf: perf && { file: perf, needle: out } });
  const s = parseJsonOut(r);
  if (!ctx.keepRuns) fs.rmSync(out, { recursive: true, force: true });
  const messages = s.counts.sent;
  return {
    raw: r,
    perf: r.perf,
    figures: figures(r, {
      messages,
      achieved: s.rate.achieved,
      clockUsPerMsg: s.generator.cpuUsPerRequest,
      clockCpuMs: s.generator.cpuMs,
      calls: s.requests?.count ?? null,
      extra: {
        counts: s.counts,
        requests: s.requests,
        errors: s.errors,
        warmup: s.warmup,
        latencyMs: { p50: s.latency.p50, p99: s.latency.p99, max: s.latency.max },
        maxEventLoopLagMs: s.generator.maxEventLoopLagMs,
        windowMs: s.windowMs,
        durationMs: s.durationMs,
        status: s.status,
      },
    }),
  };
}

/** The bare SDK loop (bench/sqs-floor.mjs) against `ep` (`nodeArgs`: e.g. --perf-basic-prof); clock = its own process.cpuUsage() while its clock ran. */
export async function runFloor(ctx, ep, { queue, rate, durationS, batch, messagesFile, concurrency, nodeArgs = [], perf }) {
  const argv = [...nodeArgs, FLOOR, '--queue', queue, '--rate', String(rate), '--duration', String(durationS), '--batch', String(batch), '--concurrency', String(concurrency), '--messages', messagesFile, '--dist', ctx.dist];
  const r = await runOne(ep, { name: 'sdk-floor', argv, durationS, perf: perf && { file: perf, needle: messagesFile } });
  const f = parseJsonOut(r);
  return {
    raw: r,
    perf: r.perf,
    figures: figures(r, {
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
