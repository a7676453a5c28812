#!/usr/bin/env node
// Does the embedded sandbox distort measurement? Runs rushhour at the same rate against
//   (1) a plain node:http target (bench/target-server.mjs) on its own core,
//   (2) the sandbox served on its own by `rushhour sandbox`, on that same core,
//   (3) the embedded sandbox (`--target sandbox`: rushhour starts it as a child process),
// and compares the generator's CPU per request (summary.generator.cpuUsPerRequest: CPU of the
// rushhour process while its clock ran, child processes excluded) and its latency figures.
// Usage: npm run build && node bench/sandbox-overhead.mjs [--rate 2000] [--duration 15]
// A benchmark, never a test: the machine is shared and its figures are indicative.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({ options: { rate: { type: 'string', default: '2000' }, duration: { type: 'string', default: '15' } } });
const RATE = Number(opt.rate);
const DURATION_S = Number(opt.duration);
const ROOT = new URL('..', import.meta.url).pathname;
const HAS_TASKSET = spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const pin = (core, cmd) => (HAS_TASKSET ? ['taskset', ['-c', String(core), ...cmd]] : [cmd[0], cmd.slice(1)]);

/** Starts a server process and resolves with its URL, read from the first matching stdout line. */
function startServer(core, cmd, pattern, toUrl = (m) => m) {
  return new Promise((resolve, reject) => {
    const [bin, args] = pin(core, cmd);
    const child = spawn(bin, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no URL from ${cmd.join(' ')}`)), 30_000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = pattern.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: toUrl(m[1]), stop: () => new Promise((r) => { child.once('exit', r); child.kill('SIGINT'); }) });
      }
    });
  });
}

function runRushhour(target) {
  const out = join(mkdtempSync(join(tmpdir(), 'rh-overhead-')), 'run');
  const [bin, args] = pin(1, [process.execPath, 'bin/run.js', 'run', '--target', target, '--rate', String(RATE), '--duration', `${DURATION_S}s`, '--out', out, '--json', '--log', 'none']);
  const r = spawnSync(bin, args, { cwd: ROOT, encoding: 'utf8', timeout: (DURATION_S + 60) * 1000 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`rushhour exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const rows = [];
const plain = await startServer(0, [process.execPath, 'bench/target-server.mjs'], /"port":(\d+)/, (port) => `http://127.0.0.1:${port}`);
rows.push(['plain node:http (own core)', runRushhour(`${plain.url}/ingest`)]);
await plain.stop();
const sandbox = await startServer(0, [process.execPath, 'bin/run.js', 'sandbox', '--port', '0'], /POST (http:\/\/127\.0\.0\.1:\d+\/ingest)/);
rows.push(['sandbox (own core, rushhour sandbox)', runRushhour(sandbox.url)]);
await sandbox.stop();
rows.push(['sandbox (embedded, --target sandbox)', runRushhour('sandbox')]);

const base = rows[0][1].generator.cpuUsPerRequest;
process.stdout.write(`rushhour at ${RATE}/s for ${DURATION_S} s; generator ${HAS_TASKSET ? 'pinned to core 1, servers to core 0' : 'unpinned (no taskset)'}\n\n`);
process.stdout.write('target                                   achieved/s  gen CPU µs/req  vs plain  p50 ms   p99 ms   sent    errors\n');
for (const [label, s] of rows) {
  const g = s.generator.cpuUsPerRequest;
  process.stdout.write(`${label.padEnd(40)} ${String(s.rate.achieved).padStart(10)}  ${g.toFixed(1).padStart(14)}  ${(g / base).toFixed(2).padStart(8)}  ${s.latency.p50.toFixed(2).padStart(6)}  ${s.latency.p99.toFixed(2).padStart(7)}  ${String(s.counts.sent).padStart(6)}  ${s.counts.failed}\n`);
}
