// (a) achieved vs target rate at 1k, 5k, 20k/s, and (b) generator CPU per request at 20k/s (from
// the 20k/s runs of (a)).

import { brief } from './generator.mjs';
import { runPair } from './pair.mjs';
import { ratio, round, say, sleep, table } from './util.mjs';

/** Runs both tools at each rate (only the CPU rate when (a) is not asked for); the JSON of (a). */
export async function measureRates(ctx, target, cfg) {
  const rates = cfg.only.has('a') ? cfg.rates : [cfg.cpuRate];
  const a = [];
  for (const rate of rates) {
    const { rh, ac } = await runPair(ctx, target, '(a)', { rate, durationS: cfg.rateDurationS, connections: cfg.connections });
    await sleep(500);
    a.push({ rate, rushhour: brief(rh), autocannon: brief(ac), ratio: { achieved: ratio(rh.achieved, ac.achieved) } });
  }
  return a;
}

export function printRates(a, cfg) {
  table(
    `(a) achieved vs target rate, ${cfg.rateDurationS} s each, ${cfg.connections} connections (error = achieved/target − 1)`,
    ['rate/s', 'rh achieved', 'rh target', 'rh err %', 'rh dropped', 'rh failed', 'ac achieved', 'ac err %', 'ac errors', 'ratio rh/ac', 'rh tgt-seen/s', 'ac tgt-seen/s'],
    a.map((x) => [x.rate, x.rushhour.achieved, x.rushhour.target, round(x.rushhour.rateErrPct, 3), x.rushhour.dropped, x.rushhour.errors, x.autocannon.achieved, round(x.autocannon.rateErrPct, 3), x.autocannon.errors, x.ratio.achieved, x.rushhour.steady?.targetRate, x.autocannon.steady?.targetRate]),
  );
  say('  rushhour: achieved = summary.rate.achieved (sent / window), target = summary.rate.target (due / window).\n');
  say(`  autocannon: achieved = requests.total / ${cfg.rateDurationS} s (completed requests, its -R mode; per-second quotas). Aim: rushhour |err| <= 0.5 %.\n`);
  say('  tgt-seen/s: requests per second that reached the target between 20 % and 90 % of the measured window (the target\'s own count).\n');
  say('  Latency, ms: rushhour from the intended time; autocannon from send, CO-corrected by its -R mode. rh lag = rushhour schedule lag (sent − due).\n');
  table(
    '',
    ['rate/s', 'rh p50', 'rh p99', 'rh p99.9', 'rh max', 'rh lag p99', 'rh loop lag', 'ac p50', 'ac p99', 'ac p99.9', 'ac max', 'tgt cpu% rh', 'tgt cpu% ac'],
    a.map((x) => [x.rate, x.rushhour.latencyMs.p50, x.rushhour.latencyMs.p99, x.rushhour.latencyMs.p999, x.rushhour.latencyMs.max, x.rushhour.extra.scheduleLagMs?.p99, x.rushhour.extra.maxEventLoopLagMs, x.autocannon.latencyMs.p50, x.autocannon.latencyMs.p99, x.autocannon.latencyMs.p999, x.autocannon.latencyMs.max, x.rushhour.steady?.targetCpuUtilPct, x.autocannon.steady?.targetCpuUtilPct]),
  );
  say('  tgt cpu%: the target process\'s CPU (its core) between 20 % and 90 % of the measured window; near 100 % means the target, not the generator, is the limit.\n\n');
}

const cpuRecord = (x) => ({ cpuTotalMs: x.cpuTotalMs, completed: x.completed, usPerReqWhole: x.cpuUsPerReqWhole, usPerReqSteady: x.steady?.cpuUsPerReq ?? null, steadyCpuUtilPct: x.steady?.cpuUtilPct ?? null, wallMs: x.wallMs });

/** The JSON of (b) from the CPU-rate entry of (a), or undefined when there is none. */
export function cpuFigures(a, cpuRate) {
  const at = a.find((x) => x.rate === cpuRate);
  if (!at) return undefined;
  const b = { rate: cpuRate, rushhour: cpuRecord(at.rushhour), autocannon: cpuRecord(at.autocannon) };
  b.ratio = { whole: ratio(b.rushhour.usPerReqWhole, b.autocannon.usPerReqWhole), steady: ratio(b.rushhour.usPerReqSteady, b.autocannon.usPerReqSteady) };
  return b;
}

export function printCpu(b) {
  const row = (name, x) => [name, x.cpuTotalMs, x.completed, x.usPerReqWhole, x.usPerReqSteady, x.steadyCpuUtilPct, x.wallMs];
  table(
    `(b) generator CPU per request at ${b.rate}/s (from the ${b.rate}/s runs of (a); µs of utime+stime per request)`,
    ['tool', 'cpu total ms', 'completed', 'µs/req whole', 'µs/req steady', 'core % steady', 'wall ms'],
    [row('rushhour', b.rushhour), row('autocannon', b.autocannon), ['ratio rh/ac', null, null, b.ratio.whole, b.ratio.steady, null, null]],
  );
  say('  whole = all CPU of the process (start-up, warm-up, run, shutdown; no idle baseline subtracted) / requests completed.\n');
  say('  steady = CPU between 20 % and 90 % of the measured window / requests the target received in that interval.\n\n');
}
