// What bench/kinesis-cpu.mjs and bench/sqs-cpu.mjs share: the run orchestration against the no-op
// endpoint ((b), (c), (c'), --perf), the table, the notes, the aims and the results file. Each bench
// hands a `bench` of { cfg, svc, deferred }, where `svc` says what differs:
//   name ('kinesis'), label ('Kinesis'), targetJs, modules (to check), sdkPackage, endpointName
//   ('kinesalite'), unit ('records'), perCallHead ('rec/call'), sampleKey ('sampledRecords'),
//   sampleFileName ('records.json'), noopLabel (in the (b) log line), failedKey ('failedRecords'),
//   sizes(f) (the notes' size part), sizesWord ('data'),
//   rushhour(ctx, ep, extra) and floor(ctx, ep, extra): one run at cfg's load, `extra` merged in,
//   saveSample(ep, file), and optionally afterFloors(ctx, noop, stamp) (e.g. --profile runs).
// `deferred`: printing of the extra (profiled, perf) runs waits until the main table is out.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HAS_TASKSET, PINNING } from './children.mjs';
import { HAS_PERF, PERF_HZ } from './perf-buckets.mjs';
import { RESULTS_DIR, ROOT } from './paths.mjs';
import { CLK_TCK, HAS_PROC } from './proc.mjs';
import { buildMeta } from './report.mjs';
import { rushhourBin } from './rushhour.mjs';
import { fmt, log, ratio, round, say, table } from './util.mjs';

const AIM_US = 10;
const AIM_RATIO = 1.3;

/** --help: the bench's own header comment (lines 2–18 of the file at `url`). */
export function printHelp(url) {
  say(fs.readFileSync(fileURLToPath(url), 'utf8').split('\n').slice(1, 18).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}

/** Checks dist/ and node_modules, makes the results dir; a temporary dir for rushhour's results. */
export function prepare({ cfg, svc }) {
  if (!fs.existsSync(svc.targetJs)) throw new Error(`dist/ has no ${svc.label} target: run \`npm run build\` first`);
  for (const m of svc.modules) if (!fs.existsSync(path.join(ROOT, 'node_modules', m))) throw new Error(`node_modules/${m} is missing: run \`npm install\``);
  if (!HAS_PROC) log('! /proc is not available: CPU figures will be missing');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const gi = path.join(RESULTS_DIR, '.gitignore');
  if (!fs.existsSync(gi)) fs.writeFileSync(gi, '*\n!.gitignore\n');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), `rushhour-${svc.name}-bench-`));
  const bin = rushhourBin(runsDir, cfg.snapshot);
  const distBuiltAt = fs.statSync(svc.targetJs).mtime.toISOString();
  return { stamp, distBuiltAt, ctx: { bin, dist: path.join(path.dirname(path.dirname(bin)), 'dist'), runsDir, keepRuns: cfg.keepRuns, seq: 0 } };
}

/** The HTTP bench's metadata, less what does not apply here. */
export function baseMeta(cfg, distBuiltAt) {
  const m = buildMeta({ ...cfg, rateDurationS: cfg.durationS, connections: cfg.concurrency }, distBuiltAt);
  const { autocannonVersion: _a, autocannonBodyBytes: _b, stallConnections: _s, durations: _d, stallClock: _c, cpuMethod: _m, connections: _n, ...rest } = m;
  return rest;
}

export const version = (m) => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', m, 'package.json'), 'utf8')).version;

export function printHeader({ cfg, svc }, res, distBuiltAt) {
  const m = res.meta;
  say(`rushhour ${svc.label} target — CPU per message, ${cfg.quick ? 'QUICK run (short; figures are rough)' : 'full run'}: ${cfg.rate} msg/s for ${cfg.durationS} s each\n`);
  say(`${PINNING}; endpoints (no-op server, ${svc.endpointName}) take the target's core\n`);
  if (cfg.perf && !HAS_PERF) say('--perf: `perf record` is not available here (not installed, or perf_event_paranoid forbids it): skipped\n');
  say(`node ${process.version}, ${m.cpus} cpus (${m.cpuModel}), ${svc.sdkPackage} ${m.sdk}, ${svc.endpointName} ${m[svc.endpointName]}, CLK_TCK ${CLK_TCK}, load avg ${m.loadavgStart.join(' ')}\n`);
  say(`rushhour: dist/ built ${distBuiltAt}${m.gitRev ? `, git ${m.gitRev}${m.gitDirty ? ' + uncommitted src/ changes' : ''}` : ''}${cfg.snapshot ? ' (snapshot taken at start)' : ''}\n`);
  say('Shared, noisy machine: figures are indicative; compare the rows of one run, not runs.\n\n');
}

export const sampleFile = ({ svc }, ctx) => path.join(ctx.runsDir, svc.sampleFileName);

