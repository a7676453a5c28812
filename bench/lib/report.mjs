// The run's metadata and header, the compact summary at the end, and the JSON results file.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUTOCANNON_BODY, autocannonVersion } from './autocannon.mjs';
import { HAS_TASKSET, PINNING } from './children.mjs';
import { ROOT, RESULTS_DIR } from './paths.mjs';
import { CLK_TCK } from './proc.mjs';
import { fmt, round, say } from './util.mjs';

/** The output of a git command in the repository, or null when git fails. */
function git(args) {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function buildMeta(cfg, distBuiltAt) {
  const gitRev = git(['rev-parse', '--short', 'HEAD']);
  const gitStatus = git(['status', '--porcelain', '--', 'src']);
  return {
    timestamp: new Date().toISOString(),
    quick: cfg.quick,
    pinning: PINNING,
    pinned: HAS_TASKSET,
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    clkTck: CLK_TCK,
    loadavgStart: os.loadavg().map((x) => round(x, 2)),
    gitRev,
    gitDirty: gitStatus === null ? null : gitStatus.length > 0,
    distBuiltAt,
    rushhourSnapshot: cfg.snapshot,
    autocannonVersion: autocannonVersion(),
    autocannonBodyBytes: Buffer.byteLength(AUTOCANNON_BODY),
    connections: cfg.connections,
    stallConnections: cfg.stallConnections,
    durations: { rateS: cfg.rateDurationS, stallS: cfg.stallDurationS, stall: [cfg.stallFromMs, cfg.stallToMs], stallRepeats: cfg.stallRepeats, rssS: cfg.rssDurationS },
    cpuMethod:
      'whole: CPU (utime+stime) of the generator process over its whole life (start-up, warm-up, run, shutdown; exact, from cutime+cstime after reaping) / requests completed in the measured window; steady: CPU ticks between 20 % and 90 % of the measured window / requests the target received in that interval (no idle baseline is subtracted)',
    stallClock:
      'rushhour: the bench reads startEpochMs from rushhour\'s `start` event (--log jsonl, stderr) and POSTs /__start?epoch=<it>; autocannon (no warm-up): the bench POSTs /__arm and the first request sets the origin. Requests read in [origin+from, origin+to) are held and answered at origin+to.',
  };
}

export function printHeader(meta) {
  say(`rushhour vs autocannon — ${meta.quick ? 'QUICK smoke run (short durations; figures are not meaningful)' : 'full run'}\n`);
  say(`${PINNING}\n`);
  say(`node ${process.version}, ${meta.cpus} cpus (${meta.cpuModel}), autocannon ${meta.autocannonVersion}, load avg ${meta.loadavgStart.join(' ')}\n`);
  say(`rushhour: dist/ built ${meta.distBuiltAt}${meta.gitRev ? `, git ${meta.gitRev}${meta.gitDirty ? ' + uncommitted src/ changes' : ''}` : ''}${meta.rushhourSnapshot ? ' (snapshot taken at start)' : ''}\n`);
  say('Shared, noisy machine: figures are indicative, not exact.\n\n');
}

function stallLines(c) {
  const lines = [];
  if (c.repeats > 1) lines.push(`  (c) stall percentiles: median of ${c.repeats} tries per tool`);
  for (const k of ['p50', 'p90', 'p99', 'p999']) {
    const e = c.rushhour.errVsTruthPct[k];
    lines.push(`  (c) ${k.padEnd(4)} truth ${k === 'p50' && c.truth[k] === 0 ? '<1' : c.truth[k]} ms  ${fmt(c.rushhour.latencyMs[k])} / ${fmt(c.autocannon.latencyMs[k])} ms  err vs truth % ${fmt(e, 1)} / ${fmt(c.autocannon.errVsTruthPct[k], 1)}  ratio ${fmt(c.ratio[k], 3)}${k !== 'p50' && e !== null && Math.abs(e) > 10 ? '  [rushhour outside the 10 % aim]' : ''}`);
  }
  return lines;
}

function summaryLines(results, cfg) {
  const { meta, a, b, c, d } = results;
  const lines = ['SUMMARY (rushhour / autocannon; ratio = rh/ac)', `  ${PINNING}`, `  load avg at start ${meta.loadavgStart.join(' ')}, at end ${meta.loadavgEnd.join(' ')}`];
  if (a && cfg.only.has('a')) {
    for (const x of a) lines.push(`  (a) ${String(x.rate).padStart(5)}/s  achieved ${fmt(x.rushhour.achieved, 1)} / ${fmt(x.autocannon.achieved, 1)}  err % ${fmt(x.rushhour.rateErrPct, 3)} / ${fmt(x.autocannon.rateErrPct, 3)}  ratio ${fmt(x.ratio.achieved, 3)}${Math.abs(x.rushhour.rateErrPct) > 0.5 ? '  [rushhour over the 0.5 % aim]' : ''}`);
  }
  if (b) lines.push(`  (b) CPU µs/req @${b.rate}/s  whole ${fmt(b.rushhour.usPerReqWhole)} / ${fmt(b.autocannon.usPerReqWhole)}  ratio ${fmt(b.ratio.whole, 3)};  steady ${fmt(b.rushhour.usPerReqSteady)} / ${fmt(b.autocannon.usPerReqSteady)}  ratio ${fmt(b.ratio.steady, 3)}`);
  if (c) lines.push(...stallLines(c));
  if (d) lines.push(`  (d) peak RSS @${d.rate}/s ${d.durationS} s  ${fmt(d.rushhour.peakRssMb, 1)} / ${fmt(d.autocannon.peakRssMb, 1)} MB  ratio ${fmt(d.ratio.peakRss, 3)}${d.rushhour.peakRssMb > 80 ? '  [rushhour over the 80 MB aim]' : ''}`);
  return lines;
}

/** Prints the summary and writes every figure to bench/results/<stamp>[-quick].json. */
export function finish(results, cfg, stamp) {
  results.meta.loadavgEnd = os.loadavg().map((x) => round(x, 2));
  const lines = summaryLines(results, cfg);
  const file = path.join(RESULTS_DIR, `${stamp}${cfg.quick ? '-quick' : ''}.json`);
  lines.push(`  written to ${path.relative(ROOT, file)}`);
  say(lines.join('\n') + '\n');
  results.summaryLines = lines;
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}
