// The parts of bench/kinesis-cpu.mjs: its two endpoints (a no-op PutRecords server and kinesalite,
// each in its own process on core 0), and one run of rushhour or of the bare SDK loop against one
// (on core 1, measured by bench/lib/generator.mjs).

import fs from 'node:fs';
import path from 'node:path';
import { spawnPinned } from './children.mjs';
import { parseJsonOut, runGenerator } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { childPidsMatching, perfBuckets, perfRecord } from './perf-buckets.mjs';
import { log, round, sleep } from './util.mjs';

const BENCH = path.join(ROOT, 'bench');
export const NOOP_SERVER = path.join(BENCH, 'kinesis-noop-server.mjs');
export const KINESALITE_SERVER = path.join(BENCH, 'kinesalite-server.mjs');
export const FLOOR = path.join(BENCH, 'kinesis-floor.mjs');

/** Starts an endpoint script on core 0 and waits (≤ 20 s) for the `{"port":…}` line it prints. */
export async function startEndpoint(script, args) {
  const child = spawnPinned(0, [process.execPath, script, '--max-lifetime', '1800', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${path.basename(script)} did not report its port within 20 s`)), 20_000);
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${path.basename(script)} exited early (${code})`));
    });
  });
  return { child, port: info.port, pid: child.pid, url: `http://127.0.0.1:${info.port}`, info };
}

/** Closes the endpoint's stdin (it exits on that); kills it if it is still there after 3 s. */
export async function stopEndpoint(ep) {
  if (ep.child.exitCode !== null) return;
  ep.child.stdin.end();
  const gone = new Promise((r) => ep.child.once('exit', r));
  await Promise.race([gone, sleep(3000)]);
  if (ep.child.exitCode === null) ep.child.kill('SIGKILL');
}

/** The environment a generator gets: the endpoint, a region and fake credentials, nothing else of AWS's. */
export function awsEnv(ep) {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_KINESIS: ep.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // No shared config or credentials files of whoever runs the bench.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
}

/** The generator's measured window, as the endpoint sees it: its first PutRecords after the reset (bounded: 30 s, or until `state.done`). */
async function firstRecordEpoch(port, state) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !state.done) {
    const s = await control(port, 'GET', '/__stats').catch(() => null);
    if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
    await sleep(20);
  }
  return null;
}

/**
 * Runs one generator against `ep`; the endpoint's counters are reset first and read after.
 * `perf` ({ file, needle }): from 20 % to 90 % of the measured window, `perf record` the child
 * whose command line holds `needle`, and sort the samples into buckets (bench/lib/perf-buckets.mjs).
 */
async function runOne(ep, { name, argv, durationS, perf }) {
  awsEnv(ep);
  await control(ep.port, 'POST', '/__reset');
  const state = { done: false };
  const measuredStart = firstRecordEpoch(ep.port, state);
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
  // Keep node's JIT symbol map next to the data (`perf report` wants it back in /tmp to read the JS frames).
  const map = `/tmp/perf-${pid}.map`;
  if (fs.existsSync(map)) {
    fs.copyFileSync(map, path.join(path.dirname(file), path.basename(map)));
    fs.rmSync(map, { force: true });
  }
  return { ...b, pid, seconds };
}

/** Common figures of one run: everything per message. */
function figures(r, { messages, achieved, clockCpuMs, calls, extra }) {
  const whole = r.cpu.totalMs;
  return {
    messages,
    achieved: round(achieved, 1),
    calls,
    recordsPerCall: calls ? round(messages / calls, 1) : null,
    cpuUsPerMsg: {
      steady: r.steady ? round(r.steady.cpuUsPerReq, 2) : null,
      clock: clockCpuMs === null ? null : round((clockCpuMs * 1000) / messages, 2),
      whole: round((whole * 1000) / messages, 2),
    },
    cpuMs: { steady: r.steady ? round(r.steady.cpuMs, 0) : null, clock: round(clockCpuMs, 0), whole: round(whole, 0), wholeSource: r.cpu.source },
    steady: r.steady && { windowMs: r.steady.windowMs, records: r.steady.requests, endpointRate: round(r.steady.targetRate, 1), cpuUtilPct: round(r.steady.cpuUtilPct, 1), endpointCpuUtilPct: round(r.steady.targetCpuUtilPct, 1) },
    endpoint: {
      records: r.stats.requests,
      calls: r.stats.calls,
      meanDataBytes: r.stats.dataBytes ? round(r.stats.dataBytes / r.stats.requests, 1) : null,
      meanKeyBytes: r.stats.keyBytes ? round(r.stats.keyBytes / r.stats.requests, 1) : null,
      meanBodyBytesPerRecord: round(r.stats.bodyBytes / r.stats.requests, 1),
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
 * rushhour `run --target kinesis:STREAM --rate R --duration D --json --log none` against `ep`
 * (`nodeArgs`: e.g. --cpu-prof). clock = summary.generator.cpuMs (CPU of the rushhour process while
 * its clock ran); whole = the process's utime+stime over its life.
 */
export async function runRushhourKinesis(ctx, ep, { stream, rate, durationS, nodeArgs = [], perf }) {
  const out = path.join(ctx.runsDir, `rushhour-kinesis-${++ctx.seq}`);
  const argv = [...nodeArgs, ctx.bin, 'run', '--target', `kinesis:${stream}`, '--rate', String(rate), '--duration', `${durationS}s`, '--json', '--log', 'none', '--out', out];
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
      clockCpuMs: s.generator.cpuMs,
      calls: s.requests?.count ?? null,
      extra: {
        summaryCpuUsPerRequest: s.generator.cpuUsPerRequest,
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

/** The bare SDK loop (bench/kinesis-floor.mjs) against `ep` (`nodeArgs`: e.g. --cpu-prof); clock = its own process.cpuUsage() while its clock ran. */
export async function runFloor(ctx, ep, { stream, rate, durationS, batch, recordsFile, concurrency, nodeArgs = [], perf }) {
  const argv = [...nodeArgs, FLOOR, '--stream', stream, '--rate', String(rate), '--duration', String(durationS), '--batch', String(batch), '--concurrency', String(concurrency), '--records', recordsFile, '--dist', ctx.dist];
  const r = await runOne(ep, { name: 'sdk-floor', argv, durationS, perf: perf && { file: perf, needle: recordsFile } });
  const f = parseJsonOut(r);
  return {
    raw: r,
    perf: r.perf,
    figures: figures(r, {
      messages: f.records,
      achieved: f.achievedMsgPerS,
      clockCpuMs: f.cpuMsClock,
      calls: f.calls,
      extra: { floor: f, errors: f.errors },
    }),
  };
}

/** The records the no-op endpoint sampled from rushhour's run, written to `file` for the floor. */
export async function saveSample(ep, file) {
  const { records } = await control(ep.port, 'GET', '/__sample');
  fs.writeFileSync(file, JSON.stringify(records));
  return records.length;
}
