#!/usr/bin/env node
// Memory and CPU of the end-to-end delivery matcher alone (src/probes/delivery-matcher.ts) over a
// long simulated run: is its memory flat in run length, and what does a message cost?
// A benchmark, never a test: it prints figures; it never fails on a figure.
//
//   npm run build && node bench/matcher-memory.mjs [--rate 200000] [--minutes 10] [--vehicles 10000]
//        [--window 64] [--reorder 0.01] [--delay 300] [--max-wall 300] [--no-baseline]
//
// Simulated arrivals (no timers, no I/O): rate × 60 × minutes messages (120M by default), vehicle
// n mod V, seq floor(n / V) + 1; each message is sent() and accepted() at once, then enters the
// pipeline: a fraction --reorder is held back and delivered right after the same vehicle's next
// seq (a swap with its later neighbour), and the consumer sees every message --delay messages
// later (a ring buffer). Nothing is lost, so the final counts must show lost 0 and reordered =
// the swaps injected. heapUsed, arrayBuffers and RSS are printed after a gc at simulated minutes
// 1, 5 and 10 (the bench re-runs itself with --expose-gc when started without it). CPU is
// process.cpuUsage() (user + system) over the loop; a first pass with a no-op matcher measures
// the harness alone, so "matcher only" = total − harness. Bounded: --max-wall seconds per pass.

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { fmt, log, num, round, say, table } from './lib/util.mjs';

const SELF = fileURLToPath(import.meta.url);
if (typeof globalThis.gc !== 'function' && !process.execArgv.includes('--expose-gc')) {
  const r = spawnSync(process.execPath, ['--expose-gc', ...process.execArgv, SELF, ...process.argv.slice(2)], { stdio: 'inherit', timeout: 30 * 60_000 });
  process.exit(r.status ?? 1);
}

