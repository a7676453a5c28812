// Child processes of the bench: pinned to a core where taskset exists, tracked, and all killed
// when the bench exits or is interrupted.

import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { log } from './util.mjs';

export const HAS_TASKSET = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' }).status === 0 && os.cpus().length >= 2;
export const PINNING = HAS_TASKSET
  ? 'pinned: target on core 0 (taskset -c 0), generator on core 1 (taskset -c 1), one generator at a time'
  : 'NOT pinned: taskset not available (or fewer than 2 cores); target and generator share the cores';

const children = new Set();

/** Spawns `argv` pinned to `core` (when possible) and tracks it until it exits. */
export function spawnPinned(core, argv, options) {
  const [cmd, args] = HAS_TASKSET ? ['taskset', ['-c', String(core), ...argv]] : [argv[0], argv.slice(1)];
  const child = spawn(cmd, args, options);
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

export function killAll() {
  for (const c of children) {
    try {
      c.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killAll();
    process.exit(130);
  });
}

/**
 * Runs a bench's `main` under a global bound of `boundMs` (so nothing can hang forever), then kills
 * what is left and exits: 0 when `main` resolves, 1 when it rejects, 3 when the bound is reached.
 */
export function runGuarded(main, boundMs) {
  const guard = setTimeout(() => {
    log(`! bench exceeded its overall bound of ${Math.round(boundMs / 1000)} s; stopping`);
    killAll();
    process.exit(3);
  }, boundMs);
  guard.unref();
  main().then(
    () => {
      killAll();
      process.exit(0);
    },
    (e) => {
      log(`bench failed: ${e.stack ?? e}`);
      killAll();
      process.exit(1);
    },
  );
}

/** Resolves with the JSON of the first line a child prints (an endpoint's `{"port":…}`); rejects after `timeoutMs` or if it exits first. */
export function firstJsonLine(child, name, timeoutMs) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not report its port within ${timeoutMs / 1000} s`)), timeoutMs);
    child.stdout.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(JSON.parse(buf.slice(0, nl)));
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited early (${code})`));
    });
  });
}
