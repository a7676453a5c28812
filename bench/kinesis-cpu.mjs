#!/usr/bin/env node
// CPU per message through rushhour's Kinesis target, three ways in one run, each at the same
// offered rate. A benchmark, never a test: it prints figures, ratios and whether the aims are met,
// and writes them to bench/results/kinesis-<timestamp>.json; it never fails on a figure.
//
//   npm run build && node bench/kinesis-cpu.mjs [--rate 5000] [--duration 10] [--quick]
//        [--shards 4] [--floor-batch 500] [--no-matched] [--profile] [--perf] [--keep-runs] [--no-snapshot]
//
// (a) rushhour `run --target kinesis:STREAM --json --log none` into kinesalite (its own process)
// (b) rushhour into a no-op PutRecords endpoint (bench/kinesis-noop-server.mjs): the generator's ceiling
// (c) the floor: a bare paced PutRecords loop through the same SDK client settings
//     (bench/kinesis-floor.mjs), 500 records a call, rushhour's own messages, into the same endpoint
// (c') the same floor at rushhour's own records per call (from (b)), unless --no-matched
// --quick: 2,000 msg/s for 4 s. --profile: one more (b) and (c) each under node --cpu-prof, with
// the top frames of their steady window printed (those runs are not in the table). --perf (Linux
// perf installed and allowed): one more (b) and floor run each under `perf record` (all threads,
// native and kernel frames too), the samples sorted into buckets, side by side in µs per message.
//
// Load only ever goes to 127.0.0.1. Endpoints run on core 0, generators on core 1 (taskset).

import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runGuarded } from './lib/children.mjs';
import { summarizeProfile } from './lib/cpuprofile.mjs';
import { baseMeta, boundMs, noopRuns, prepare, printHeader, printHelp, report, sampleFile, version } from './lib/batch-bench.mjs';
import { KINESALITE_SERVER, NOOP_SERVER, runFloor, runRushhourKinesis, saveSample, startEndpoint, stopEndpoint } from './lib/kinesis-runs.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { fmt, log, num, say, table } from './lib/util.mjs';

const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    shards: { type: 'string', default: '4' },
    'floor-batch': { type: 'string', default: '500' },
    'no-matched': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    perf: { type: 'boolean', default: false },
    'keep-runs': { type: 'boolean', default: false },
    'no-snapshot': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) printHelp(import.meta.url);

const cfg = {
  quick: opt.quick,
  rate: Math.round(num(opt.rate, opt.quick ? 2000 : 5000)),
  durationS: num(opt.duration, opt.quick ? 4 : 10),
  shards: Math.round(num(opt.shards, 4)),
  floorBatch: Math.min(500, Math.round(num(opt['floor-batch'], 500))),
  concurrency: 8, // the Kinesis target's default calls in flight; the floor uses the same
  matched: !opt['no-matched'],
  profile: opt.profile,
  perf: opt.perf,
  keepRuns: opt['keep-runs'],
  snapshot: !opt['no-snapshot'],
  stream: 'bench',
};
const load = { stream: cfg.stream, rate: cfg.rate, durationS: cfg.durationS };

const svc = {
  name: 'kinesis',
  label: 'Kinesis',
  targetJs: path.join(ROOT, 'dist', 'targets', 'kinesis', 'kinesis-target.js'),
  modules: ['kinesalite', '@aws-sdk/client-kinesis'],
  sdkPackage: '@aws-sdk/client-kinesis',
  endpointName: 'kinesalite',
  unit: 'records',
  perCallHead: 'rec/call',
  sampleKey: 'sampledRecords',
  sampleFileName: 'records.json',
  noopLabel: `no-op endpoint (${cfg.shards} shards)`,
  failedKey: 'failedRecords',
  sizesWord: 'data',
  sizes: (f) => `; data ${fmt(f.endpoint.meanDataBytes, 0)} B + key ${fmt(f.endpoint.meanKeyBytes, 0)} B a record`,
  rushhour: (ctx, ep, extra) => runRushhourKinesis(ctx, ep, { ...load, ...extra }),
  floor: (ctx, ep, extra) => runFloor(ctx, ep, { ...load, ...extra, recordsFile: sampleFile(bench, ctx), concurrency: cfg.concurrency }),
  saveSample,
  afterFloors: async (ctx, noop, stamp, res) => {
    if (cfg.profile) res.profiles = await profileRuns(ctx, noop, path.join(RESULTS_DIR, `kinesis-${stamp}-profiles`));
  },
};
const bench = { cfg, svc, deferred: [] };

