// Running one generator (rushhour or autocannon) and measuring it: its output, its CPU and memory
// from /proc, and its steady-state CPU per request; `brief` is the JSON record of one run.

import os from 'node:os';
import { spawnPinned } from './children.mjs';
import { ROOT } from './paths.mjs';
import { CLK_TCK, readProc, reapedChildTicks, ticksMs } from './proc.mjs';
import { control } from './target.mjs';
import { log, round, sleep } from './util.mjs';

const POLL_MS = 100;
export const GENERATOR_GRACE_S = 90; // a generator still alive this long after its nominal end is killed

/** Collects the child's stdout (bounded) and the tail of its stderr, line by line. */
function collectOutput(child, onStderrLine) {
  const out = { stdout: '', stderrTail: [] };
  let errBuf = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => (out.stdout.length < 50_000_000 ? (out.stdout += d) : null));
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    errBuf += d;
    let nl;
    while ((nl = errBuf.indexOf('\n')) >= 0) {
      const line = errBuf.slice(0, nl);
      errBuf = errBuf.slice(nl + 1);
      if (onStderrLine) onStderrLine(line);
      out.stderrTail.push(line.length > 400 ? line.slice(0, 400) + '…' : line);
      if (out.stderrTail.length > 40) out.stderrTail.shift();
    }
  });
  return out;
}

/** Polls /proc until the process exits, bounded by its nominal length plus a grace period. */
async function pollProc(child, { name, durationS, wallStart, state }) {
  const polled = { last: null, comm: null, samples: [] }; // samples: { tMs, ticks, rssKb, hwmKb }
  const deadline = wallStart + (durationS + GENERATOR_GRACE_S) * 1000;
  while (!state.done && Date.now() < deadline) {
    const p = readProc(child.pid);
    // A process that is exiting (or a zombie) has a stat but no Vm* lines: keep the last
    // memory figures seen while it was alive.
    if (p) {
      const last = polled.last;
      polled.last = { ticks: p.ticks, hwmKb: p.hwmKb ?? last?.hwmKb ?? null, rssKb: p.rssKb ?? last?.rssKb ?? null };
      if (p.comm !== 'taskset') polled.comm = p.comm;
      if (p.rssKb !== null) polled.samples.push({ tMs: Date.now() - wallStart, ticks: p.ticks, rssKb: p.rssKb, hwmKb: p.hwmKb });
    }
    await sleep(POLL_MS);
  }
  if (!state.done) {
    log(`  ! ${name} still running ${GENERATOR_GRACE_S} s past its end: killing it`);
    child.kill('SIGKILL');
  }
  return polled;
}

/** At 20 % and 90 % of the measured window, reads the generator's CPU ticks and the target's counters into `marks`. */
async function steadyMarks(child, marks, { durationS, target, measuredStart, exited, state }) {
  const start = await Promise.race([measuredStart, exited.then(() => null), sleep((durationS + 30) * 1000).then(() => null)]);
  if (start === null) return;
  marks.startEpochMs = start;
  for (const [key, frac] of [['a', 0.2], ['b', 0.9]]) {
    const wait = start + frac * durationS * 1000 - Date.now();
    if (wait > 0) await Promise.race([sleep(wait), exited]);
    if (state.done) return;
    const p = readProc(child.pid);
    const srv = readProc(target.pid);
    const s = await control(target.port, 'GET', '/__stats').catch(() => null);
    if (!p || !s) return;
    marks[key] = { epochMs: Date.now(), ticks: p.ticks, requests: s.requests, serverTicks: srv?.ticks ?? null };
  }
}

/** Steady-state CPU per request between the two marks, or null without both. */
function steadyFigures({ a, b }) {
  if (!(a && b && b.requests > a.requests)) return null;
  const ms = ticksMs(b.ticks - a.ticks);
  return {
    windowMs: b.epochMs - a.epochMs,
    cpuMs: ms,
    requests: b.requests - a.requests,
    cpuUsPerReq: (ms * 1000) / (b.requests - a.requests),
    cpuUtilPct: (100 * ms) / (b.epochMs - a.epochMs),
    // What the target saw: requests per second arriving at it in the window, and its own CPU.
    targetRate: (1000 * (b.requests - a.requests)) / (b.epochMs - a.epochMs),
    targetCpuUtilPct: a.serverTicks === null || b.serverTicks === null ? null : (100 * (b.serverTicks - a.serverTicks) * (1000 / CLK_TCK)) / (b.epochMs - a.epochMs),
  };
}

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
export async function runGenerator({ name, argv, durationS, target, onStderrLine, measuredStart }) {
  const loadBefore = os.loadavg()[0];
  const serverBefore = readProc(target.pid);
  const reapedBefore = reapedChildTicks();
  const wallStart = Date.now();
  const child = spawnPinned(1, [process.execPath, ...argv], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const out = collectOutput(child, onStderrLine);
  const state = { done: false };
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  exited.then(() => (state.done = true));
  const poller = pollProc(child, { name, durationS, wallStart, state });
  const marks = {};
  const markTask = steadyMarks(child, marks, { durationS, target, measuredStart, exited, state });

  const exit = await exited;
  const { last, comm, samples } = await poller;
  await markTask.catch(() => null);
  const wallMs = Date.now() - wallStart;
  const reapedAfter = reapedChildTicks();
  const serverAfter = readProc(target.pid);
  const exactTicks = reapedBefore !== null && reapedAfter !== null ? reapedAfter - reapedBefore : null;
  const serverCpuMs = serverBefore && serverAfter ? ticksMs(serverAfter.ticks - serverBefore.ticks) : null;
  return {
    name,
    exit,
    stdout: out.stdout,
    stderrTail: out.stderrTail,
    wallMs,
    comm,
    cpu: { totalMs: ticksMs(exactTicks ?? last?.ticks ?? NaN), source: exactTicks !== null ? 'cutime+cstime of the reaped child (exact)' : 'last /proc poll', polledMs: last ? ticksMs(last.ticks) : null },
    steady: steadyFigures(marks),
    peakRssMb: last?.hwmKb != null ? last.hwmKb / 1024 : null,
    lastRssMb: last?.rssKb != null ? last.rssKb / 1024 : null,
    rssSeriesMb: samples,
    windowStartMs: marks.startEpochMs === undefined ? null : marks.startEpochMs - wallStart,
    server: { cpuMs: serverCpuMs, utilPct: serverCpuMs === null ? null : (100 * serverCpuMs) / wallMs },
    loadBefore,
  };
}

/** The JSON object a generator printed on stdout. */
export function parseJsonOut(res) {
  const s = res.stdout;
  const i = s.indexOf('{');
  const j = s.lastIndexOf('}');
  if (i < 0 || j < i) throw new Error(`${res.name}: no JSON on stdout (exit ${JSON.stringify(res.exit)}); stderr tail:\n${res.stderrTail.join('\n')}`);
  return JSON.parse(s.slice(i, j + 1));
}

/** The JSON record of one run (rushhour or autocannon). */
export function brief(r) {
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
