// Running rushhour: a snapshot of the build taken at start, and one run against the target.

import fs from 'node:fs';
import path from 'node:path';
import { parseJsonOut, runGenerator } from './generator.mjs';
import { ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { pick } from './util.mjs';

/**
 * The rushhour to run. Others may run `npm run build` while the bench runs; with `snapshot`, every
 * rushhour run uses a copy of bin/, dist/ and package.json taken now (node_modules is linked, not
 * copied) under `runsDir`.
 */
export function rushhourBin(runsDir, snapshot) {
  if (!snapshot) return path.join(ROOT, 'bin', 'run.js');
  const snap = path.join(runsDir, 'rushhour-snapshot');
  fs.mkdirSync(snap);
  for (const d of ['bin', 'dist', 'schemas']) if (fs.existsSync(path.join(ROOT, d))) fs.cpSync(path.join(ROOT, d), path.join(snap, d), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(snap, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(snap, 'node_modules'), 'dir');
  return path.join(snap, 'bin', 'run.js');
}

let runSeq = 0;

/** A resolvable promise of rushhour's startEpochMs, and the stderr-line handler that resolves it. */
function startEventWatcher(onStart) {
  let resolveStart;
  const measuredStart = new Promise((r) => (resolveStart = r));
  // --log jsonl: progress events go to stderr as JSON lines; the `start` event carries
  // startEpochMs, the instant rushhour's measured clock starts (after its warm-up).
  const onStderrLine = (line) => {
    if (!line.startsWith('{"type":"start"')) return;
    const m = line.match(/"startEpochMs":(\d+(?:\.\d+)?)/);
    if (!m) return;
    const epoch = Number(m[1]);
    resolveStart(epoch);
    if (onStart) onStart(epoch);
  };
  return { measuredStart, onStderrLine };
}

/** The figures of one rushhour run from its summary.json and the target's counters. */
function rushhourFigures(summary, stats) {
  const completed = summary.counts.completed ?? summary.counts.ok + summary.counts.failed;
  return {
    summary,
    stats,
    completed,
    achieved: summary.rate.achieved,
    target: summary.rate.target,
    rateErrPct: 100 * (summary.rate.achieved / summary.rate.target - 1),
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

/**
 * One rushhour run; returns its summary plus process measurements. `ctx` is { bin, runsDir,
 * keepRuns }; `onStart` gets startEpochMs as soon as the `start` event appears.
 */
export async function runRushhour(ctx, target, { rate, durationS, connections, onStart }) {
  const out = path.join(ctx.runsDir, `rushhour-${++runSeq}-${rate}`);
  await control(target.port, 'POST', '/__reset');
  const { measuredStart, onStderrLine } = startEventWatcher(onStart);
  const res = await runGenerator({
    name: 'rushhour',
    durationS,
    target,
    measuredStart,
    argv: [ctx.bin, 'run', '--target', target.url, '--rate', String(rate), '--duration', `${durationS}s`, '--connections', String(connections), '--pipelining', '1', '--out', out, '--json', '--log', 'jsonl'],
    onStderrLine,
  });
  const summary = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  if (!ctx.keepRuns) fs.rmSync(out, { recursive: true, force: true });
  return { ...res, ...rushhourFigures(summary, stats) };
}