const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string' },
    minutes: { type: 'string' },
    vehicles: { type: 'string' },
    window: { type: 'string' },
    reorder: { type: 'string' },
    delay: { type: 'string' },
    'max-wall': { type: 'string' },
    'no-baseline': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  say(fs.readFileSync(SELF, 'utf8').split('\n').slice(1, 17).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const cfg = {
  rate: Math.round(num(opt.rate, 200_000)),
  minutes: num(opt.minutes, 10),
  vehicles: Math.round(num(opt.vehicles, 10_000)),
  window: Math.round(num(opt.window, 64)),
  reorder: num(opt.reorder, 0.01),
  delay: Math.round(num(opt.delay, 300)),
  maxWallMs: num(opt['max-wall'], 300) * 1000,
  baseline: !opt['no-baseline'],
};
const TOTAL = Math.round(cfg.rate * 60 * cfg.minutes);
const CHECKPOINTS = [1, 5, 10].filter((m) => m <= cfg.minutes).map((m) => ({ minute: m, n: cfg.rate * 60 * m }));
if (CHECKPOINTS.at(-1)?.n !== TOTAL) CHECKPOINTS.push({ minute: cfg.minutes, n: TOTAL });

const MATCHER_JS = path.join(ROOT, 'dist', 'probes', 'delivery-matcher.js');
if (!fs.existsSync(MATCHER_JS)) {
  log(`${MATCHER_JS} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
const { DeliveryMatcher, matcherBytes } = await import(pathToFileURL(MATCHER_JS).href);

/** The harness alone: the same calls into methods that do nothing. */
class NoopMatcher {
  sent() {}
  accepted() {}
  seen() {
    return 1;
  }
  finish() {}
}

const MB = (b) => round(b / 1024 / 1024, 2);

/** heapUsed, arrayBuffers and RSS in bytes, after a full gc. */
function memory() {
  globalThis.gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

/**
 * One pass over `TOTAL` simulated messages into `matcher`. Returns the checkpoints reached
 * (memory, cumulative CPU µs and wall ms), the swaps injected and whether the wall bound cut it.
 */
function pass(matcher, withMemory) {
  const V = cfg.vehicles;
  const ring = cfg.delay + 2;
  const ringV = new Uint32Array(ring);
  const ringS = new Uint32Array(ring);
  const held = new Uint32Array(V); // held[v] = seq held back (0: none)
  const threshold = Math.round(cfg.reorder * 2 ** 32);
  let head = 0;
  let size = 0;
  let x = 0x9e3779b9; // xorshift32 state: a fixed seed
  let swaps = 0;
  let ck = 0;
  const points = [];
  const push = (v, s) => {
    ringV[(head + size) % ring] = v;
    ringS[(head + size) % ring] = s;
    size++;
  };
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for (; n < TOTAL; n++) {
    const v = n % V;
    const seq = (n - v) / V + 1;
    matcher.sent(v, seq);
    matcher.accepted(v, seq);
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    if (held[v] !== 0) {
      push(v, seq);
      push(v, held[v]);
      held[v] = 0;
      swaps++;
    } else if (x >>> 0 < threshold) {
      held[v] = seq;
    } else {
      push(v, seq);
    }
    while (size > cfg.delay) {
      matcher.seen(ringV[head], ringS[head]);
      head = (head + 1) % ring;
      size--;
    }
    if (n + 1 === CHECKPOINTS[ck]?.n) {
      const c = process.cpuUsage(c0);
      points.push({ minute: CHECKPOINTS[ck].minute, n: n + 1, cpuUs: c.user + c.system, wallMs: performance.now() - t0, mem: withMemory ? memory() : null });
      ck++;
    }
    if ((n & 0xfffff) === 0 && performance.now() - t0 > cfg.maxWallMs) break;
  }
  for (; size > 0; size--, head = (head + 1) % ring) matcher.seen(ringV[head], ringS[head]);
  for (let v = 0; v < V; v++) if (held[v] !== 0) matcher.seen(v, held[v]); // no later neighbour came: in order
  matcher.finish();
  const c = process.cpuUsage(c0);
  return { points, swaps, messages: Math.min(n + 1, TOTAL), cut: n < TOTAL, cpuUs: c.user + c.system, wallMs: performance.now() - t0 };
}

log(`matcher-memory: ${TOTAL.toLocaleString('en')} messages (${cfg.rate}/s × ${cfg.minutes} min simulated), ${cfg.vehicles} vehicles, window ${cfg.window}, ${cfg.reorder * 100} % swapped, e2e delay ${cfg.delay} messages; node ${process.version}`);
let harness = null;
if (cfg.baseline) {
  log('pass 1/2: harness alone (no-op matcher)…');
  harness = pass(new NoopMatcher(), false);
  if (harness.cut) log(`harness pass stopped by --max-wall after ${harness.messages} messages`);
}
const before = memory();
const matcher = new DeliveryMatcher({ vehicles: cfg.vehicles, window: cfg.window });
const created = memory();
log(`pass ${cfg.baseline ? '2/2' : '1/1'}: the matcher…`);
const run = pass(matcher, true);
if (run.cut) say(`STOPPED by --max-wall ${cfg.maxWallMs / 1000} s after ${run.messages.toLocaleString('en')} of ${TOTAL.toLocaleString('en')} messages: figures below cover that part only.\n`);

const harnessUs = harness && !harness.cut ? harness.cpuUs / harness.messages : null;
say(`matcher state: matcherBytes(${cfg.vehicles}, ${cfg.window}) = ${matcherBytes(cfg.vehicles, cfg.window).toLocaleString('en')} B; arrayBuffers grew ${MB(created.arrayBuffers - before.arrayBuffers)} MB when it was created\n\n`);
table(
  'memory after gc (MB) and cumulative CPU at simulated minutes',
  ['simulated minute', 'messages', 'heapUsed', 'arrayBuffers', 'rss', 'CPU µs/msg', 'wall s'],
  [['(matcher created)', 0, MB(created.heapUsed), MB(created.arrayBuffers), MB(created.rss), null, null], ...run.points.map((p) => [String(p.minute), p.n, MB(p.mem.heapUsed), MB(p.mem.arrayBuffers), MB(p.mem.rss), round(p.cpuUs / p.n, 3), round(p.wallMs / 1000, 1)])],
);
const totalUs = run.cpuUs / run.messages;
say(`CPU per message (sent + accepted + seen), whole pass: ${fmt(totalUs, 3)} µs total; harness alone ${fmt(harnessUs, 3)} µs; matcher only ≈ ${fmt(harnessUs === null ? null : totalUs - harnessUs, 3)} µs (aim ≤ 1 µs)\n`);
say(`wall ${fmt(run.wallMs / 1000, 1)} s for ${run.messages.toLocaleString('en')} messages\n\n`);
const counts = matcher.counts();
say(`final counts: ${JSON.stringify(counts)}\n`);
say(`injected swaps ${run.swaps}: reordered ${counts.reordered === run.swaps ? 'matches' : 'DIFFERS'}; lost ${counts.lost}${counts.lost === 0 ? '' : ' (expected 0)'}\n`);
