import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { FaultStatus, TriggerResult } from '../engine/timeline.js';
import { UserError } from '../util/user-error.js';

/** In a results directory while its run is going: where its fault control listens (removed at the end). */
export const CONTROL_FILE = 'control.json';

/** What the control endpoint drives: the engine's manual triggers. */
export interface FaultControlled {
  startFault(name: string): TriggerResult;
  stopFault(name: string): TriggerResult;
  faults(): FaultStatus[];
}

interface ControlInfo {
  url: string;
  token: string;
  pid: number;
}

/**
 * A running run's fault control, for game days driven from a second terminal: an HTTP endpoint
 * on 127.0.0.1 (a free port) whose URL and a random token go into DIR/control.json (mode 0600);
 * `GET /faults` lists the run's faults, `POST /faults/NAME/start|stop` triggers one (journaled
 * like a scheduled one, by: manual). Every request must carry the token. Closed, the file goes.
 */
export async function startFaultControl(dir: string, run: FaultControlled): Promise<{ close(): Promise<void> }> {
  const token = randomBytes(16).toString('hex');
  const server = createServer((req, res) => answer(req, res, token, run));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const file = join(dir, CONTROL_FILE);
  const info: ControlInfo = { url: `http://127.0.0.1:${port}`, token, pid: process.pid };
  writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        rmSync(file, { force: true });
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, token: string, run: FaultControlled): void {
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  if (req.headers['x-rushhour-token'] !== token) return send(403, { ok: false, reason: 'wrong or missing token (read it from control.json)' });
  const path = (req.url ?? '/').split('?')[0];
  if (req.method === 'GET' && path === '/faults') return send(200, { ok: true, faults: run.faults() });
  const m = /^\/faults\/([^/]+)\/(start|stop)$/.exec(path);
  if (req.method !== 'POST' || !m) return send(404, { ok: false, reason: `no route ${req.method} ${path}` });
  const name = decodeURIComponent(m[1]);
  const r = m[2] === 'start' ? run.startFault(name) : run.stopFault(name);
  send(r.ok ? 200 : 409, r);
}

/** Sends one request to the run in `dir`; a UserError when no run is going there or it does not answer. */
export async function controlRequest(dir: string, method: 'GET' | 'POST', path: string): Promise<{ ok: boolean; reason?: string; faults?: FaultStatus[] }> {
  const file = join(dir, CONTROL_FILE);
  if (!existsSync(file)) {
    throw new UserError(`no run with faults is going in ${dir} (${CONTROL_FILE} not found)`, { hint: 'pass the --out directory of a run in progress whose scenario has a faults: list' });
  }
  const info = JSON.parse(readFileSync(file, 'utf8')) as ControlInfo;
  try {
    const res = await fetch(`${info.url}${path}`, { method, headers: { 'x-rushhour-token': info.token }, signal: AbortSignal.timeout(5000) });
    return (await res.json()) as { ok: boolean; reason?: string; faults?: FaultStatus[] };
  } catch (e) {
    throw new UserError(`the run in ${dir} does not answer at ${info.url} (${(e as Error).message}): it has probably ended`, { hint: `rushhour report ${dir} shows what it recorded` });
  }
}