/** (b) rushhour, then (c) the floor and (c') the floor at rushhour's batch size, (extra runs), and --perf, all into the no-op endpoint `noop`. */
export async function noopRuns(bench, ctx, noop, res, stamp) {
  const { cfg, svc } = bench;
  log(`(b) rushhour → ${svc.noopLabel} at ${cfg.rate}/s for ${cfg.durationS} s…`);
  res.runs.b = await svc.rushhour(ctx, noop, {});
  res[svc.sampleKey] = await svc.saveSample(noop, sampleFile(bench, ctx));
  log(`(c) bare SDK loop → no-op endpoint, ${cfg.floorBatch} ${svc.unit} a call…`);
  res.runs.c = await svc.floor(ctx, noop, { batch: cfg.floorBatch });
  const rhBatch = Math.round(res.runs.b.figures.recordsPerCall ?? cfg.floorBatch);
  if (cfg.matched && Math.abs(rhBatch - cfg.floorBatch) / cfg.floorBatch > 0.1) {
    log(`(c') bare SDK loop → no-op endpoint, ${rhBatch} ${svc.unit} a call (rushhour's own batch size in (b))…`);
    res.runs.cMatched = await svc.floor(ctx, noop, { batch: rhBatch });
  }
  if (svc.afterFloors) await svc.afterFloors(ctx, noop, stamp, res);
  if (cfg.perf && HAS_PERF) res.perf = await perfRuns(bench, ctx, noop, path.join(RESULTS_DIR, `${svc.name}-${stamp}-perf`), res.runs.cMatched ? res.runs.cMatched.figures.floor.batch : cfg.floorBatch);
}

/** µs of CPU per message of a bucket of perf samples, over the recorded seconds at the offered rate. */
const perfUs = (cfg, samples, p) => (samples * 1e6) / PERF_HZ / (cfg.rate * p.seconds);

/** One more (b) and floor run under `perf record`; prints the buckets side by side in µs per message. */
async function perfRuns(bench, ctx, noop, dir, floorBatch) {
  const { svc, deferred } = bench;
  fs.mkdirSync(dir, { recursive: true });
  const nodeArgs = ['--perf-basic-prof'];
  log('perf: (b) rushhour → no-op under perf record…');
  const b = await svc.rushhour(ctx, noop, { nodeArgs, perf: path.join(dir, 'rushhour.perf.data') });
  log(`perf: SDK floor (${floorBatch}/call) → no-op under perf record…`);
  const c = await svc.floor(ctx, noop, { nodeArgs, batch: floorBatch, perf: path.join(dir, 'floor.perf.data') });
  const out = { rushhour: b.perf, floor: c.perf, floorBatch, figures: { rushhour: b.figures, floor: c.figures } };
  if (!b.perf || b.perf.error || !c.perf || c.perf.error) {
    deferred.push(() => say(`perf: no samples (${b.perf?.error ?? ''} ${c.perf?.error ?? ''})\n\n`));
    return out;
  }
  deferred.push(() => printPerf(bench.cfg, b, c, floorBatch));
  return out;
}

function printPerf(cfg, b, c, floorBatch) {
  const us = (samples, p) => perfUs(cfg, samples, p);
  const names = [...new Set([...b.perf.buckets.map((x) => x.name), ...c.perf.buckets.map((x) => x.name)])];
  const get = (p, n) => p.buckets.find((x) => x.name === n)?.samples ?? 0;
  const rows = names.map((n) => [n, round(us(get(b.perf, n), b.perf), 2), round(us(get(c.perf, n), c.perf), 2), round(us(get(b.perf, n), b.perf) - us(get(c.perf, n), c.perf), 2)]);
  rows.sort((x, y) => y[1] - x[1]);
  rows.push(['total (perf samples)', round(us(b.perf.samples, b.perf), 2), round(us(c.perf.samples, c.perf), 2), round(us(b.perf.samples, b.perf) - us(c.perf.samples, c.perf), 2)]);
  rows.push(['same runs, /proc steady (for comparison)', b.figures.cpuUsPerMsg.steady, c.figures.cpuUsPerMsg.steady, b.figures.cpuUsPerMsg.steady !== null && c.figures.cpuUsPerMsg.steady !== null ? round(b.figures.cpuUsPerMsg.steady - c.figures.cpuUsPerMsg.steady, 2) : null]);
  table(
    `perf record, ${PERF_HZ} Hz, all threads, 20–90 % of the window — CPU µs per message by where the innermost known frame of each sample lies (extra runs, not the table above)`,
    ['bucket', '(b) rushhour', `floor ${floorBatch}/call`, 'difference'],
    rows,
  );
  const leaves = (p) => p.topLeaves.slice(0, 10).map((l) => `    ${fmt(us(l.samples, p), 2).padStart(6)} µs  ${l.name.replace(/ \(\/tmp\/perf-\d+\.map\)$/, '').slice(0, 130)}`).join('\n');
  say(`  top leaf frames, (b) rushhour (main thread):\n${leaves(b.perf)}\n  top leaf frames, floor (main thread):\n${leaves(c.perf)}\n\n`);
}

const pct = (x) => (x === null ? 'n/a' : `${fmt(x, 1)} %`);

