#!/usr/bin/env node
// rushhour vs autocannon against the same local node:http target, in the same run.
// A benchmark, never a test: it prints figures and ratios and writes them to bench/results/; it
// has no pass/fail exit code beyond "the harness itself broke". See bench/README.md.
//
//   npm run build && node bench/http-vs-autocannon.mjs [--quick] [--only a,b,c,d]
//        [--rate-duration S] [--stall-duration S] [--stall-repeats N] [--stall-connections N] [--rss-duration S]
//        [--keep-runs] [--no-snapshot]
//
// (a) achieved/target rate at 1k, 5k, 20k/s          (b) generator CPU per request at 20k/s
// (c) p50/p90/p99/p99.9 under one 2 s stall at 1k/s   (d) peak RSS at 5k/s over a long run
//
// Load only ever goes to 127.0.0.1. Every wait and loop below is bounded in count and time.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
let RUSHHOUR = path.join(ROOT, 'bin', 'run.js'); // replaced by the snapshot's copy in main()
const AUTOCANNON = path.join(ROOT, 'node_modules', 'autocannon', 'autocannon.js');
const TARGET_SERVER = path.join(HERE, 'target-server.mjs');
const RESULTS_DIR = path.join(HERE, 'results');

// ---------------------------------------------------------------------------------------------
// Options

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string', default: 'a,b,c,d' },
    'rate-duration': { type: 'string' },
    'stall-duration': { type: 'string' },
    'rss-duration': { type: 'string' },
    'stall-repeats': { type: 'string' },
    'stall-connections': { type: 'string' },
    'keep-runs': { type: 'boolean', default: false },
    'no-snapshot': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const ONLY = new Set(opt.only.split(',').map((s) => s.trim()));
const QUICK = opt.quick;

const RATE_DURATION_S = num(opt['rate-duration'], QUICK ? 3 : 10);
const RATES = [1000, 5000, 20000];
const CPU_RATE = 20000; // (b) comes from the 20k/s runs of (a)
const RSS_RATE = 5000;
const RSS_DURATION_S = num(opt['rss-duration'], QUICK ? 15 : 60);
// (c): one 2 s stall at 1k/s. Full: 12 s run, stall 4–6 s of the measured window (the brief's
// truth). Quick: 6 s run, stall 2–4 s (the truth is worked out by the same formula).
const STALL_RATE = 1000;
const STALL_DURATION_S = num(opt['stall-duration'], QUICK ? 6 : 12);
const STALL_FROM_MS = QUICK && opt['stall-duration'] === undefined ? 2000 : 4000;
const STALL_TO_MS = STALL_FROM_MS + 2000;
const STALL_REPEATS = Math.round(num(opt['stall-repeats'], QUICK ? 1 : 3));
if (STALL_TO_MS >= STALL_DURATION_S * 1000) throw new Error(`--stall-duration must be longer than ${STALL_TO_MS / 1000} s (the stall ends at ${STALL_TO_MS} ms)`);

// Connections, the same for both tools in each measurement.
// - Rate, CPU and RSS tests: 32. At 20k/s with ~0.1–1 ms service time on a local target, Little's
//   law gives ~2–20 requests in flight; 32 leaves headroom for a noisy core without either tool
//   queueing client-side, and autocannon's -R mode splits the rate evenly over its connections
//   (625/s each at 20k/s), so it needs enough of them to keep up with its per-second quotas.
// - Stall test: 8. At 1k/s about one request is in flight, so 8 is plenty in normal operation;
//   a small count keeps what is in flight on sockets during the stall small and equal for both
//   tools (8 requests held at the server each), so the comparison is about how each tool accounts
//   for the arrivals it could not send, not about how many sockets happened to be stuck.
const CONNECTIONS = 32;
// --stall-connections N changes it: with more connections the backlog after the stall drains
// faster, which is what the zero-service-time truth assumes.
const STALL_CONNECTIONS = Math.round(num(opt['stall-connections'], 8));

// A telematics-like JSON body for autocannon (354 bytes; rushhour generates its own payloads,
// whose mean size is reported next to this one from the target's byte counter).
const AUTOCANNON_BODY = JSON.stringify({
  id: '01J9Z8K3M4N5P6Q7R8S9T0V1W2',
  kind: 'telemetry',
  vin: '1HGCM82633A004352',
  seq: 18231,
  sentAt: '2026-11-27T06:01:34.880Z',
  pos: { lat: 52.520008, lon: 13.404954, heading: 271.5, speedKph: 63.2 },
  engine: { rpm: 2140, coolantC: 88.5, fuelPct: 61.3, odometerKm: 48213.7, throttlePct: 22.5 },
  trip: 't-8f3a2c1e',
  fleet: 'fleet-042',
  tenant: 'tenant-07',
});

const POLL_MS = 100;
const GENERATOR_GRACE_S = 90; // a generator still alive this long after its nominal end is killed

// ---------------------------------------------------------------------------------------------
// Environment: pinning, clock ticks

const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0 && os.cpus().length >= 2;
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
const HAS_PROC = fs.existsSync('/proc/self/stat');
const PINNING = HAS_TASKSET
  ? 'pinned: target on core 0 (taskset -c 0), generator on core 1 (taskset -c 1), one generator at a time'
  : 'NOT pinned: taskset not available (or fewer than 2 cores); target and generator share the cores';

