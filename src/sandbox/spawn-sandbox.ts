import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError } from '../util/user-error.js';
import type { SandboxParams } from './params.js';
import { SCHEMA_HINT } from './user-schema.js';

/** A running sandbox process. */
export interface SandboxHandle {
  /** `POST` messages here. */
  ingestUrl: string;
  /** `GET` the pipeline's counters here. */
  statsUrl: string;
  /** `http://127.0.0.1:PORT`, for `/output`, `/dlq`, `/healthz`, `/reset`. */
  baseUrl: string;
  port: number;
  pid: number;
  /** Sends SIGTERM and resolves when the process has exited (SIGKILL after 5 s). Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves when the process exits, for whatever reason. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few KB the process wrote on stderr. */
  stderrTail(): string;
}

export interface StartSandboxOptions {
  /** Port on 127.0.0.1; default 0 (a free port). */
  port?: number;
  /** How long to wait for the ready line (ms); default 20,000. */
  readyTimeoutMs?: number;
}

interface ReadyLine {
  ready: true;
  pid: number;
  port: number;
  baseUrl: string;
  ingestUrl: string;
  statsUrl: string;
}

const STDERR_TAIL_CHARS = 4000;
const KILL_AFTER_MS = 5000;

/**
 * Starts the sandbox pipeline in its own Node process (so it never shares the caller's event
 * loop) and resolves once it listens. `params` are resolved parameters (missing fields take
 * their defaults). Rejects with a UserError when the port cannot be listened on or the
 * `schema` file cannot be read or compiled (the child reads it; pass an absolute path), and with an
 * Error carrying the process's stderr when it dies or is not ready in time.
 * The child exits by itself if this process dies (its stdin closes).
 */
export async function startSandbox(params: SandboxParams, opts: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const port = opts.port ?? 0;
  const child = spawn(process.execPath, [...entryArgs(), '--params', JSON.stringify(params), '--port', String(port), '--watch-stdin'], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-STDERR_TAIL_CHARS);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const ready = await waitForReady(child, exited, opts.readyTimeoutMs ?? 20_000, port, () => stderr);
  unrefChild(child);
  let stopping: Promise<void> | undefined;
  return {
    ingestUrl: ready.ingestUrl,
    statsUrl: ready.statsUrl,
    baseUrl: ready.baseUrl,
    port: ready.port,
    pid: child.pid ?? ready.pid,
    exited,
    stderrTail: () => stderr,
    stop: () => (stopping ??= stopChild(child, exited)),
  };
}

/** `[--import tsx] main.ts` when running from TypeScript sources, else `main.js`. */
function entryArgs(): string[] {
  const fromSources = import.meta.url.endsWith('.ts');
  const main = fileURLToPath(new URL(fromSources ? './main.ts' : './main.js', import.meta.url));
  if (!fromSources) return [main];
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, main];
}

function waitForReady(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  timeoutMs: number,
  port: number,
  stderr: () => string,
): Promise<ReadyLine> {
  return new Promise<ReadyLine>((resolve, reject) => {
    let stdout = '';
    let settled = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(err);
    };
    const timer = setTimeout(() => fail(new Error(`the sandbox process was not ready within ${timeoutMs} ms${tail(stderr())}`)), timeoutMs);
    child.once('error', (err) => fail(new Error(`cannot start the sandbox process: ${err.message}`)));
    void exited.then(({ code, signal }) => {
      if (code === 2 && /sandbox\.schema/.test(stderr())) {
        fail(new UserError(`the sandbox cannot start: ${stderr().trim().replace(/^sandbox: /, '')}`, { hint: SCHEMA_HINT }));
      } else if (code === 1 && /cannot listen/.test(stderr())) {
        fail(new UserError(`the sandbox cannot listen on 127.0.0.1:${port}${tail(stderr())}`, { hint: 'choose another port with --port, or stop what uses it' }));
      } else {
        fail(new Error(`the sandbox process exited (${signal ?? `code ${code}`}) before it was ready${tail(stderr())}`));
      }
    });
    child.stdout?.setEncoding('utf8').on('data', (s: string) => {
      if (stdout.includes('\n')) return; // ready already seen; keep draining
      stdout += s;
      const nl = stdout.indexOf('\n');
      if (nl < 0) return;
      try {
        const line = JSON.parse(stdout.slice(0, nl)) as ReadyLine;
        if (line.ready !== true) throw new Error('no "ready": true');
        settled = true;
        clearTimeout(timer);
        resolve(line);
      } catch (err) {
        fail(new Error(`unexpected first line from the sandbox process (${(err as Error).message}): ${stdout.slice(0, 200)}`));
      }
    });
  });
}

/** Lets this process exit without waiting for the child (which then exits as its stdin closes). */
function unrefChild(child: ChildProcess): void {
  child.unref();
  for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.ref();
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
  await exited;
  clearTimeout(timer);
}

/** `:\n` and the trimmed text, or '' when there is none: appends a stderr tail to a message. */
export function tail(text: string): string {
  const t = text.trim();
  return t === '' ? '' : `:\n${t}`;
}
