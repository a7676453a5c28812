// (c) p50/p90/p99/p99.9 under one stall: the worked-out truth, the tries of both tools against a
// stalling target, and their median against the truth.

import { runAutocannon } from './autocannon.mjs';
import { brief } from './generator.mjs';
import { runRushhour } from './rushhour.mjs';
import { control, startTarget, stopTarget } from './target.mjs';
import { fmt, log, ratio, round, say, sleep, table } from './util.mjs';

const KEYS = ['p50', 'p90', 'p99', 'p999'];
const LABEL = { p50: 'p50', p90: 'p90', p99: 'p99', p999: 'p99.9' };
const QUANTILE = { p50: 0.5, p90: 0.9, p99: 0.99, p999: 0.999 };

/**
 * Constant rate, run of D ms, one stall of S ms entirely inside it, zero service time otherwise:
 * the arrivals due in the stall wait until its end, so their latencies are uniform on (0, S] and
 * all others are ~0. The top (1 − q) of all arrivals are the stalled ones with the largest
 * latency, so the q-quantile is S − (1 − q)·D when that is positive, else ~0.
 */
function stallTruth(durationMs, stallMs, q) {
  return Math.round(Math.max(0, stallMs - (1 - q) * durationMs) * 1000) / 1000;
}

const err = (v, t) => (t === 0 || v === null ? null : 100 * (v / t - 1));
const errVsTruth = (latencyMs, truth) => Object.fromEntries(KEYS.map((k) => [k, round(err(latencyMs[k], truth[k]), 1)]));

// How fast rushhour's backlog reached the target after the release: it queues the arrivals
// due during the stall (rate × stall − held) and sends them as connections free up.
const first500 = (r) => (r.stats.afterRelease ?? []).slice(0, 50).reduce((a, b) => a + b, 0);
function drain(r, rate, stallMs) {
  const buckets = r.stats.afterRelease ?? [];
  const backlog = Math.max(0, Math.round((rate * stallMs) / 1000) - r.stats.held);
  let cum = 0;
  for (let i = 0; i < buckets.length; i++) {
    cum += buckets[i];
    const tMs = (i + 1) * 10;
    if (cum >= backlog + (rate * tMs) / 1000) return { backlogToSend: backlog, caughtUpAfterMs: tMs, requestsInFirst500ms: first500(r) };
  }
  return { backlogToSend: backlog, caughtUpAfterMs: null, requestsInFirst500ms: first500(r) };
}

function stallBrief(r, name, cfg, truth) {
  return {
    ...brief(r),
    held: r.stats.held,
    origin: r.stats.origin,
    releasedAt: r.stats.releasedAtEpochMs,
    postStall: name === 'rushhour' ? drain(r, cfg.stallRate, cfg.stallToMs - cfg.stallFromMs) : { requestsInFirst500ms: first500(r) },
    errVsTruthPct: errVsTruth(r.latency, truth),
  };
}

// Repeated (alternating tools) because one stall run on a shared machine swings a lot; the
// headline is the median of each percentile, with the spread beside it.
async function stallTries(ctx, target, cfg, truth) {
  const runs = { rushhour: [], autocannon: [] };
  const load = { rate: cfg.stallRate, durationS: cfg.stallDurationS, connections: cfg.stallConnections };
  for (let i = 0; i < cfg.stallRepeats; i++) {
    log(`(c) stall ${cfg.stallFromMs}–${cfg.stallToMs} ms of a ${cfg.stallDurationS} s run at ${cfg.stallRate}/s, try ${i + 1}/${cfg.stallRepeats}: rushhour…`);
    const rh = await runRushhour(ctx, target, {
      ...load,
      onStart: (epoch) => void control(target.port, 'POST', `/__start?epoch=${epoch}`).catch((e) => log(`  ! /__start failed: ${e.message}`)),
    });
    runs.rushhour.push(stallBrief(rh, 'rushhour', cfg, truth));
    await sleep(500);
    log(`(c) stall, try ${i + 1}/${cfg.stallRepeats}: autocannon…`);
    const ac = await runAutocannon(target, load);
    runs.autocannon.push({ ...stallBrief(ac, 'autocannon', cfg, truth), latencyTotalCount: ac.extra.histogramCount });
    await sleep(500);
  }
  return runs;
}

function median(xs) {
  const v = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (!v.length) return null;
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}