function pinned(core, argv) {
  return HAS_TASKSET ? ['taskset', ['-c', String(core), ...argv]] : [argv[0], argv.slice(1)];
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function num(s, dflt) {
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${s}`);
  return n;
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const ratio = (a, b) => (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : round(a / b, 3));
const fmt = (x, d = 2) => (x === null || x === undefined ? 'n/a' : typeof x === 'number' ? String(round(x, d)) : String(x));
const log = (s) => process.stderr.write(s + '\n');

function table(title, head, rows) {
  const all = [head, ...rows].map((r) => r.map((c) => fmt(c)));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  const out = [title, line(all[0]), '  ' + w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)];
  process.stdout.write(out.join('\n') + '\n\n');
}

/** utime+stime (clock ticks) of a process, and its VmHWM/VmRSS (kB); null once it is gone. */
function readProc(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // rest[0] is field 3 (state)
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const ticks = Number(rest[11]) + Number(rest[12]); // fields 14 utime, 15 stime
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = status.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) : null;
    };
    return { comm, ticks, hwmKb: kb('VmHWM'), rssKb: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** CPU ticks of this process's reaped children (cutime+cstime): exact CPU of a finished child. */
function reapedChildTicks() {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[13]) + Number(rest[14]); // fields 16 cutime, 17 cstime
  } catch {
    return null;
  }
}

/** A control request to the target (never load): bounded by a 5 s timeout. */
function control(port, method, pathname) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`control ${pathname} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

// ---------------------------------------------------------------------------------------------
// The target

const children = new Set();
function killAll() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

async function startTarget(stall) {
  const argv = [process.execPath, TARGET_SERVER, '--max-lifetime', '3600'];
  if (stall) argv.push('--stall-from', String(stall.fromMs), '--stall-to', String(stall.toMs));
  const [cmd, args] = pinned(0, argv);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  children.add(child);
  child.on('exit', () => children.delete(child));
  const info = await new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error('target did not report its port within 10 s')), 10_000);
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
      reject(new Error(`target exited early (${code})`));
    });
  });
  return { child, port: info.port, pid: child.pid, url: `http://127.0.0.1:${info.port}/ingest` };
}

async function stopTarget(t) {
  if (t.child.exitCode !== null) return;
  t.child.stdin.end();
  const gone = new Promise((r) => t.child.once('exit', r));
  await Promise.race([gone, sleep(3000)]);
  if (t.child.exitCode === null) t.child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// Running one generator and measuring it

/**
 * Spawns a generator (pinned to core 1 when possible), polls its /proc every POLL_MS (CPU ticks,
 * VmHWM, VmRSS; the last values seen before it exits are kept) and returns its stdout.
 * Also takes the exact CPU of the finished process from this process's cutime+cstime (the child
 * is reaped by us; nothing else of ours is reaped meanwhile).
 *
 * `measuredStart` resolves to the epoch ms at which the tool's measured window began; at 20 % and
 * 90 % of that window the generator's CPU ticks and the target's request counter are read, which
 * gives a steady-state CPU per request with start-up, warm-up and shutdown left out.
 */
async function runGenerator({ name, argv, durationS, target, onStderrLine, measuredStart }) {
  const [cmd, args] = pinned(1, [process.execPath, ...argv]);
  const loadBefore = os.loadavg()[0];
  const serverBefore = readProc(target.pid);
  const reapedBefore = reapedChildTicks();
  const wallStart = Date.now();
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let stdout = '';
  const stderrTail = [];
  let errBuf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => (stdout.length < 50_000_000 ? (stdout += d) : null));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    errBuf += d;
    let nl;
    while ((nl = errBuf.indexOf('\n')) >= 0) {
      const line = errBuf.slice(0, nl);
      errBuf = errBuf.slice(nl + 1);
      if (onStderrLine) onStderrLine(line);
      stderrTail.push(line.length > 400 ? line.slice(0, 400) + '…' : line);
      if (stderrTail.length > 40) stderrTail.shift();
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => children.delete(child));

  // Poll /proc until the process exits, bounded by its nominal length plus a grace period.
  let last = null;
  let comm = null;
  const samples = []; // { tMs, ticks, rssKb, hwmKb }
  let done = false;
  exited.then(() => (done = true));
  const poller = (async () => {
    const deadline = wallStart + (durationS + GENERATOR_GRACE_S) * 1000;
    while (!done && Date.now() < deadline) {
      const p = readProc(child.pid);
      // A process that is exiting (or a zombie) has a stat but no Vm* lines: keep the last
      // memory figures seen while it was alive.
      if (p) {
        last = { ticks: p.ticks, hwmKb: p.hwmKb ?? last?.hwmKb ?? null, rssKb: p.rssKb ?? last?.rssKb ?? null };
        if (p.comm !== 'taskset') comm = p.comm;
        if (p.rssKb !== null) samples.push({ tMs: Date.now() - wallStart, ticks: p.ticks, rssKb: p.rssKb, hwmKb: p.hwmKb });
      }
      await sleep(POLL_MS);
    }
    if (!done) {
      log(`  ! ${name} still running ${GENERATOR_GRACE_S} s past its end: killing it`);
      child.kill('SIGKILL');
    }
  })();

  // Steady-state window marks.
  const marks = {};
  const markTask = (async () => {
    const start = await Promise.race([measuredStart, exited.then(() => null), sleep((durationS + 30) * 1000).then(() => null)]);
    if (start === null) return;
    marks.startEpochMs = start;
    for (const [key, frac] of [['a', 0.2], ['b', 0.9]]) {
      const wait = start + frac * durationS * 1000 - Date.now();
      if (wait > 0) await Promise.race([sleep(wait), exited]);
      if (done) return;
      const p = readProc(child.pid);
      const srv = readProc(target.pid);
      const s = await control(target.port, 'GET', '/__stats').catch(() => null);
      if (!p || !s) return;
      marks[key] = { epochMs: Date.now(), ticks: p.ticks, requests: s.requests, serverTicks: srv?.ticks ?? null };
    }
  })();

  const exit = await exited;
  await poller;
  await markTask.catch(() => null);
  const wallMs = Date.now() - wallStart;
  const reapedAfter = reapedChildTicks();
  const serverAfter = readProc(target.pid);
  const exactTicks = reapedBefore !== null && reapedAfter !== null ? reapedAfter - reapedBefore : null;
  const cpuMs = (exactTicks ?? last?.ticks ?? NaN) * (1000 / CLK_TCK);
  let steady = null;
  if (marks.a && marks.b && marks.b.requests > marks.a.requests) {
    const ms = (marks.b.ticks - marks.a.ticks) * (1000 / CLK_TCK);
    steady = {
      windowMs: marks.b.epochMs - marks.a.epochMs,
      cpuMs: ms,
      requests: marks.b.requests - marks.a.requests,
      cpuUsPerReq: (ms * 1000) / (marks.b.requests - marks.a.requests),
      cpuUtilPct: (100 * ms) / (marks.b.epochMs - marks.a.epochMs),
      // What the target saw: requests per second arriving at it in the window, and its own CPU.
      targetRate: (1000 * (marks.b.requests - marks.a.requests)) / (marks.b.epochMs - marks.a.epochMs),
      targetCpuUtilPct: marks.a.serverTicks === null || marks.b.serverTicks === null ? null : (100 * (marks.b.serverTicks - marks.a.serverTicks) * (1000 / CLK_TCK)) / (marks.b.epochMs - marks.a.epochMs),
    };
  }
  const serverCpuMs = serverBefore && serverAfter ? (serverAfter.ticks - serverBefore.ticks) * (1000 / CLK_TCK) : null;
  return {
    name,
    exit,
    stdout,
    stderrTail,
    wallMs,
    comm,
    cpu: { totalMs: cpuMs, source: exactTicks !== null ? 'cutime+cstime of the reaped child (exact)' : 'last /proc poll', polledMs: last ? last.ticks * (1000 / CLK_TCK) : null },
    steady,
    peakRssMb: last?.hwmKb != null ? last.hwmKb / 1024 : null,
    lastRssMb: last?.rssKb != null ? last.rssKb / 1024 : null,
    rssSeriesMb: samples,
    windowStartMs: marks.startEpochMs === undefined ? null : marks.startEpochMs - wallStart,
    server: { cpuMs: serverCpuMs, utilPct: serverCpuMs === null ? null : (100 * serverCpuMs) / wallMs },
    loadBefore,
  };
}

