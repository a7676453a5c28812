// (d) peak RSS at 5k/s over a long run, RSS at quarters of the process's life, and when the peak
// was reached.

import { runPair } from './pair.mjs';
import { ratio, round, say, table } from './util.mjs';

// RSS at quarters of the process's life, to show growth (a soak must not grow).
const quarters = (r) => [0.25, 0.5, 0.75, 1].map((f) => {
  const s = r.rssSeriesMb;
  if (!s.length) return null;
  const tEnd = s[s.length - 1].tMs;
  const pick = s.filter((x) => x.tMs <= f * tEnd).pop() ?? s[0];
  return round(pick.rssKb / 1024, 1);
});

// When the high-water mark was reached, against the process's life and its measured window,
// and the RSS once a second (for the JSON).
function peakTiming(r, durationS) {
  const s = r.rssSeriesMb;
  const peak = s.length ? s[s.length - 1].hwmKb : null;
  const at = s.find((x) => x.hwmKb === peak);
  const winStart = r.windowStartMs;
  const winEnd = winStart === null ? null : winStart + durationS * 1000;
  const tMs = at ? at.tMs : null;
  const phase = tMs === null || winStart === null ? 'unknown' : tMs < winStart ? 'before the measured window (start-up/warm-up)' : tMs <= winEnd ? 'during the measured window' : 'after the measured window (drain/finalize/exit)';
  const perSecond = [];
  for (const x of s) if (!perSecond.length || x.tMs - perSecond[perSecond.length - 1][0] >= 1000) perSecond.push([x.tMs, round(x.rssKb / 1024, 1)]);
  return { peakReachedAtMs: tMs, windowStartMs: winStart, windowEndMs: winEnd, processLifeMs: r.wallMs, phase, rssPerSecondMb: perSecond };
}

const rssRecord = (r, durationS) => ({ peakRssMb: round(r.peakRssMb, 1), rssAtQuartersMb: quarters(r), peakTiming: peakTiming(r, durationS), rateErrPct: round(r.rateErrPct, 3), cpuUsPerReqSteady: round(r.steady?.cpuUsPerReq, 2), latencyMs: r.latency });

/** Runs both tools at the RSS rate against `target`; the JSON of (d). */
export async function measureRss(ctx, target, cfg) {
  const { rh, ac } = await runPair(ctx, target, '(d)', { rate: cfg.rssRate, durationS: cfg.rssDurationS, connections: cfg.connections });
  const d = { rate: cfg.rssRate, durationS: cfg.rssDurationS, rushhour: rssRecord(rh, cfg.rssDurationS), autocannon: rssRecord(ac, cfg.rssDurationS) };
  d.ratio = { peakRss: ratio(d.rushhour.peakRssMb, d.autocannon.peakRssMb) };
  return d;
}

const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;

export function printRss(d, connections) {
  const row = (name, x) => [name, x.peakRssMb, ...x.rssAtQuartersMb, x.rateErrPct, x.cpuUsPerReqSteady];
  table(
    `(d) peak RSS (VmHWM) at ${d.rate}/s over ${d.durationS} s, ${connections} connections`,
    ['tool', 'peak RSS MB', 'RSS @25% MB', '@50%', '@75%', 'last seen', 'rate err %', 'µs/req steady'],
    [row('rushhour', d.rushhour), row('autocannon', d.autocannon), ['ratio rh/ac', d.ratio.peakRss, null, null, null, null, null, null]],
  );
  for (const [name, t] of [['rushhour', d.rushhour.peakTiming], ['autocannon', d.autocannon.peakTiming]]) {
    const window = t.windowStartMs === null ? '?' : `${(t.windowStartMs / 1000).toFixed(1)}–${(t.windowEndMs / 1000).toFixed(1)} s`;
    say(`  ${name}: peak reached ${t.peakReachedAtMs === null ? '?' : secs(t.peakReachedAtMs)} after process start, ${t.phase} (window ${window}, process exit ${secs(t.processLifeMs)}).\n`);
  }
  say('  Aim: rushhour peak RSS <= 80 MB.\n\n');
}
