#!/usr/bin/env node
// What the ink live view costs the generator: CPU per request with the view on vs off at 5,000/s,
// and how often the view redrew. A benchmark, never a test: it prints figures; it never fails on one.
//
//   npm run build && node bench/live-view-cpu.mjs [--rate 5000] [--duration 20] [--repeats 3]
//
// Against bench/target-server.mjs (core 0 where taskset exists), rushhour runs quick mode at --rate
// for --duration s (core 1), alternating: view off (`--log none`, stdout a pipe) and view on
// (`--log ink` inside a detached tmux session — a real terminal, CI unset — 120×40). The CPU figure
// is summary.json's generator.cpuUsPerRequest (the generator process's CPU while the clock ran /
// requests sent); the redraws come from the view itself (RUSHHOUR_LIVE_STATS). Median of the
// repeats. Aim: the view adds at most 5 % CPU per request; at most 10 redraws a second.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { firstJsonLine, HAS_TASKSET, PINNING, runGuarded, spawnPinned } from './lib/children.mjs';
import { ROOT } from './lib/paths.mjs';
import { log, num, ratio, round, say, sleep, table } from './lib/util.mjs';

const { values: a } = parseArgs({ options: { rate: { type: 'string' }, duration: { type: 'string' }, repeats: { type: 'string' } } });
const RATE = num(a.rate, 5000);
const DURATION_S = num(a.duration, 20);
const REPEATS = num(a.repeats, 3);
const BIN = path.join(ROOT, 'bin', 'run.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'rushhour-live-bench-'));
const socket = `rushhour-bench-${process.pid}`;

function quick(url, out) {
  return [process.execPath, BIN, 'run', '--target', url, '--rate', String(RATE), '--duration', `${DURATION_S}s`, '--out', out];
}

function summaryOf(out) {
  const s = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  return { cpuUsPerReq: s.generator.cpuUsPerRequest, rateErrPct: Math.abs(s.rate.achieved / s.rate.target - 1) * 100 };
}

function viewOff(url, i) {
  const out = path.join(work, `off-${i}`);
  const argv = [...quick(url, out), '--log', 'none'];
  const r = spawnSync(HAS_TASKSET ? 'taskset' : argv[0], HAS_TASKSET ? ['-c', '1', ...argv] : argv.slice(1), { encoding: 'utf8', timeout: (DURATION_S + 120) * 1000, env: { ...process.env, GITHUB_STEP_SUMMARY: '' } });
  if (!fs.existsSync(path.join(out, 'summary.json'))) throw new Error(`view-off run failed (${r.status}): ${r.stderr}`);
  return summaryOf(out);
}

async function viewOn(url, i) {
  const out = path.join(work, `on-${i}`);
  const stats = path.join(work, `on-${i}.json`);
  const argv = [...(HAS_TASKSET ? ['taskset', '-c', '1'] : []), ...quick(url, out), '--log', 'ink'].map((x) => JSON.stringify(x)).join(' ');
  const tmux = (...args) => execFileSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  tmux('new-session', '-d', '-s', `on${i}`, '-x', '120', '-y', '40', `env -u CI GITHUB_STEP_SUMMARY= RUSHHOUR_LIVE_STATS=${JSON.stringify(stats)} ${argv}; sleep 5`);
  const until = Date.now() + (DURATION_S + 120) * 1000;
  while (Date.now() < until && !fs.existsSync(stats)) await sleep(500);
  tmux('kill-session', '-t', `on${i}`);
  if (!fs.existsSync(stats)) throw new Error('view-on run did not finish');
  const { redraws, mountedMs } = JSON.parse(fs.readFileSync(stats, 'utf8'));
  return { ...summaryOf(out), redraws, redrawsPerS: redraws / (mountedMs / 1000) };
}

const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

async function main() {
  if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is needed for the view-on runs: bash scripts/test-tools.sh installs it');
  const server = spawnPinned(0, [process.execPath, path.join(ROOT, 'bench', 'target-server.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const { port } = await firstJsonLine(server, 'target-server', 10_000);
  const url = `http://127.0.0.1:${port}/ingest`;
  log(`${PINNING}; ${RATE}/s for ${DURATION_S} s, ${REPEATS} repeat(s) of view off and view on`);
  const off = [];
  const on = [];
  for (let i = 0; i < REPEATS; i++) {
    log(`repeat ${i + 1}: view off …`);
    off.push(viewOff(url, i));
    log(`repeat ${i + 1}: view on (tmux) …`);
    on.push(await viewOn(url, i));
  }
  try {
    execFileSync('tmux', ['-L', socket, 'kill-server'], { stdio: 'ignore' });
  } catch {
    /* no server left */
  }
  const offCpu = median(off.map((r) => r.cpuUsPerReq));
  const onCpu = median(on.map((r) => r.cpuUsPerReq));
  table(`generator CPU per request at ${RATE}/s, ${DURATION_S} s, median of ${REPEATS}`, ['output', 'µs/request', 'each try', 'rate err %', 'redraws/s'], [
    ['view off (--log none)', round(offCpu, 1), off.map((r) => round(r.cpuUsPerReq, 1)).join(' '), round(median(off.map((r) => r.rateErrPct)), 3), null],
    ['view on (ink, tmux)', round(onCpu, 1), on.map((r) => round(r.cpuUsPerReq, 1)).join(' '), round(median(on.map((r) => r.rateErrPct)), 3), round(median(on.map((r) => r.redrawsPerS)), 1)],
    ['ratio on/off', ratio(onCpu, offCpu), null, null, null],
  ]);
  say(`the view adds ${round((onCpu / offCpu - 1) * 100, 1)} % CPU per request (aim: at most 5 %); ${round(median(on.map((r) => r.redrawsPerS)), 1)} redraws/s (at most 10)\n`);
  server.kill('SIGTERM');
  fs.rmSync(work, { recursive: true, force: true });
}

runGuarded(main, 30 * 60_000);