function parseJsonOut(res) {
  const s = res.stdout;
  const i = s.indexOf('{');
  const j = s.lastIndexOf('}');
  if (i < 0 || j < i) throw new Error(`${res.name}: no JSON on stdout (exit ${JSON.stringify(res.exit)}); stderr tail:\n${res.stderrTail.join('\n')}`);
  return JSON.parse(s.slice(i, j + 1));
}

let runSeq = 0;
let runsDir;

/** One rushhour run in quick mode; returns its summary plus process measurements. */
async function runRushhour(target, { rate, durationS, connections, onStart }) {
  const out = path.join(runsDir, `rushhour-${++runSeq}-${rate}`);
  await control(target.port, 'POST', '/__reset');
  let resolveStart;
  const measuredStart = new Promise((r) => (resolveStart = r));
  const res = await runGenerator({
    name: 'rushhour',
    durationS,
    target,
    measuredStart,
    argv: [RUSHHOUR, 'run', '--target', target.url, '--rate', String(rate), '--duration', `${durationS}s`, '--connections', String(connections), '--pipelining', '1', '--out', out, '--json', '--log', 'jsonl'],
    // --log jsonl: progress events go to stderr as JSON lines; the `start` event carries
    // startEpochMs, the instant rushhour's measured clock starts (after its warm-up).
    onStderrLine: (line) => {
      if (!line.startsWith('{"type":"start"')) return;
      const m = line.match(/"startEpochMs":(\d+(?:\.\d+)?)/);
      if (!m) return;
      const epoch = Number(m[1]);
      resolveStart(epoch);
      if (onStart) onStart(epoch);
    },
  });
  const summary = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  if (!opt['keep-runs']) fs.rmSync(out, { recursive: true, force: true });
  const completed = summary.counts.completed ?? summary.counts.ok + summary.counts.failed;
  return {
    ...res,
    summary,
    stats,
    completed,
    achieved: summary.rate.achieved,
    target: summary.rate.target,
    rateErrPct: 100 * (summary.rate.achieved / summary.rate.target - 1),
    configuredErrPct: 100 * (summary.rate.achieved / rate - 1),
    latency: { p50: summary.latency.p50, p90: summary.latency.p90, p99: summary.latency.p99, p999: summary.latency.p999, max: summary.latency.max },
    errors: summary.counts.failed,
    dropped: summary.counts.dropped,
    meanBodyBytes: stats.requests ? stats.bytes / stats.requests : null,
    extra: {
      serviceTimeMs: pick(summary.serviceTime, ['p50', 'p99', 'max']),
      scheduleLagMs: pick(summary.scheduleLag, ['p50', 'p99', 'max']),
      maxEventLoopLagMs: summary.generator?.maxEventLoopLagMs ?? null,
      warmup: summary.warmup ?? null,
      unfinished: summary.counts.unfinished ?? null,
      windowMs: summary.windowMs,
      durationMs: summary.durationMs,
    },
  };
}

function pick(o, keys) {
  return o ? Object.fromEntries(keys.map((k) => [k, o[k]])) : null;
}

