// The target: bench/target-server.mjs started on core 0, and control requests to it.

import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { firstJsonLine, spawnPinned } from './children.mjs';
import { sleep } from './util.mjs';

const TARGET_SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'target-server.mjs');

/** A control request to the target (never load): bounded by a 5 s timeout. */
export function control(port, method, pathname) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname, agent: false, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(body));
        } catch (e) {
          reject(e);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`control ${pathname} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

/** Starts the target (with a stall window `{ fromMs, toMs }`, or none) and waits for its port. */
export async function startTarget(stall) {
  const argv = [process.execPath, TARGET_SERVER, '--max-lifetime', '3600'];
  if (stall) argv.push('--stall-from', String(stall.fromMs), '--stall-to', String(stall.toMs));
  const child = spawnPinned(0, argv, { stdio: ['pipe', 'pipe', 'inherit'] });
  const info = await firstJsonLine(child, 'target', 10_000);
  return { child, port: info.port, pid: child.pid, url: `http://127.0.0.1:${info.port}/ingest` };
}

/** Closes the target's stdin (it exits on that); kills it if it is still there after 3 s. */
export async function stopTarget(t) {
  if (t.child.exitCode !== null) return;
  t.child.stdin.end();
  const gone = new Promise((r) => t.child.once('exit', r));
  await Promise.race([gone, sleep(3000)]);
  if (t.child.exitCode === null) t.child.kill('SIGKILL');
}