function meta(distBuiltAt) {
  return {
    ...baseMeta(cfg, distBuiltAt),
    rate: cfg.rate,
    durationS: cfg.durationS,
    shards: cfg.shards,
    concurrency: cfg.concurrency,
    floorBatch: cfg.floorBatch,
    sdk: version('@aws-sdk/client-kinesis'),
    kinesalite: version('kinesalite'),
    cpuMethod: {
      steady: 'utime+stime ticks of the generator process between 20 % and 90 % of its measured window (from its first PutRecords as the endpoint sees it) / records the endpoint received in that interval',
      clock: 'rushhour: summary.generator.cpuMs (CPU of the rushhour process while its clock ran) / messages sent = summary.generator.cpuUsPerRequest; floor: its process.cpuUsage() over its paced loop / records sent',
      whole: 'utime+stime of the generator process over its whole life (start-up, module loading, warm-up, run, shutdown; exact, from cutime+cstime after reaping) / messages of the measured window',
    },
  };
}

function printProfile(label, s, messages) {
  const per = (ms) => (messages ? fmt((ms * 1000) / messages, 2) : 'n/a');
  say(`${label}: ${s.busyMs} ms busy, ${s.idleMs} ms idle in ${fmt(s.windowMs[0], 0)}–${fmt(s.windowMs[1], 0)} ms of the profile (~${messages} messages)\n`);
  table('  self time by package / dist folder', ['where', 'ms', '%', 'µs/msg'], s.selfByGroup.map((g) => [g.name, g.ms, g.pct, per(g.ms)]));
  table('  self time by frame', ['frame', 'ms', '%', 'µs/msg'], s.selfByFrame.map((g) => [g.name.slice(0, 110), g.ms, g.pct, per(g.ms)]));
  table('  total (inclusive) time by frame', ['frame', 'ms', '%', 'µs/msg'], s.totalByFrame.map((g) => [g.name.slice(0, 110), g.ms, g.pct, per(g.ms)]));
}

/** One more (b) and (c) under node --cpu-prof; summarizes each profile's steady window. */
async function profileRuns(ctx, noop, dir) {
  fs.mkdirSync(dir, { recursive: true });
  const out = {};
  const newest = (before) => fs.readdirSync(dir).filter((f) => f.endsWith('.cpuprofile') && !before.includes(f)).map((f) => path.join(dir, f))[0];
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir];
  for (const [key, label, run] of [
    ['b', '(b) rushhour → no-op, under --cpu-prof', () => svc.rushhour(ctx, noop, { nodeArgs })],
    ['c', '(c) SDK floor → no-op, under --cpu-prof', () => svc.floor(ctx, noop, { nodeArgs, batch: cfg.floorBatch })],
  ]) {
    log(`profile: ${label}…`);
    const before = fs.readdirSync(dir);
    const r = await run();
    const file = newest(before);
    if (!file || r.figures.windowStartMs === null) {
      log(`  ! no profile or no window for ${label}`);
      continue;
    }
    const from = r.figures.windowStartMs + 0.2 * cfg.durationS * 1000;
    const to = r.figures.windowStartMs + 0.9 * cfg.durationS * 1000;
    const s = summarizeProfile(file, { fromMs: from, toMs: to });
    const messages = r.figures.steady?.records ?? Math.round(cfg.rate * 0.7 * cfg.durationS);
    out[key] = { label, file: path.relative(ROOT, file), messagesInWindow: messages, figures: r.figures, summary: s };
    bench.deferred.push(() => printProfile(label, s, messages));
  }
  return out;
}

async function main() {
  const { stamp, distBuiltAt, ctx } = prepare(bench);
  const res = { meta: meta(distBuiltAt), runs: {} };
  printHeader(bench, res, distBuiltAt);

  const noop = await startEndpoint(NOOP_SERVER, ['--shards', String(cfg.shards)]);
  await noopRuns(bench, ctx, noop, res, stamp);
  await stopEndpoint(noop);

  const kl = await startEndpoint(KINESALITE_SERVER, ['--stream', cfg.stream, '--shards', String(cfg.shards)]);
  log(`(a) rushhour → kinesalite (${cfg.shards} shards) at ${cfg.rate}/s for ${cfg.durationS} s…`);
  res.runs.a = await svc.rushhour(ctx, kl, {});
  await stopEndpoint(kl);
  report(bench, res, ctx, stamp);
}

// A global bound on the whole bench, so nothing can hang forever.
runGuarded(main, boundMs(cfg, 4 + (cfg.profile ? 2 : 0) + (cfg.perf ? 2 : 0)));
