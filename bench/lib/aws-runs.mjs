// What bench/lib/kinesis-runs.mjs and bench/lib/sqs-runs.mjs share: an endpoint script in its own
// process on core 0, the environment a generator gets, one generator run against an endpoint (on
// core 1, measured by bench/lib/generator.mjs, optionally under `perf record`) and the common
// figures of a run, per message.

import fs from 'node:fs';
import path from 'node:path';
import { firstJsonLine, spawnPinned } from './children.mjs';
import { runGenerator } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { childPidsMatching, perfBuckets, perfRecord } from './perf-buckets.mjs';
import { log, round, sleep } from './util.mjs';

/** Starts an endpoint script on core 0 and waits (≤ 20 s) for the `{"port":…}` line it prints. */
export async function startEndpoint(script, args) {
  const child = spawnPinned(0, [process.execPath, script, '--max-lifetime', '1800', ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await firstJsonLine(child, path.basename(script), 20_000);
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
export function awsEnv(ep, endpointVar) {
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, {
    [endpointVar]: ep.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // No shared config or credentials files of whoever runs the bench.
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  });
}

/** The generator's measured window, as the endpoint sees it: its first call after the reset (bounded: 30 s, or until `state.done`). */
async function firstCallEpoch(port, state) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !state.done) {
    const s = await control(port, 'GET', '/__stats').catch(() => null);
    if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
    await sleep(20);
  }
  return null;
}

/**
 * Runs one generator against `ep` (its url in the environment as `endpointVar`); the endpoint's
 * counters are reset first and read after. `perf` ({ file, needle, floorLoop, names }): from 20 % to
 * 90 % of the measured window, `perf record` the child whose command line holds `needle`, and sort
 * the samples into buckets (bench/lib/perf-buckets.mjs; `floorLoop`: the floor's own frames;
 * `names`: a Map renaming buckets).
 */
export async function runOne(ep, { name, argv, durationS, perf }, endpointVar) {
  awsEnv(ep, endpointVar);
  await control(ep.port, 'POST', '/__reset');
  const state = { done: false };
  const measuredStart = firstCallEpoch(ep.port, state);
  const perfTask = perf ? recordSteady(measuredStart, durationS, perf, state) : null;
  const r = await runGenerator({ name, argv, durationS, target: ep, measuredStart }).finally(() => (state.done = true));
  const stats = await control(ep.port, 'GET', '/__stats');
  const perfResult = perfTask ? await perfTask : undefined;
  return { ...r, stats, perf: perfResult };
}

async function recordSteady(measuredStart, durationS, { file, needle, floorLoop, names }, state) {
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
  const b = perfBuckets(file, pid, floorLoop);
  if (names && b.buckets) b.buckets = b.buckets.map((x) => ({ ...x, name: names.get(x.name) ?? x.name }));
  // Keep node's JIT symbol map next to the data (`perf report` wants it back in /tmp to read the JS frames).
  const map = `/tmp/perf-${pid}.map`;
  if (fs.existsSync(map)) {
    fs.copyFileSync(map, path.join(path.dirname(file), path.basename(map)));
    fs.rmSync(map, { force: true });
  }
  return { ...b, pid, seconds };
}

/**
 * Common figures of one run: everything per message. `perCallDigits`: rounding of messages a call;
 * `steadyKey`: the name of the steady window's message count; `endpoint`: what the endpoint saw.
 */
export function figures(r, { messages, achieved, clockUsPerMsg, clockCpuMs, calls, perCallDigits, steadyKey, endpoint, extra }) {
  const whole = r.cpu.totalMs;
  return {
    messages,
    achieved: round(achieved, 1),
    calls,
    recordsPerCall: calls ? round(messages / calls, perCallDigits) : null,
    cpuUsPerMsg: {
      steady: r.steady ? round(r.steady.cpuUsPerReq, 2) : null,
      clock: round(clockUsPerMsg, 2),
      whole: round((whole * 1000) / messages, 2),
    },
    cpuMs: { steady: r.steady ? round(r.steady.cpuMs, 0) : null, clock: round(clockCpuMs, 0), whole: round(whole, 0), wholeSource: r.cpu.source },
    steady: r.steady && { windowMs: r.steady.windowMs, [steadyKey]: r.steady.requests, endpointRate: round(r.steady.targetRate, 1), cpuUtilPct: round(r.steady.cpuUtilPct, 1), endpointCpuUtilPct: round(r.steady.targetCpuUtilPct, 1) },
    endpoint: { ...endpoint, cpuMs: round(r.server.cpuMs, 0), cpuUtilPct: round(r.server.utilPct, 1) },
    peakRssMb: round(r.peakRssMb, 1),
    wallMs: r.wallMs,
    exit: r.exit,
    processName: r.comm,
    windowStartMs: r.windowStartMs,
    loadavg1Before: round(r.loadBefore, 2),
    ...extra,
  };
}

/** The extra figures of a rushhour run, from its `--json` summary `s`. */
export function rushhourExtra(s) {
  return {
    counts: s.counts,
    requests: s.requests,
    errors: s.errors,
    warmup: s.warmup,
    latencyMs: { p50: s.latency.p50, p99: s.latency.p99, max: s.latency.max },
    maxEventLoopLagMs: s.generator.maxEventLoopLagMs,
    windowMs: s.windowMs,
    durationMs: s.durationMs,
    status: s.status,
  };
}
