#!/usr/bin/env node
// CPU per message through rushhour's SQS target, three ways in one run, each at the same offered
// rate. A benchmark, never a test: it prints figures, ratios and whether the aims are met, and
// writes them to bench/results/sqs-<timestamp>.json; it never fails on a figure.
//
//   npm run build && node bench/sqs-cpu.mjs [--rate 2000] [--duration 8] [--quick]
//        [--floor-batch 10] [--no-matched] [--perf] [--keep-runs] [--no-snapshot]
//
// (a) rushhour `run --target sqs:telemetry --json --log none` into fauxqs (its own process, queue created first)
// (b) rushhour into a no-op SQS endpoint (bench/sqs-noop-server.mjs): the generator's ceiling
// (c) the floor: a bare paced SendMessageBatch loop through the same SDK client settings
//     (bench/sqs-floor.mjs), 10 entries a call, rushhour's own messages, into the same endpoint
// (c') the same floor at rushhour's own entries per call (from (b)), only where that is under 9
//     (a low rate, where the linger closes batches before they are full), unless --no-matched
// --quick: 1,000 msg/s for 4 s. --perf (Linux perf installed and allowed): one more (b) and floor
// run each under `perf record` (all threads, native and kernel frames too), the samples sorted
// into buckets (bench/lib/perf-buckets.mjs), side by side in µs per message.
//
// Load only ever goes to 127.0.0.1. Endpoints run on core 0, generators on core 1 (taskset).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HAS_TASKSET, killAll, PINNING } from './lib/children.mjs';
import { HAS_PERF, PERF_HZ } from './lib/perf-buckets.mjs';
import { FAUXQS_SERVER, NOOP_SERVER, runFloor, runRushhourSqs, saveSample, startEndpoint, stopEndpoint } from './lib/sqs-runs.mjs';
import { RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { CLK_TCK, HAS_PROC } from './lib/proc.mjs';
import { buildMeta } from './lib/report.mjs';
import { rushhourBin } from './lib/rushhour.mjs';
import { fmt, log, num, ratio, round, say, table } from './lib/util.mjs';

const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'floor-batch': { type: 'string', default: '10' },
    'no-matched': { type: 'boolean', default: false },
    perf: { type: 'boolean', default: false },
    'keep-runs': { type: 'boolean', default: false },
    'no-snapshot': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  say(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 18).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

const cfg = {
  quick: opt.quick,
  rate: Math.round(num(opt.rate, opt.quick ? 1000 : 2000)),
  durationS: num(opt.duration, opt.quick ? 4 : 8),
  floorBatch: Math.min(10, Math.round(num(opt['floor-batch'], 10))),
  concurrency: 16, // the SQS target's default calls in flight; the floor uses the same
  matched: !opt['no-matched'],
  perf: opt.perf,
  keepRuns: opt['keep-runs'],
  snapshot: !opt['no-snapshot'],
  queue: 'telemetry',
};
const AIM_US = 10;
const AIM_RATIO = 1.3;
const SQS_TARGET_JS = path.join(ROOT, 'dist', 'targets', 'sqs', 'sqs-target.js');

function prepare() {
  if (!fs.existsSync(SQS_TARGET_JS)) throw new Error('dist/ has no SQS target: run `npm run build` first');
  for (const m of ['fauxqs', '@aws-sdk/client-sqs']) if (!fs.existsSync(path.join(ROOT, 'node_modules', m))) throw new Error(`node_modules/${m} is missing: run \`npm install\``);
  if (!HAS_PROC) log('! /proc is not available: CPU figures will be missing');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const gi = path.join(RESULTS_DIR, '.gitignore');
  if (!fs.existsSync(gi)) fs.writeFileSync(gi, '*\n!.gitignore\n');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rushhour-sqs-bench-'));
  const bin = rushhourBin(runsDir, cfg.snapshot);
  const distBuiltAt = fs.statSync(SQS_TARGET_JS).mtime.toISOString();
  return { stamp, distBuiltAt, ctx: { bin, dist: path.join(path.dirname(path.dirname(bin)), 'dist'), runsDir, keepRuns: cfg.keepRuns, seq: 0 } };
}

const version = (m) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', m, 'package.json'), 'utf8')).version;

function meta(distBuiltAt) {
  const m = buildMeta({ ...cfg, rateDurationS: cfg.durationS, connections: cfg.concurrency }, distBuiltAt);
  // Only what applies here from the HTTP bench's metadata.
  const { autocannonVersion: _a, autocannonBodyBytes: _b, stallConnections: _s, durations: _d, stallClock: _c, cpuMethod: _m, connections: _n, ...rest } = m;
  return {
    ...rest,
    rate: cfg.rate,
    durationS: cfg.durationS,
    concurrency: cfg.concurrency,
    floorBatch: cfg.floorBatch,
    sdk: version('@aws-sdk/client-sqs'),
    fauxqs: version('fauxqs'),
    cpuMethod: {
      steady: 'utime+stime ticks of the generator process between 20 % and 90 % of its measured window (from its first SendMessageBatch as the endpoint sees it) / messages the endpoint received in that interval',
      clock: 'rushhour: summary.generator.cpuUsPerRequest (CPU of the rushhour process while its clock ran / messages sent); floor: its process.cpuUsage() over its paced loop / messages sent',
      whole: 'utime+stime of the generator process over its whole life (start-up, module loading, warm-up, run, shutdown; exact, from cutime+cstime after reaping) / messages of the measured window',
    },
  };
}

/** Printing of the extra (perf) runs waits until the main table is out. */
const deferred = [];
const pct = (x) => (x === null ? 'n/a' : `${fmt(x, 1)} %`);

function printTable(rows, floor) {
  table(
    `CPU per message through the SQS target at ${cfg.rate} msg/s for ${cfg.durationS} s (${cfg.concurrency} calls in flight; ratios against (c), the bare SDK loop)`,
    ['run', 'achieved/s', 'endpoint/s', 'messages', 'calls', 'msg/call', 'µs/msg steady', 'clock', 'whole', 'steady ×(c)', 'clock ×(c)', 'whole ×(c)', 'gen CPU', 'endpoint CPU'],
    rows.map(([label, f]) => [
      label, f.achieved, f.steady?.endpointRate ?? null, f.messages, f.calls, f.recordsPerCall,
      f.cpuUsPerMsg.steady, f.cpuUsPerMsg.clock, f.cpuUsPerMsg.whole,
      floor ? ratio(f.cpuUsPerMsg.steady, floor.cpuUsPerMsg.steady) : null,
      floor ? ratio(f.cpuUsPerMsg.clock, floor.cpuUsPerMsg.clock) : null,
      floor ? ratio(f.cpuUsPerMsg.whole, floor.cpuUsPerMsg.whole) : null,
      pct(f.steady?.cpuUtilPct ?? null), pct(f.steady?.endpointCpuUtilPct ?? null),
    ]),
  );
}

function aimLines(res) {
  const lines = [];
  const b = res.runs.b?.figures;
  const c = res.runs.c?.figures;
  const a = res.runs.a?.figures;
  const pick = (f) => (f.cpuUsPerMsg.steady !== null ? ['steady', f.cpuUsPerMsg.steady] : ['whole', f.cpuUsPerMsg.whole]);
  const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');
  res.aims = {};
  if (b) {
    const [kind, v] = pick(b);
    res.aims.cpuUsPerMsgIntoNoop = { aim: AIM_US, kind, value: v, met: v === null ? null : v <= AIM_US };
    lines.push(`  aim: ≤ ${AIM_US} µs of CPU per message into the no-op endpoint — (b) ${fmt(v)} µs (${kind}): ${verdict(res.aims.cpuUsPerMsgIntoNoop.met)}`);
  }
  if (b && c) {
    const [kind] = pick(b);
    const r = ratio(b.cpuUsPerMsg[kind], c.cpuUsPerMsg[kind]);
    res.aims.ratioToFloor = { aim: AIM_RATIO, kind, value: r, met: r === null ? null : r <= AIM_RATIO };
    lines.push(`  aim: ≤ ${AIM_RATIO}× the bare SDK loop — (b)/(c) ${fmt(r, 3)} (${kind}): ${verdict(res.aims.ratioToFloor.met)}`);
    if (a) lines.push(`       (a)/(c) ${fmt(ratio(a.cpuUsPerMsg[kind], c.cpuUsPerMsg[kind]), 3)} (${kind}), into fauxqs (for reference; the aim is about (b))`);
  }
  const cm = res.runs.cMatched?.figures;
  if (b && cm) {
    const [kind] = pick(b);
    lines.push(`       (b)/(c') ${fmt(ratio(b.cpuUsPerMsg[kind], cm.cpuUsPerMsg[kind]), 3)} (${kind}) against the floor at rushhour's own ${cm.recordsPerCall} messages per call`);
  }
  return lines;
}

/** µs of CPU per message of a bucket of perf samples, over the recorded seconds at the offered rate. */
const perfUs = (samples, p) => (samples * 1e6) / PERF_HZ / (cfg.rate * p.seconds);

/** One more (b) and floor run under `perf record`; prints the buckets side by side in µs per message. */
async function perfRuns(ctx, noop, messagesFile, dir, floorBatch) {
  fs.mkdirSync(dir, { recursive: true });
  const load = { queue: cfg.queue, rate: cfg.rate, durationS: cfg.durationS, nodeArgs: ['--perf-basic-prof'] };
  log('perf: (b) rushhour → no-op under perf record…');
  const b = await runRushhourSqs(ctx, noop, { ...load, perf: path.join(dir, 'rushhour.perf.data') });
  log(`perf: SDK floor (${floorBatch}/call) → no-op under perf record…`);
  const c = await runFloor(ctx, noop, { ...load, batch: floorBatch, messagesFile, concurrency: cfg.concurrency, perf: path.join(dir, 'floor.perf.data') });
  const out = { rushhour: b.perf, floor: c.perf, floorBatch, figures: { rushhour: b.figures, floor: c.figures } };
  if (!b.perf || b.perf.error || !c.perf || c.perf.error) {
    deferred.push(() => say(`perf: no samples (${b.perf?.error ?? ''} ${c.perf?.error ?? ''})\n\n`));
    return out;
  }
  deferred.push(() => printPerf(b, c, floorBatch));
  return out;
}

function printPerf(b, c, floorBatch) {
  const names = [...new Set([...b.perf.buckets.map((x) => x.name), ...c.perf.buckets.map((x) => x.name)])];
  const get = (p, n) => p.buckets.find((x) => x.name === n)?.samples ?? 0;
  const rows = names.map((n) => [n, round(perfUs(get(b.perf, n), b.perf), 2), round(perfUs(get(c.perf, n), c.perf), 2), round(perfUs(get(b.perf, n), b.perf) - perfUs(get(c.perf, n), c.perf), 2)]);
  rows.sort((x, y) => y[1] - x[1]);
  rows.push(['total (perf samples)', round(perfUs(b.perf.samples, b.perf), 2), round(perfUs(c.perf.samples, c.perf), 2), round(perfUs(b.perf.samples, b.perf) - perfUs(c.perf.samples, c.perf), 2)]);
  rows.push(['same runs, /proc steady (for comparison)', b.figures.cpuUsPerMsg.steady, c.figures.cpuUsPerMsg.steady, b.figures.cpuUsPerMsg.steady !== null && c.figures.cpuUsPerMsg.steady !== null ? round(b.figures.cpuUsPerMsg.steady - c.figures.cpuUsPerMsg.steady, 2) : null]);
  table(
    `perf record, ${PERF_HZ} Hz, all threads, 20–90 % of the window — CPU µs per message by where the innermost known frame of each sample lies (extra runs, not the table above)`,
    ['bucket', '(b) rushhour', `floor ${floorBatch}/call`, 'difference'],
    rows,
  );
  const leaves = (p) => p.topLeaves.slice(0, 10).map((l) => `    ${fmt(perfUs(l.samples, p), 2).padStart(6)} µs  ${l.name.replace(/ \(\/tmp\/perf-\d+\.map\)$/, '').slice(0, 130)}`).join('\n');
  say(`  top leaf frames, (b) rushhour (main thread):\n${leaves(b.perf)}\n  top leaf frames, floor (main thread):\n${leaves(c.perf)}\n\n`);
}

async function main() {
  const { stamp, distBuiltAt, ctx } = prepare();
  const res = { meta: meta(distBuiltAt), runs: {} };
  say(`rushhour SQS target — CPU per message, ${cfg.quick ? 'QUICK run (short; figures are rough)' : 'full run'}: ${cfg.rate} msg/s for ${cfg.durationS} s each\n`);
  say(`${PINNING}; endpoints (no-op server, fauxqs) take the target's core\n`);
  if (cfg.perf && !HAS_PERF) say('--perf: `perf record` is not available here (not installed, or perf_event_paranoid forbids it): skipped\n');
  say(`node ${process.version}, ${res.meta.cpus} cpus (${res.meta.cpuModel}), @aws-sdk/client-sqs ${res.meta.sdk}, fauxqs ${res.meta.fauxqs}, CLK_TCK ${CLK_TCK}, load avg ${res.meta.loadavgStart.join(' ')}\n`);
  say(`rushhour: dist/ built ${distBuiltAt}${res.meta.gitRev ? `, git ${res.meta.gitRev}${res.meta.gitDirty ? ' + uncommitted src/ changes' : ''}` : ''}${cfg.snapshot ? ' (snapshot taken at start)' : ''}\n`);
  say('Shared, noisy machine: figures are indicative; compare the rows of one run, not runs.\n\n');

  const messagesFile = path.join(ctx.runsDir, 'messages.json');
  const load = { queue: cfg.queue, rate: cfg.rate, durationS: cfg.durationS };
  const noop = await startEndpoint(NOOP_SERVER, []);
  log(`(b) rushhour → no-op SQS endpoint at ${cfg.rate}/s for ${cfg.durationS} s…`);
  res.runs.b = await runRushhourSqs(ctx, noop, load);
  res.sampledMessages = await saveSample(noop, messagesFile);
  log(`(c) bare SDK loop → no-op endpoint, ${cfg.floorBatch} messages a call…`);
  res.runs.c = await runFloor(ctx, noop, { ...load, batch: cfg.floorBatch, messagesFile, concurrency: cfg.concurrency });
  const rhBatch = Math.round(res.runs.b.figures.recordsPerCall ?? cfg.floorBatch);
  if (cfg.matched && Math.abs(rhBatch - cfg.floorBatch) / cfg.floorBatch > 0.1) {
    log(`(c') bare SDK loop → no-op endpoint, ${rhBatch} messages a call (rushhour's own batch size in (b))…`);
    res.runs.cMatched = await runFloor(ctx, noop, { ...load, batch: rhBatch, messagesFile, concurrency: cfg.concurrency });
  }
  if (cfg.perf && HAS_PERF) res.perf = await perfRuns(ctx, noop, messagesFile, path.join(RESULTS_DIR, `sqs-${stamp}-perf`), res.runs.cMatched ? res.runs.cMatched.figures.floor.batch : cfg.floorBatch);
  await stopEndpoint(noop);

  const fq = await startEndpoint(FAUXQS_SERVER, ['--queue', cfg.queue]);
  log(`(a) rushhour → fauxqs (${fq.info.queueUrl}) at ${cfg.rate}/s for ${cfg.durationS} s…`);
  res.fauxqsQueueUrl = fq.info.queueUrl;
  res.runs.a = await runRushhourSqs(ctx, fq, load);
  await stopEndpoint(fq);

  const rows = [
    ['(a) rushhour → fauxqs', res.runs.a.figures],
    ['(b) rushhour → no-op', res.runs.b.figures],
    [`(c) SDK loop → no-op, ${cfg.floorBatch}/call`, res.runs.c.figures],
    ...(res.runs.cMatched ? [[`(c') SDK loop → no-op, ${res.runs.cMatched.figures.recordsPerCall}/call`, res.runs.cMatched.figures]] : []),
  ];
  printTable(rows, res.runs.c.figures);
  const notes = [];
  for (const [label, f] of rows) {
    const failed = (f.counts?.failed ?? 0) + (f.counts?.dropped ?? 0) + (f.counts?.unfinished ?? 0) + (f.floor?.failedCalls ?? 0) + (f.floor?.failedMessages ?? 0);
    const sizes = f.endpoint.meanBodyBytes !== null ? `; body ${fmt(f.endpoint.meanBodyBytes, 0)} B + attributes ${fmt(f.endpoint.meanAttributeBytes, 0)} B a message` : '';
    notes.push(`  ${label}: ${failed ? `${failed} failed/dropped/unfinished` : 'all ok'}${sizes}; request ${fmt(f.endpoint.meanRequestBytesPerMessage, 0)} B a message; peak RSS ${fmt(f.peakRssMb, 0)} MB; CPU ms steady/clock/whole ${fmt(f.cpuMs.steady, 0)}/${fmt(f.cpuMs.clock, 0)}/${fmt(f.cpuMs.whole, 0)}${f.warmup ? `; warm-up ${f.warmup.requests} msgs in ${fmt(f.warmup.durationMs, 0)} ms` : ''}${f.latencyMs ? `; latency p50/p99 ${fmt(f.latencyMs.p50)}/${fmt(f.latencyMs.p99)} ms` : ''}`);
  }
  say(notes.join('\n') + '\n');
  say(`  ((a)'s fauxqs endpoint is not measured for body sizes: it is passed through unparsed)\n\n`);
  const aims = aimLines(res);
  say(aims.join('\n') + '\n\n');
  for (const f of deferred) f();

  res.meta.loadavgEnd = os.loadavg().map((x) => round(x, 2));
  for (const k of Object.keys(res.runs)) delete res.runs[k].raw;
  res.aimLines = aims;
  const file = path.join(RESULTS_DIR, `sqs-${stamp}${cfg.quick ? '-quick' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify(res, null, 2) + '\n');
  say(`  load avg at start ${res.meta.loadavgStart.join(' ')}, at end ${res.meta.loadavgEnd.join(' ')}; ${HAS_TASKSET ? 'pinned' : 'not pinned'}\n  written to ${path.relative(ROOT, file)}\n`);
  if (!cfg.keepRuns) fs.rmSync(ctx.runsDir, { recursive: true, force: true });
  else say(`  rushhour results dirs kept in ${ctx.runsDir}\n`);
}

// A global bound on the whole bench, so nothing can hang forever.
const runs = 4 + (cfg.perf ? 2 : 0);
const totalBoundMs = (runs * (cfg.durationS + 45) + 60) * 1000;
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
