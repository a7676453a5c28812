import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.js';

const INSTALL = 'install Debian\'s tmux (`apt-get install --no-install-recommends tmux`), or run `bash scripts/test-tools.sh` (as .ci/run does), which installs it when missing';

/**
 * A real terminal for the live view's end-to-end test: a detached tmux session on its own
 * socket (never the user's server), with keys sent and the pane captured. `close()` kills it.
 */
export class TmuxSession {
  private readonly socket = `rushhour-test-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  private readonly name = 'live';

  constructor(command: string, size: { columns: number; rows: number }, env: Record<string, string> = {}) {
    if (!existsSync('/usr/bin/tmux') && !commandExists('tmux')) throw new Error(`tmux not found: ${INSTALL}.`);
    const exports = Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ');
    this.tmux('new-session', '-d', '-s', this.name, '-x', String(size.columns), '-y', String(size.rows), `cd ${JSON.stringify(ROOT)} && env -u CI ${exports} ${command}; echo "RUSHHOUR_EXIT=$?"; sleep 120`);
  }

  send(...keys: string[]): void {
    this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /** The visible pane, plain text. */
  capture(): string {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** Polls the pane until `test` holds (or throws after `timeoutMs` with the last capture). */
  async waitFor(test: (pane: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    const until = Date.now() + timeoutMs;
    let pane = '';
    while (Date.now() < until) {
      pane = this.capture();
      if (test(pane)) return pane;
      if (/RUSHHOUR_EXIT=\d+/.test(pane)) break; // the command ended: waiting longer cannot help
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`the pane never showed ${what} within ${timeoutMs} ms; last capture:\n${pane}`);
  }

  /** Saves a capture among the test run's results (test-results/). */
  save(file: string, pane: string): void {
    const dir = join(ROOT, 'test-results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, file), pane);
  }

  close(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }
}

function commandExists(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