function aggregate(list, truth) {
  const med = Object.fromEntries(KEYS.map((k) => [k, median(list.map((r) => r.latencyMs[k]))]));
  const spread = Object.fromEntries(KEYS.map((k) => [k, [Math.min(...list.map((r) => r.latencyMs[k])), Math.max(...list.map((r) => r.latencyMs[k]))]]));
  return { latencyMs: med, spreadMs: spread, errVsTruthPct: errVsTruth(med, truth) };
}

/** Starts a stalling target, runs the tries and stops it; the JSON of (c). */
export async function measureStall(ctx, cfg) {
  const target = await startTarget({ fromMs: cfg.stallFromMs, toMs: cfg.stallToMs });
  const D = cfg.stallDurationS * 1000;
  const S = cfg.stallToMs - cfg.stallFromMs;
  const truth = Object.fromEntries(KEYS.map((k) => [k, stallTruth(D, S, QUANTILE[k])]));
  const runs = await stallTries(ctx, target, cfg, truth);
  await stopTarget(target);
  const rhA = aggregate(runs.rushhour, truth);
  const acA = aggregate(runs.autocannon, truth);
  return {
    rate: cfg.stallRate,
    durationS: cfg.stallDurationS,
    stallMs: [cfg.stallFromMs, cfg.stallToMs],
    connections: cfg.stallConnections,
    repeats: cfg.stallRepeats,
    truth,
    rushhour: rhA,
    autocannon: acA,
    ratio: Object.fromEntries(KEYS.map((k) => [k, ratio(rhA.latencyMs[k], acA.latencyMs[k])])),
    runs,
  };
}

function printTries(runs) {
  runs.rushhour.forEach((r, i) => {
    const a = runs.autocannon[i];
    say(
      `  try ${i + 1}: rushhour p50/p90/p99/p99.9 ${KEYS.map((k) => fmt(r.latencyMs[k], 1)).join('/')} ms; service time p99 ${fmt(r.extra.serviceTimeMs?.p99)} ms, schedule lag p99/max ${fmt(r.extra.scheduleLagMs?.p99)}/${fmt(r.extra.scheduleLagMs?.max)} ms, worst event-loop delay ${fmt(r.extra.maxEventLoopLagMs)} ms; ` +
        `backlog ~${r.postStall.backlogToSend} reached the target ${r.postStall.caughtUpAfterMs === null ? 'not within 3 s' : `${r.postStall.caughtUpAfterMs} ms`} after the release. ` +
        `autocannon ${KEYS.map((k) => fmt(a.latencyMs[k], 1)).join('/')} ms, ${a.completed} completed, histogram count ${a.latencyTotalCount}.\n`,
    );
  });
}

export function printStall(c) {
  const [from, to] = c.stallMs;
  const spread = (a, k) => (c.repeats > 1 ? `${fmt(a.spreadMs[k][0], 0)}–${fmt(a.spreadMs[k][1], 0)}` : '');
  const p50ok = (v) => (v < 1 ? 'ok (<1)' : 'over 1 ms');
  const cells = (a, k, zero) => [a.latencyMs[k], spread(a, k), zero ? p50ok(a.latencyMs[k]) : a.errVsTruthPct[k]];
  table(
    `(c) one ${(to - from) / 1000} s stall (${from / 1000}–${to / 1000} s of the measured window), ${c.rate}/s, ${c.durationS} s, ${c.connections} connections — latency ms` +
      (c.repeats > 1 ? `, median of ${c.repeats} tries (min–max beside)` : ''),
    ['quantile', 'truth', 'rushhour', 'rh min–max', 'rh err %', 'autocannon', 'ac min–max', 'ac err %', 'ratio rh/ac'],
    KEYS.map((k) => {
      const zero = k === 'p50' && c.truth[k] === 0;
      return [LABEL[k], zero ? '< 1' : c.truth[k], ...cells(c.rushhour, k, zero), ...cells(c.autocannon, k, zero), c.ratio[k]];
    }),
  );
  printTries(c.runs);
  say(`  Held at the target per try: ${c.connections} (one per connection) for both tools. The truth assumes zero service time; the time to drain rushhour's backlog through ${c.connections} connections adds to every arrival queued behind it.\n`);
  say('  Aim: rushhour within 10 % of the truth for p90/p99/p99.9.\n\n');
}
