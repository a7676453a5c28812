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
// The parts live in bench/lib/: proc (/proc sampling), children (pinning, cleanup), target,
// generator, rushhour, autocannon, rates (a, b), stall (c), rss (d), report (header, summary, JSON).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runGuarded } from './lib/children.mjs';
import { GENERATOR_GRACE_S } from './lib/generator.mjs';
import { AUTOCANNON, RESULTS_DIR, ROOT } from './lib/paths.mjs';
import { HAS_PROC } from './lib/proc.mjs';
import { cpuFigures, measureRates, printCpu, printRates } from './lib/rates.mjs';
import { buildMeta, finish, printHeader } from './lib/report.mjs';
import { measureRss, printRss } from './lib/rss.mjs';
import { rushhourBin } from './lib/rushhour.mjs';
import { measureStall, printStall } from './lib/stall.mjs';
import { startTarget, stopTarget } from './lib/target.mjs';
import { log, num, say } from './lib/util.mjs';

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
  say(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const QUICK = opt.quick;
// (c): one 2 s stall at 1k/s. Full: 12 s run, stall 4–6 s of the measured window (the brief's
// truth). Quick: 6 s run, stall 2–4 s (the truth is worked out by the same formula).
const STALL_FROM_MS = QUICK && opt['stall-duration'] === undefined ? 2000 : 4000;
const cfg = {
  quick: QUICK,
  only: new Set(opt.only.split(',').map((s) => s.trim())),
  rateDurationS: num(opt['rate-duration'], QUICK ? 3 : 10),
  rates: [1000, 5000, 20000],
  cpuRate: 20000, // (b) comes from the 20k/s runs of (a)
  rssRate: 5000,
  rssDurationS: num(opt['rss-duration'], QUICK ? 15 : 60),
  stallRate: 1000,
  stallDurationS: num(opt['stall-duration'], QUICK ? 6 : 12),
  stallFromMs: STALL_FROM_MS,
  stallToMs: STALL_FROM_MS + 2000,
  stallRepeats: Math.round(num(opt['stall-repeats'], QUICK ? 1 : 3)),
  // Connections, the same for both tools in each measurement.
  // - Rate, CPU and RSS tests: 32. At 20k/s with ~0.1–1 ms service time on a local target, Little's
  //   law gives ~2–20 requests in flight; 32 leaves headroom for a noisy core without either tool
  //   queueing client-side, and autocannon's -R mode splits the rate evenly over its connections
  //   (625/s each at 20k/s), so it needs enough of them to keep up with its per-second quotas.
  // - Stall test: 8. At 1k/s about one request is in flight, so 8 is plenty in normal operation;
  //   a small count keeps what is in flight on sockets during the stall small and equal for both
  //   tools (8 requests held at the server each), so the comparison is about how each tool accounts
  //   for the arrivals it could not send, not about how many sockets happened to be stuck.
  connections: 32,
  // --stall-connections N changes it: with more connections the backlog after the stall drains
  // faster, which is what the zero-service-time truth assumes.
  stallConnections: Math.round(num(opt['stall-connections'], 8)),
  keepRuns: opt['keep-runs'],
  snapshot: !opt['no-snapshot'],
};
if (cfg.stallToMs >= cfg.stallDurationS * 1000) throw new Error(`--stall-duration must be longer than ${cfg.stallToMs / 1000} s (the stall ends at ${cfg.stallToMs} ms)`);

// ---------------------------------------------------------------------------------------------
// Main

/** Checks the build and autocannon, and prepares bench/results/ and a temporary runs folder. */
function prepare() {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'commands', 'run.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  if (!fs.existsSync(AUTOCANNON)) throw new Error('node_modules/autocannon is missing: run `npm install`');
  if (!HAS_PROC) log('! /proc is not available: CPU and RSS figures will be missing');
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const gi = path.join(RESULTS_DIR, '.gitignore');
  if (!fs.existsSync(gi)) fs.writeFileSync(gi, '*\n!.gitignore\n');
  const runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rushhour-bench-'));
  const distBuiltAt = fs.statSync(path.join(ROOT, 'dist', 'commands', 'run.js')).mtime.toISOString();
  const ctx = { bin: rushhourBin(runsDir, cfg.snapshot), runsDir, keepRuns: cfg.keepRuns };
  return { stamp, ctx, distBuiltAt };
}

async function main() {
  const { stamp, ctx, distBuiltAt } = prepare();
  const results = { meta: buildMeta(cfg, distBuiltAt) };
  printHeader(results.meta);

  const needRates = cfg.only.has('a') || cfg.only.has('b');
  const needRss = cfg.only.has('d');
  let plain;
  if (needRates || needRss) plain = await startTarget(null);
  if (needRates) {
    results.a = await measureRates(ctx, plain, cfg);
    if (cfg.only.has('a')) printRates(results.a, cfg);
    if (cfg.only.has('b')) results.b = cpuFigures(results.a, cfg.cpuRate);
    if (results.b) printCpu(results.b);
  }
  if (cfg.only.has('c')) {
    results.c = await measureStall(ctx, cfg);
    printStall(results.c);
  }
  if (needRss) {
    results.d = await measureRss(ctx, plain, cfg);
    printRss(results.d, cfg.connections);
  }
  if (plain) await stopTarget(plain);

  finish(results, cfg, stamp);
  if (!cfg.keepRuns) fs.rmSync(ctx.runsDir, { recursive: true, force: true });
  else say(`  rushhour results dirs kept in ${ctx.runsDir}\n`);
}

// A global bound on the whole bench, so nothing can hang forever.
const totalBoundMs = (cfg.rates.length * 2 * (cfg.rateDurationS + GENERATOR_GRACE_S) + cfg.stallRepeats * 2 * (cfg.stallDurationS + GENERATOR_GRACE_S) + 2 * (cfg.rssDurationS + GENERATOR_GRACE_S) + 120) * 1000;
runGuarded(main, totalBoundMs);
