// What bench/payload-cpu.mjs and bench/http-batch.mjs share: a temporary scenario file, one rushhour
// run of it against bench/target-server.mjs (measured by bench/lib/generator.mjs: exact whole-life
// CPU, /proc ticks between 20 % and 90 % of the measured window, and the summary's own clock CPU),
// and autocannon at its own saturation (no -R). Load only ever goes to 127.0.0.1.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { HAS_PROC } from './proc.mjs';
import { parseJsonOut, runGenerator } from './generator.mjs';
import { AUTOCANNON, ROOT } from './paths.mjs';
import { AUTOCANNON_BODY } from './autocannon.mjs';
import { rushhourBin } from './rushhour.mjs';
import { control } from './target.mjs';
import { log, round, sleep } from './util.mjs';

/** Checks the build and autocannon; a temporary runs dir and a snapshot of bin/ + dist/ (so a concurrent build cannot change rushhour midway). */
export function prepareRuns(prefix, snapshot = true) {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'run.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!fs.existsSync(AUTOCANNON)) throw new Error('node_modules/autocannon is missing: run `npm install`');
  if (!HAS_PROC) log('! /proc is not available: CPU figures will be missing');
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), `rushhour-${prefix}-`));
  const bin = rushhourBin(runsDir, snapshot);
  const distBuiltAt = fs.statSync(path.join(ROOT, 'dist', 'commands', 'run.js')).mtime.toISOString();
  return { runsDir, bin, dist: path.join(path.dirname(path.dirname(bin)), 'dist'), distBuiltAt, keepRuns: false };
}

/** Writes a scenario (a plain object) as YAML into `dir`; returns its path. */
export function writeScenario(dir, name, scenario) {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, YAML.stringify(scenario));
  return file;
}

/** The first ordinary request the target saw after its reset (epoch ms), bounded by 30 s or `state.done`. */
async function firstRequestEpoch(port, state) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !state.done) {
    const s = await control(port, 'GET', '/__stats').catch(() => null);
    if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
    await sleep(50);
  }
  return null;
}

/** rushhour's measured clock start, from the `start` event of `--log jsonl` on stderr. */
function startWatcher() {
  let resolve;
  const measuredStart = new Promise((r) => (resolve = r));
  const onStderrLine = (line) => {
    if (!line.startsWith('{"type":"start"')) return;
    const m = line.match(/"startEpochMs":(\d+(?:\.\d+)?)/);
    if (m) resolve(Number(m[1]));
  };
  return { measuredStart, onStderrLine, cancel: () => resolve(null) };
}

/**
 * One `rushhour run FILE` against the target (its URL is in the file); `durationS` is the file's
 * phase length. Returns the figures per message: `msgsPerReq` from the summary's batch requests
 * (1 without batching) turns the target's request count into messages for the steady window.
 */
export async function runScenario(ctx, target, { file, durationS, label }) {
  const out = path.join(ctx.runsDir, `run-${label}-${Date.now()}`);
  await control(target.port, 'POST', '/__reset');
  const w = startWatcher();
  const res = await runGenerator({
    name: 'rushhour',
    durationS,
    target,
    measuredStart: w.measuredStart,
    argv: [ctx.bin, 'run', file, '--out', out, '--json', '--log', 'jsonl'],
    onStderrLine: w.onStderrLine,
  }).finally(w.cancel);
  const s = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  if (!ctx.keepRuns) fs.rmSync(out, { recursive: true, force: true });
  const msgsPerReq = s.requests && s.requests.count > 0 ? s.requests.records / s.requests.count : 1;
  const sent = s.counts.sent;
  const clockCpuMs = s.generator.cpuMs;
  const steadyMsgs = res.steady ? res.steady.requests * msgsPerReq : null;
  return {
    label,
    summary: s,
    stats,
    target: s.rate.target,
    achieved: s.rate.achieved,
    sent,
    ok: s.counts.ok,
    failed: s.counts.failed,
    dropped: s.counts.dropped,
    unfinished: s.counts.unfinished,
    requests: s.requests ? s.requests.count : s.counts.sent,
    msgsPerReq,
    meanRequestBytes: stats.requests ? stats.bytes / stats.requests : null,
    latencyMs: { p50: s.latency.p50, p99: s.latency.p99 },
    loopLagMs: s.generator.maxEventLoopLagMs,
    // Messages per second that reached the target between 20 % and 90 % of the window.
    seenRate: res.steady ? res.steady.targetRate * msgsPerReq : null,
    cpuUtilPct: res.steady ? res.steady.cpuUtilPct : null,
    targetCpuPct: res.steady ? res.steady.targetCpuUtilPct : null,
    usPerMsg: {
      steady: res.steady && steadyMsgs > 0 ? (res.steady.cpuMs * 1000) / steadyMsgs : null,
      clock: clockCpuMs !== null && sent > 0 ? (clockCpuMs * 1000) / sent : null,
      whole: sent > 0 ? (res.cpu.totalMs * 1000) / sent : null,
    },
    cpuMs: { steady: res.steady?.cpuMs ?? null, clock: clockCpuMs, whole: res.cpu.totalMs },
    peakRssMb: res.peakRssMb,
    exit: res.exit,
    wallMs: res.wallMs,
  };
}

/**
 * autocannon POSTing its fixed 354-byte body: `rate` → its -R mode, none → as fast as it can
 * (its saturation) over `connections`. Figures per request, the same three ways as rushhour's
 * (its clock: the CPU of its whole life, which has no warm-up; whole is the same figure).
 */
export async function runAutocannonAt(target, { rate, durationS, connections }) {
  await control(target.port, 'POST', '/__reset');
  const state = { done: false };
  const argv = [AUTOCANNON, ...(rate ? ['-R', String(rate)] : []), '-c', String(connections), '-d', String(durationS), '-m', 'POST', '-H', 'content-type=application/json', '-b', AUTOCANNON_BODY, '-j', '-n', target.url];
  const res = await runGenerator({ name: 'autocannon', argv, durationS, target, measuredStart: firstRequestEpoch(target.port, state) }).finally(() => (state.done = true));
  const r = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  const completed = r.requests.total;
  return {
    label: rate ? `autocannon -R ${rate}` : 'autocannon (saturated)',
    target: rate ?? null,
    achieved: completed / durationS,
    completed,
    errors: r.errors + r.timeouts + r.non2xx,
    seenRate: res.steady ? res.steady.targetRate : null,
    cpuUtilPct: res.steady ? res.steady.cpuUtilPct : null,
    targetCpuPct: res.steady ? res.steady.targetCpuUtilPct : null,
    meanRequestBytes: stats.requests ? stats.bytes / stats.requests : null,
    latencyMs: { p50: r.latency.p50, p99: r.latency.p99 },
    usPerReq: { steady: res.steady ? res.steady.cpuUsPerReq : null, whole: completed > 0 ? (res.cpu.totalMs * 1000) / completed : null },
    cpuMs: { steady: res.steady?.cpuMs ?? null, whole: res.cpu.totalMs },
    peakRssMb: res.peakRssMb,
    exit: res.exit,
    wallMs: res.wallMs,
  };
}

/** One CPU-second's worth: items per second of CPU from µs per item. */
export const perCpuSecond = (us) => (us ? round(1e6 / us, 0) : null);