/** One autocannon run in its rate-limited mode (-R); returns its result plus process measurements. */
async function runAutocannon(target, { rate, durationS, connections }) {
  await control(target.port, 'POST', '/__reset');
  await control(target.port, 'POST', '/__arm'); // only matters for the stall server
  // autocannon has no warm-up: its measured window starts with its first request.
  const measuredStart = (async () => {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const s = await control(target.port, 'GET', '/__stats').catch(() => null);
      if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
      await sleep(50);
    }
    return null;
  })();
  const res = await runGenerator({
    name: 'autocannon',
    durationS,
    target,
    measuredStart,
    argv: [AUTOCANNON, '-R', String(rate), '-c', String(connections), '-d', String(durationS), '-m', 'POST', '-H', 'content-type=application/json', '-b', AUTOCANNON_BODY, '-j', '-n', target.url],
  });
  const r = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  const completed = r.requests.total;
  const achieved = completed / durationS;
  return {
    ...res,
    result: { ...r, statusCodeStats: r.statusCodeStats },
    stats,
    completed,
    achieved,
    target: rate,
    rateErrPct: 100 * (achieved / rate - 1),
    configuredErrPct: 100 * (achieved / rate - 1),
    actualDurationS: r.duration,
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, p999: r.latency.p99_9, max: r.latency.max },
    errors: r.errors + r.timeouts + r.non2xx,
    dropped: null,
    meanBodyBytes: stats.requests ? stats.bytes / stats.requests : null,
    extra: { actualDurationS: r.duration, achievedOverActualDuration: completed / r.duration, sent: r.requests.sent, histogramCount: r.latency.totalCount },
  };
}

function brief(r) {
  return {
    completed: r.completed,
    achieved: round(r.achieved, 1),
    target: r.target,
    rateErrPct: round(r.rateErrPct, 3),
    errors: r.errors,
    dropped: r.dropped,
    latencyMs: r.latency,
    cpuTotalMs: round(r.cpu.totalMs, 0),
    cpuSource: r.cpu.source,
    cpuUsPerReqWhole: round((r.cpu.totalMs * 1000) / r.completed, 2),
    steady: r.steady && { ...r.steady, cpuUsPerReq: round(r.steady.cpuUsPerReq, 2), cpuUtilPct: round(r.steady.cpuUtilPct, 1), cpuMs: round(r.steady.cpuMs, 0), targetRate: round(r.steady.targetRate, 1), targetCpuUtilPct: round(r.steady.targetCpuUtilPct, 1) },
    extra: r.extra,
    peakRssMb: round(r.peakRssMb, 1),
    lastRssMb: round(r.lastRssMb, 1),
    wallMs: r.wallMs,
    exit: r.exit,
    processName: r.comm,
    targetServer: { requests: r.stats.requests, meanBodyBytes: round(r.meanBodyBytes, 0), cpuMs: round(r.server.cpuMs, 0), cpuUtilPct: round(r.server.utilPct, 1) },
    loadavg1Before: round(r.loadBefore, 2),
  };
}

// ---------------------------------------------------------------------------------------------
// The worked-out truth for one stall

/**
 * Constant rate, run of D ms, one stall of S ms entirely inside it, zero service time otherwise:
 * the arrivals due in the stall wait until its end, so their latencies are uniform on (0, S] and
 * all others are ~0. The top (1 − q) of all arrivals are the stalled ones with the largest
 * latency, so the q-quantile is S − (1 − q)·D when that is positive, else ~0.
 */