function printTable({ cfg, svc }, rows, floor) {
  table(
    `CPU per message through the ${svc.label} target at ${cfg.rate} msg/s for ${cfg.durationS} s (${cfg.concurrency} calls in flight; ratios against (c), the bare SDK loop)`,
    ['run', 'achieved/s', 'endpoint/s', 'messages', 'calls', svc.perCallHead, 'µs/msg steady', 'clock', 'whole', 'steady ×(c)', 'clock ×(c)', 'whole ×(c)', 'gen CPU', 'endpoint CPU'],
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

const pick = (f) => (f.cpuUsPerMsg.steady !== null ? ['steady', f.cpuUsPerMsg.steady] : ['whole', f.cpuUsPerMsg.whole]);
const verdict = (ok) => (ok === null ? 'n/a' : ok ? 'met' : 'NOT met');

/** The aims, met or not: into `res.aims`, and as lines to print. */
function aimLines(res, svc) {
  const lines = [];
  const b = res.runs.b?.figures;
  const c = res.runs.c?.figures;
  const a = res.runs.a?.figures;
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
    if (a) lines.push(`       (a)/(c) ${fmt(ratio(a.cpuUsPerMsg[kind], c.cpuUsPerMsg[kind]), 3)} (${kind}), into ${svc.endpointName} (for reference; the aim is about (b))`);
  }
  const cm = res.runs.cMatched?.figures;
  if (b && cm) {
    const [kind] = pick(b);
    lines.push(`       (b)/(c') ${fmt(ratio(b.cpuUsPerMsg[kind], cm.cpuUsPerMsg[kind]), 3)} (${kind}) against the floor at rushhour's own ${cm.recordsPerCall} ${svc.unit} per call`);
  }
  return lines;
}

function printNotes(svc, rows) {
  const notes = [];
  for (const [label, f] of rows) {
    const failed = (f.counts?.failed ?? 0) + (f.counts?.dropped ?? 0) + (f.counts?.unfinished ?? 0) + (f.floor?.failedCalls ?? 0) + (f.floor?.[svc.failedKey] ?? 0);
    notes.push(`  ${label}: ${failed ? `${failed} failed/dropped/unfinished` : 'all ok'}${svc.sizes(f)}; peak RSS ${fmt(f.peakRssMb, 0)} MB; CPU ms steady/clock/whole ${fmt(f.cpuMs.steady, 0)}/${fmt(f.cpuMs.clock, 0)}/${fmt(f.cpuMs.whole, 0)}${f.warmup ? `; warm-up ${f.warmup.requests} msgs in ${fmt(f.warmup.durationMs, 0)} ms` : ''}${f.latencyMs ? `; latency p50/p99 ${fmt(f.latencyMs.p50)}/${fmt(f.latencyMs.p99)} ms` : ''}`);
  }
  say(notes.join('\n') + '\n');
  say(`  ((a)'s ${svc.endpointName} endpoint is not measured for ${svc.sizesWord} sizes: it is passed through unparsed)\n\n`);
}

/** The table, the notes, the aims and the deferred prints; then the results file. */
export function report(bench, res, ctx, stamp) {
  const { cfg, svc } = bench;
  const rows = [
    [`(a) rushhour → ${svc.endpointName}`, res.runs.a.figures],
    ['(b) rushhour → no-op', res.runs.b.figures],
    [`(c) SDK loop → no-op, ${cfg.floorBatch}/call`, res.runs.c.figures],
    ...(res.runs.cMatched ? [[`(c') SDK loop → no-op, ${res.runs.cMatched.figures.recordsPerCall}/call`, res.runs.cMatched.figures]] : []),
  ];
  printTable(bench, rows, res.runs.c.figures);
  printNotes(svc, rows);
  const aims = aimLines(res, svc);
  say(aims.join('\n') + '\n\n');
  for (const f of bench.deferred) f();

  res.meta.loadavgEnd = os.loadavg().map((x) => round(x, 2));
  for (const k of Object.keys(res.runs)) delete res.runs[k].raw;
  res.aimLines = aims;
  const file = path.join(RESULTS_DIR, `${svc.name}-${stamp}${cfg.quick ? '-quick' : ''}.json`);
  fs.writeFileSync(file, JSON.stringify(res, null, 2) + '\n');
  say(`  load avg at start ${res.meta.loadavgStart.join(' ')}, at end ${res.meta.loadavgEnd.join(' ')}; ${HAS_TASKSET ? 'pinned' : 'not pinned'}\n  written to ${path.relative(ROOT, file)}\n`);
  if (!cfg.keepRuns) fs.rmSync(ctx.runsDir, { recursive: true, force: true });
  else say(`  rushhour results dirs kept in ${ctx.runsDir}\n`);
}

/** The bench's overall bound: `runs` generator runs of at most (duration + 45) s each, and a minute. */
export const boundMs = (cfg, runs) => (runs * (cfg.durationS + 45) + 60) * 1000;
