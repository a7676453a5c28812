#!/usr/bin/env node
// How `rushhour report DIR` scales with the length of the run it reports on: wall time and peak
// RSS for the same results directory cut at several lengths, as if the run had been killed there
// (the journal up to the first interval past the cut, the hlog lines that start before it).
// A benchmark, never a test: it prints figures; it never fails on a figure. No peer writes a
// report from a journal, so the comparison is rushhour with itself at different run lengths:
// memory flat in the run's length means the peak barely moves from the shortest cut to the whole.
//
//   npm run build && node bench/report-memory.mjs --dir RESULTS_DIR [--cuts 5,15,30] [--formats md,json,junit,html]
//
// RESULTS_DIR: a finished run's directory, e.g. a one-hour soak:
//   npx rushhour run scenarios/soak.yaml --duration 60m --out runs/soak-1h
// The directory itself is never written: each cut (and the whole run) is copied to a temp folder.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { log, round, say, table } from './lib/util.mjs';

const { values: args } = parseArgs({ options: { dir: { type: 'string' }, cuts: { type: 'string', default: '5,15,30' }, formats: { type: 'string', default: 'md,json,junit,html' } } });
if (!args.dir || !fs.existsSync(path.join(args.dir, 'journal.jsonl'))) {
  log('usage: node bench/report-memory.mjs --dir RESULTS_DIR [--cuts 5,15,30]   (RESULTS_DIR holds journal.jsonl and latency.hlog)');
  process.exit(2);
}
const BIN = path.join(ROOT, 'bin', 'run.js');
const PRELOAD = path.join(ROOT, 'bench', 'lib', 'maxrss-on-exit.mjs');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rushhour-report-bench-'));

/** Copies the run cut at `cutMs` (Infinity: whole) into a fresh folder; returns it with its sizes. */
function cutCopy(cutMs) {
  const dir = fs.mkdtempSync(path.join(work, 'cut-'));
  const lines = fs.readFileSync(path.join(args.dir, 'journal.jsonl'), 'utf8').split('\n');
  let end = lines.length;
  let intervals = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i].includes('"type":"interval"')) continue;
    if (JSON.parse(lines[i]).endMs > cutMs) { end = i; break; }
    intervals++;
  }
  fs.writeFileSync(path.join(dir, 'journal.jsonl'), lines.slice(0, end).join('\n') + '\n');
  const hlog = fs.readFileSync(path.join(args.dir, 'latency.hlog'), 'utf8').split('\n')
    .filter((l) => l.startsWith('#') || l.startsWith('"') || l === '' || Number.parseFloat(l.replace(/^Tag=[^,]*,/, '')) * 1000 < cutMs);
  fs.writeFileSync(path.join(dir, 'latency.hlog'), hlog.join('\n'));
  const mb = (f) => fs.statSync(path.join(dir, f)).size / 1048576;
  return { dir, intervals, journalMb: mb('journal.jsonl'), hlogMb: mb('latency.hlog') };
}

function report(dir) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--import', PRELOAD, BIN, 'report', dir, '--format', args.formats], { encoding: 'utf8', timeout: 10 * 60_000, env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
  const wallS = Number(process.hrtime.bigint() - t0) / 1e9;
  const kb = Number(/RUSHHOUR_BENCH_MAXRSS_KB (\d+)/.exec(r.stderr ?? '')?.[1] ?? NaN);
  if (!Number.isFinite(kb)) throw new Error(`report ${dir} exited ${r.status}: ${r.stderr}`);
  return { wallS, peakRssMb: kb / 1024, exit: r.status };
}

const cuts = [...args.cuts.split(',').map((m) => Number(m) * 60_000).filter((x) => x > 0), Infinity];
const rows = [];
for (const cutMs of cuts) {
  const c = cutCopy(cutMs);
  if (rows.length > 0 && c.intervals === rows.at(-1).intervals) continue; // the run is shorter than this cut
  log(`report on ${cutMs === Infinity ? 'the whole run' : `the first ${cutMs / 60_000} min`} (${c.intervals} intervals) …`);
  const r = report(c.dir);
  rows.push({ cut: cutMs === Infinity ? 'whole run' : `${cutMs / 60_000} min`, intervals: c.intervals, journalMb: round(c.journalMb, 1), hlogMb: round(c.hlogMb, 1), wallS: round(r.wallS, 2), peakRssMb: round(r.peakRssMb, 1), exit: r.exit });
}
table(`rushhour report (${args.formats}) on ${args.dir} cut at several lengths`, ['run length', 'intervals', 'journal MB', 'hlog MB', 'wall s', 'peak RSS MB', 'exit'], rows.map((r) => [r.cut, r.intervals, r.journalMb, r.hlogMb, r.wallS, r.peakRssMb, r.exit]));
const first = rows[0];
const last = rows.at(-1);
if (rows.length > 1) {
  const perHour = ((last.peakRssMb - first.peakRssMb) / Math.max(1, last.intervals - first.intervals)) * 3600;
  say(`peak RSS ${first.peakRssMb} MB at ${first.intervals} intervals → ${last.peakRssMb} MB at ${last.intervals}: ${round(perHour, 1)} MB more per hour of 1 s intervals; wall ${first.wallS} s → ${last.wallS} s\n`);
}
fs.rmSync(work, { recursive: true, force: true });