function stallTruth(durationMs, stallMs, q) {
  return Math.round(Math.max(0, stallMs - (1 - q) * durationMs) * 1000) / 1000;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'run.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!fs.existsSync(AUTOCANNON)) throw new Error('node_modules/autocannon is missing: run `npm install`');
  if (!HAS_PROC) log('! /proc is not available: CPU and RSS figures will be missing');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const gi = path.join(RESULTS_DIR, '.gitignore');
  if (!fs.existsSync(gi)) fs.writeFileSync(gi, '*\n!.gitignore\n');
  runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rushhour-bench-'));
  // Others may run `npm run build` while the bench runs; every rushhour run uses a snapshot of
  // bin/, dist/ and package.json taken now (node_modules is linked, not copied).
  const distBuiltAt = fs.statSync(path.join(ROOT, 'dist', 'commands', 'run.js')).mtime.toISOString();
  if (!opt['no-snapshot']) {
    const snap = path.join(runsDir, 'rushhour-snapshot');
    fs.mkdirSync(snap);
    for (const d of ['bin', 'dist', 'schemas']) if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(snap, d), { recursive: true });
    fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'), 'dir');
    RUSHHOUR = path.join(snap, 'bin', 'run.js');
  }

  const gitRev = (() => {
    try {
      return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return null;
    }
  })();
  const meta = {
    timestamp: new Date().toISOString(),
    quick: QUICK,
    pinning: PINNING,
    pinned: HAS_TASKSET,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    clkTck: CLK_TCK,
    loadavgStart: os.loadavg().map((x) => round(x, 2)),
    gitRev,
    gitDirty: (() => {
      try {
        return execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().length > 0;
      } catch {
        return null;
      }
    })(),
    distBuiltAt,
    rushhourSnapshot: !opt['no-snapshot'],
    autocannonVersion: JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version,
    autocannonBodyBytes: Buffer.byteLength(AUTOCANNON_BODY),
    connections: CONNECTIONS,
    stallConnections: STALL_CONNECTIONS,
    durations: { rateS: RATE_DURATION_S, stallS: STALL_DURATION_S, stall: [STALL_FROM_MS, STALL_TO_MS], stallRepeats: STALL_REPEATS, rssS: RSS_DURATION_S },
    cpuMethod:
      'whole: CPU (utime+stime) of the generator process over its whole life (start-up, warm-up, run, shutdown; exact, from cutime+cstime after reaping) / requests completed in the measured window; steady: CPU ticks between 20 % and 90 % of the measured window / requests the target received in that interval (no idle baseline is subtracted)',
    stallClock:
      'rushhour: the bench reads startEpochMs from rushhour\'s `start` event (--log jsonl, stderr) and POSTs /__start?epoch=<it>; autocannon (no warm-up): the bench POSTs /__arm and the first request sets the origin. Requests read in [origin+from, origin+to) are held and answered at origin+to.',
  };
  const results = { meta };

  process.stdout.write(`rushhour vs autocannon — ${QUICK ? 'QUICK smoke run (short durations; figures are not meaningful)' : 'full run'}\n`);
  process.stdout.write(`${PINNING}\n`);
  process.stdout.write(`node ${process.version}, ${meta.cpus} cpus (${meta.cpuModel}), autocannon ${meta.autocannonVersion}, load avg ${meta.loadavgStart.join(' ')}\n`);
  process.stdout.write(`rushhour: dist/ built ${distBuiltAt}${meta.gitRev ? `, git ${meta.gitRev}${meta.gitDirty ? ' + uncommitted src/ changes' : ''}` : ''}${meta.rushhourSnapshot ? ' (snapshot taken at start)' : ''}\n`);
  process.stdout.write('Shared, noisy machine: figures are indicative, not exact.\n\n');

  // ---- (a) + (b): rates; CPU from the 20k/s runs -----------------------------------------
  const needRates = ONLY.has('a') || ONLY.has('b');
  const needRss = ONLY.has('d');
  let plain;
  if (needRates || needRss) plain = await startTarget(null);

  if (needRates) {
    const rates = ONLY.has('a') ? RATES : [CPU_RATE];
    results.a = [];
    for (const rate of rates) {
      log(`(a) ${rate}/s for ${RATE_DURATION_S} s: rushhour…`);
      const rh = await runRushhour(plain, { rate, durationS: RATE_DURATION_S, connections: CONNECTIONS });
      await sleep(500);
      log(`(a) ${rate}/s for ${RATE_DURATION_S} s: autocannon…`);
      const ac = await runAutocannon(plain, { rate, durationS: RATE_DURATION_S, connections: CONNECTIONS });
      await sleep(500);
      results.a.push({ rate, rushhour: brief(rh), autocannon: brief(ac), ratio: { achieved: ratio(rh.achieved, ac.achieved) } });
    }
    if (ONLY.has('a')) {
      table(
        `(a) achieved vs target rate, ${RATE_DURATION_S} s each, ${CONNECTIONS} connections (error = achieved/target − 1)`,
        ['rate/s', 'rh achieved', 'rh target', 'rh err %', 'rh dropped', 'rh failed', 'ac achieved', 'ac err %', 'ac errors', 'ratio rh/ac', 'rh tgt-seen/s', 'ac tgt-seen/s'],
        results.a.map((x) => [x.rate, x.rushhour.achieved, x.rushhour.target, round(x.rushhour.rateErrPct, 3), x.rushhour.dropped, x.rushhour.errors, x.autocannon.achieved, round(x.autocannon.rateErrPct, 3), x.autocannon.errors, x.ratio.achieved, x.rushhour.steady?.targetRate, x.autocannon.steady?.targetRate]),
      );
      process.stdout.write('  rushhour: achieved = summary.rate.achieved (sent / window), target = summary.rate.target (due / window).\n');
      process.stdout.write(`  autocannon: achieved = requests.total / ${RATE_DURATION_S} s (completed requests, its -R mode; per-second quotas). Aim: rushhour |err| <= 0.5 %.\n`);
      process.stdout.write('  tgt-seen/s: requests per second that reached the target between 20 % and 90 % of the measured window (the target\'s own count).\n');
      process.stdout.write('  Latency, ms: rushhour from the intended time; autocannon from send, CO-corrected by its -R mode. rh lag = rushhour schedule lag (sent − due).\n');
      table(
        '',
        ['rate/s', 'rh p50', 'rh p99', 'rh p99.9', 'rh max', 'rh lag p99', 'rh loop lag', 'ac p50', 'ac p99', 'ac p99.9', 'ac max', 'tgt cpu% rh', 'tgt cpu% ac'],
        results.a.map((x) => [x.rate, x.rushhour.latencyMs.p50, x.rushhour.latencyMs.p99, x.rushhour.latencyMs.p999, x.rushhour.latencyMs.max, x.rushhour.extra.scheduleLagMs?.p99, x.rushhour.extra.maxEventLoopLagMs, x.autocannon.latencyMs.p50, x.autocannon.latencyMs.p99, x.autocannon.latencyMs.p999, x.autocannon.latencyMs.max, x.rushhour.steady?.targetCpuUtilPct, x.autocannon.steady?.targetCpuUtilPct]),
      );
      process.stdout.write('  tgt cpu%: the target process\'s CPU (its core) between 20 % and 90 % of the measured window; near 100 % means the target, not the generator, is the limit.\n\n');
    }
    const at = results.a.find((x) => x.rate === CPU_RATE);
    if (ONLY.has('b') && at) {
      const rh = at.rushhour;
      const ac = at.autocannon;
      results.b = {
        rate: CPU_RATE,
        rushhour: { cpuTotalMs: rh.cpuTotalMs, completed: rh.completed, usPerReqWhole: rh.cpuUsPerReqWhole, usPerReqSteady: rh.steady?.cpuUsPerReq ?? null, steadyCpuUtilPct: rh.steady?.cpuUtilPct ?? null, wallMs: rh.wallMs },
        autocannon: { cpuTotalMs: ac.cpuTotalMs, completed: ac.completed, usPerReqWhole: ac.cpuUsPerReqWhole, usPerReqSteady: ac.steady?.cpuUsPerReq ?? null, steadyCpuUtilPct: ac.steady?.cpuUtilPct ?? null, wallMs: ac.wallMs },
      };
      results.b.ratio = { whole: ratio(results.b.rushhour.usPerReqWhole, results.b.autocannon.usPerReqWhole), steady: ratio(results.b.rushhour.usPerReqSteady, results.b.autocannon.usPerReqSteady) };
      table(
        `(b) generator CPU per request at ${CPU_RATE}/s (from the ${CPU_RATE}/s runs of (a); µs of utime+stime per request)`,
        ['tool', 'cpu total ms', 'completed', 'µs/req whole', 'µs/req steady', 'core % steady', 'wall ms'],
        [
          ['rushhour', rh.cpuTotalMs, rh.completed, rh.cpuUsPerReqWhole, rh.steady?.cpuUsPerReq, rh.steady?.cpuUtilPct, rh.wallMs],
          ['autocannon', ac.cpuTotalMs, ac.completed, ac.cpuUsPerReqWhole, ac.steady?.cpuUsPerReq, ac.steady?.cpuUtilPct, ac.wallMs],
          ['ratio rh/ac', null, null, results.b.ratio.whole, results.b.ratio.steady, null, null],
        ],
      );
      process.stdout.write('  whole = all CPU of the process (start-up, warm-up, run, shutdown; no idle baseline subtracted) / requests completed.\n');
      process.stdout.write('  steady = CPU between 20 % and 90 % of the measured window / requests the target received in that interval.\n\n');
    }
  }

  // ---- (c): one stall --------------------------------------------------------------------
  if (ONLY.has('c')) {
    const stallT = await startTarget({ fromMs: STALL_FROM_MS, toMs: STALL_TO_MS });
    const D = STALL_DURATION_S * 1000;
    const S = STALL_TO_MS - STALL_FROM_MS;
    const truth = { p50: stallTruth(D, S, 0.5), p90: stallTruth(D, S, 0.9), p99: stallTruth(D, S, 0.99), p999: stallTruth(D, S, 0.999) };
    const keys = ['p50', 'p90', 'p99', 'p999'];
    const label = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };
    const err = (v, t) => (t === 0 || v === null ? null : 100 * (v / t - 1));
    // How fast rushhour's backlog reached the target after the release: it queues the arrivals
    // due during the stall (rate × stall − held) and sends them as connections free up.
    const first500 = (r) => (r.stats.afterRelease ?? []).slice(0, 50).reduce((a, b) => a + b, 0);
    const drain = (r) => {
      const buckets = r.stats.afterRelease ?? [];
      const backlog = Math.max(0, Math.round((STALL_RATE * S) / 1000) - r.stats.held);
      let cum = 0;
      for (let i = 0; i < buckets.length; i++) {
        cum += buckets[i];
        const tMs = (i + 1) * 10;
        if (cum >= backlog + (STALL_RATE * tMs) / 1000) return { backlogToSend: backlog, caughtUpAfterMs: tMs, requestsInFirst500ms: first500(r) };
      }
      return { backlogToSend: backlog, caughtUpAfterMs: null, requestsInFirst500ms: first500(r) };
    };
    const stallBrief = (r, name) => ({
      ...brief(r),
      held: r.stats.held,
      origin: r.stats.origin,
      releasedAt: r.stats.releasedAtEpochMs,
      postStall: name === 'rushhour' ? drain(r) : { requestsInFirst500ms: first500(r) },
      errVsTruthPct: Object.fromEntries(keys.map((k) => [k, round(err(r.latency[k], truth[k]), 1)])),
    });
    // Repeated (alternating tools) because one stall run on a shared machine swings a lot; the
    // headline is the median of each percentile, with the spread beside it.
    const runs = { rushhour: [], autocannon: [] };
    for (let i = 0; i < STALL_REPEATS; i++) {
      log(`(c) stall ${STALL_FROM_MS}–${STALL_TO_MS} ms of a ${STALL_DURATION_S} s run at ${STALL_RATE}/s, try ${i + 1}/${STALL_REPEATS}: rushhour…`);
      const rh = await runRushhour(stallT, {
        rate: STALL_RATE,
        durationS: STALL_DURATION_S,
        connections: STALL_CONNECTIONS,
        onStart: (epoch) => void control(stallT.port, 'POST', `/__start?epoch=${epoch}`).catch((e) => log(`  ! /__start failed: ${e.message}`)),
      });
      runs.rushhour.push(stallBrief(rh, 'rushhour'));
      await sleep(500);
      log(`(c) stall, try ${i + 1}/${STALL_REPEATS}: autocannon…`);
      const ac = await runAutocannon(stallT, { rate: STALL_RATE, durationS: STALL_DURATION_S, connections: STALL_CONNECTIONS });
      runs.autocannon.push({ ...stallBrief(ac, 'autocannon'), latencyTotalCount: ac.result.latency.totalCount });
      await sleep(500);
    }
    await stopTarget(stallT);
    const median = (xs) => {
      const v = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
      if (!v.length) return null;
      return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    };
    const agg = (list) => {
      const med = Object.fromEntries(keys.map((k) => [k, median(list.map((r) => r.latencyMs[k]))]));
      const spread = Object.fromEntries(keys.map((k) => [k, [Math.min(...list.map((r) => r.latencyMs[k])), Math.max(...list.map((r) => r.latencyMs[k]))]]));
      return { latencyMs: med, spreadMs: spread, errVsTruthPct: Object.fromEntries(keys.map((k) => [k, round(err(med[k], truth[k]), 1)])) };
    };
    const rhA = agg(runs.rushhour);
    const acA = agg(runs.autocannon);
    results.c = {
      rate: STALL_RATE,
      durationS: STALL_DURATION_S,
      stallMs: [STALL_FROM_MS, STALL_TO_MS],
      connections: STALL_CONNECTIONS,
      repeats: STALL_REPEATS,
      truth,
      rushhour: rhA,
      autocannon: acA,
      ratio: Object.fromEntries(keys.map((k) => [k, ratio(rhA.latencyMs[k], acA.latencyMs[k])])),
      runs,
    };
    const spread = (a, k) => (STALL_REPEATS > 1 ? `${fmt(a.spreadMs[k][0], 0)}–${fmt(a.spreadMs[k][1], 0)}` : '');
    const p50ok = (v) => (v < 1 ? 'ok (<1)' : 'over 1 ms');
    table(
      `(c) one ${S / 1000} s stall (${STALL_FROM_MS / 1000}–${STALL_TO_MS / 1000} s of the measured window), ${STALL_RATE}/s, ${STALL_DURATION_S} s, ${STALL_CONNECTIONS} connections — latency ms` +
        (STALL_REPEATS > 1 ? `, median of ${STALL_REPEATS} tries (min–max beside)` : ''),
      ['quantile', 'truth', 'rushhour', 'rh min–max', 'rh err %', 'autocannon', 'ac min–max', 'ac err %', 'ratio rh/ac'],
      keys.map((k) => {
        const zero = k === 'p50' && truth[k] === 0;
        return [label[k], zero ? '< 1' : truth[k], rhA.latencyMs[k], spread(rhA, k), zero ? p50ok(rhA.latencyMs[k]) : rhA.errVsTruthPct[k], acA.latencyMs[k], spread(acA, k), zero ? p50ok(acA.latencyMs[k]) : acA.errVsTruthPct[k], results.c.ratio[k]];
      }),
    );
    runs.rushhour.forEach((r, i) => {
      const a = runs.autocannon[i];
      process.stdout.write(
        `  try ${i + 1}: rushhour p50/p90/p99/p99.9 ${keys.map((k) => fmt(r.latencyMs[k], 1)).join('/')} ms; service time p99 ${fmt(r.extra.serviceTimeMs?.p99)} ms, schedule lag p99/max ${fmt(r.extra.scheduleLagMs?.p99)}/${fmt(r.extra.scheduleLagMs?.max)} ms, worst event-loop delay ${fmt(r.extra.maxEventLoopLagMs)} ms; ` +
          `backlog ~${r.postStall.backlogToSend} reached the target ${r.postStall.caughtUpAfterMs === null ? 'not within 3 s' : `${r.postStall.caughtUpAfterMs} ms`} after the release. ` +
          `autocannon ${keys.map((k) => fmt(a.latencyMs[k], 1)).join('/')} ms, ${a.completed} completed, histogram count ${a.latencyTotalCount}.\n`,
      );
    });
    process.stdout.write(`  Held at the target per try: ${STALL_CONNECTIONS} (one per connection) for both tools. The truth assumes zero service time; the time to drain rushhour's backlog through ${STALL_CONNECTIONS} connections adds to every arrival queued behind it.\n`);
    process.stdout.write('  Aim: rushhour within 10 % of the truth for p90/p99/p99.9.\n\n');
  }

  // ---- (d): peak RSS ---------------------------------------------------------------------
  if (needRss) {
    log(`(d) ${RSS_RATE}/s for ${RSS_DURATION_S} s: rushhour…`);
    const rh = await runRushhour(plain, { rate: RSS_RATE, durationS: RSS_DURATION_S, connections: CONNECTIONS });
    await sleep(500);
    log(`(d) ${RSS_RATE}/s for ${RSS_DURATION_S} s: autocannon…`);
    const ac = await runAutocannon(plain, { rate: RSS_RATE, durationS: RSS_DURATION_S, connections: CONNECTIONS });
    // RSS at quarters of the process's life, to show growth (a soak must not grow).
    const quarters = (r) => [0.25, 0.5, 0.75, 1].map((f) => {
      const s = r.rssSeriesMb;
      if (!s.length) return null;
      const tEnd = s[s.length - 1].tMs;
      const pick = s.filter((x) => x.tMs <= f * tEnd).pop() ?? s[0];
      return round(pick.rssKb / 1024, 1);
    });
    // When the high-water mark was reached, against the process's life and its measured window,
    // and the RSS once a second (for the JSON).
    const when = (r) => {
      const s = r.rssSeriesMb;
      const peak = s.length ? s[s.length - 1].hwmKb : null;
      const at = s.find((x) => x.hwmKb === peak);
      const winStart = r.windowStartMs;
      const winEnd = winStart === null ? null : winStart + RSS_DURATION_S * 1000;
      const tMs = at ? at.tMs : null;
      const phase = tMs === null || winStart === null ? 'unknown' : tMs < winStart ? 'before the measured window (start-up/warm-up)' : tMs <= winEnd ? 'during the measured window' : 'after the measured window (drain/finalize/exit)';
      const perSecond = [];
      for (const x of s) if (!perSecond.length || x.tMs - perSecond[perSecond.length - 1][0] >= 1000) perSecond.push([x.tMs, round(x.rssKb / 1024, 1)]);
      return { peakReachedAtMs: tMs, windowStartMs: winStart, windowEndMs: winEnd, processLifeMs: r.wallMs, phase, rssPerSecondMb: perSecond };
    };
    results.d = {
      rate: RSS_RATE,
      durationS: RSS_DURATION_S,
      rushhour: { peakRssMb: round(rh.peakRssMb, 1), rssAtQuartersMb: quarters(rh), peakTiming: when(rh), rateErrPct: round(rh.rateErrPct, 3), cpuUsPerReqSteady: round(rh.steady?.cpuUsPerReq, 2), latencyMs: rh.latency },
      autocannon: { peakRssMb: round(ac.peakRssMb, 1), rssAtQuartersMb: quarters(ac), peakTiming: when(ac), rateErrPct: round(ac.rateErrPct, 3), cpuUsPerReqSteady: round(ac.steady?.cpuUsPerReq, 2), latencyMs: ac.latency },
    };
    results.d.ratio = { peakRss: ratio(results.d.rushhour.peakRssMb, results.d.autocannon.peakRssMb) };
    table(
      `(d) peak RSS (VmHWM) at ${RSS_RATE}/s over ${RSS_DURATION_S} s, ${CONNECTIONS} connections`,
      ['tool', 'peak RSS MB', 'RSS @25% MB', '@50%', '@75%', 'last seen', 'rate err %', 'µs/req steady'],
      [
        ['rushhour', results.d.rushhour.peakRssMb, ...results.d.rushhour.rssAtQuartersMb, results.d.rushhour.rateErrPct, results.d.rushhour.cpuUsPerReqSteady],
        ['autocannon', results.d.autocannon.peakRssMb, ...results.d.autocannon.rssAtQuartersMb, results.d.autocannon.rateErrPct, results.d.autocannon.cpuUsPerReqSteady],
        ['ratio rh/ac', results.d.ratio.peakRss, null, null, null, null, null, null],
      ],
    );
    for (const [name, t] of [['rushhour', results.d.rushhour.peakTiming], ['autocannon', results.d.autocannon.peakTiming]]) {
      process.stdout.write(`  ${name}: peak reached ${t.peakReachedAtMs === null ? '?' : `${(t.peakReachedAtMs / 1000).toFixed(1)} s`} after process start, ${t.phase} (window ${t.windowStartMs === null ? '?' : `${(t.windowStartMs / 1000).toFixed(1)}–${(t.windowEndMs / 1000).toFixed(1)} s`}, process exit ${(t.processLifeMs / 1000).toFixed(1)} s).\n`);
    }
    process.stdout.write('  Aim: rushhour peak RSS <= 80 MB.\n\n');
  }
  if (plain) await stopTarget(plain);

  // ---- summary ---------------------------------------------------------------------------
  meta.loadavgEnd = os.loadavg().map((x) => round(x, 2));
  const lines = ['SUMMARY (rushhour / autocannon; ratio = rh/ac)', `  ${PINNING}`, `  load avg at start ${meta.loadavgStart.join(' ')}, at end ${meta.loadavgEnd.join(' ')}`];
  if (results.a && ONLY.has('a')) {
    for (const x of results.a) lines.push(`  (a) ${String(x.rate).padStart(5)}/s  achieved ${fmt(x.rushhour.achieved, 1)} / ${fmt(x.autocannon.achieved, 1)}  err % ${fmt(x.rushhour.rateErrPct, 3)} / ${fmt(x.autocannon.rateErrPct, 3)}  ratio ${fmt(x.ratio.achieved, 3)}${Math.abs(x.rushhour.rateErrPct) > 0.5 ? '  [rushhour over the 0.5 % aim]' : ''}`);
  }
  if (results.b) {
    const b = results.b;
    lines.push(`  (b) CPU µs/req @${b.rate}/s  whole ${fmt(b.rushhour.usPerReqWhole)} / ${fmt(b.autocannon.usPerReqWhole)}  ratio ${fmt(b.ratio.whole, 3)};  steady ${fmt(b.rushhour.usPerReqSteady)} / ${fmt(b.autocannon.usPerReqSteady)}  ratio ${fmt(b.ratio.steady, 3)}`);
  }
  if (results.c) {
    const c = results.c;
    if (c.repeats > 1) lines.push(`  (c) stall percentiles: median of ${c.repeats} tries per tool`);
    for (const k of ['p50', 'p90', 'p99', 'p999']) {
      const e = c.rushhour.errVsTruthPct[k];
      lines.push(`  (c) ${k.padEnd(4)} truth ${k === 'p50' && c.truth[k] === 0 ? '<1' : c.truth[k]} ms  ${fmt(c.rushhour.latencyMs[k])} / ${fmt(c.autocannon.latencyMs[k])} ms  err vs truth % ${fmt(e, 1)} / ${fmt(c.autocannon.errVsTruthPct[k], 1)}  ratio ${fmt(c.ratio[k], 3)}${k !== 'p50' && e !== null && Math.abs(e) > 10 ? '  [rushhour outside the 10 % aim]' : ''}`);
    }
  }
  if (results.d) {
    const d = results.d;
    lines.push(`  (d) peak RSS @${d.rate}/s ${d.durationS} s  ${fmt(d.rushhour.peakRssMb, 1)} / ${fmt(d.autocannon.peakRssMb, 1)} MB  ratio ${fmt(d.ratio.peakRss, 3)}${d.rushhour.peakRssMb > 80 ? '  [rushhour over the 80 MB aim]' : ''}`);
  }
  const file = path.join(RESULTS_DIR, `${stamp}${QUICK ? '-quick' : ''}.json`);
  lines.push(`  written to ${path.relative(ROOT, file)}`);
  process.stdout.write(lines.join('\n') + '\n');
  results.summaryLines = lines;
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
  if (!opt['keep-runs']) fs.rmSync(runsDir, { recursive: true, force: true });
  else process.stdout.write(`  rushhour results dirs kept in ${runsDir}\n`);
}

// A global bound on the whole bench, so nothing can hang forever.
const totalBoundMs = (RATES.length * 2 * (RATE_DURATION_S + GENERATOR_GRACE_S) + STALL_REPEATS * 2 * (STALL_DURATION_S + GENERATOR_GRACE_S) + 2 * (RSS_DURATION_S + GENERATOR_GRACE_S) + 120) * 1000;
const guard = setTimeout(() => {
  log(`! bench exceeded its overall bound of ${Math.round(totalBoundMs / 1000)} s; stopping`);
  killAll();
  process.exit(3);
}, totalBoundMs);
guard.unref();

main().then(
  () => {
    killAll();
    process.exit(0);
  },
  (e) => {
    log(`bench failed: ${e.stack ?? e}`);
    killAll();
    process.exit(1);
  },
);
