import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startPostgres, waitFor, type TestPostgres } from '../support/postgres.js';

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
const TOO_MANY = '53300 sorry, too many clients already';

function scenario(lines: string[]): string {
  const file = join(tempDir(), 'storm.yaml');
  writeFileSync(file, ['name: storm', 'seed: 5', 'fleet: { vehicles: 100 }', 'target: sandbox', 'engine: { warmup: 0 }', ...lines, ''].join('\n'));
  return file;
}

/** A loopback HTTP server that counts the sockets open on its side and holds them (60 s keep-alive). */
async function countingServer(): Promise<{ url: string; server: Server; readonly open: number }> {
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => res.end('ok'));
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/healthz`, server,
    get open() {
      return sockets.size;
    },
  };
}

/** connection-storm through the CLI (child processes): summary.json's faults[], and nothing left behind after Ctrl-C. */
describe('connection-storm (child process)', () => {
  it('sandbox: db — the storm takes what the database has left, is refused the rest with its reason, releases all at for\'s end', async () => {
    const out = join(tempDir(), 'db');
    const r = await runCli(['run', scenario([
      'sandbox: { db: { maxConnections: 5 }, queue: { maxReceiveCount: 2, visibilityTimeout: 500ms } }',
      'phases:', '  - { kind: constant, rate: 100/s, duration: 4s }', 'probes: { drain: 3s }',
      'faults:', '  - { kind: connection-storm, name: db, at: 500ms, for: 2s, connections: 10, ramp: 0s, sandbox: db }',
    ]), '--out', out], { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const [f] = summaryOf(out).faults;
    expect(f).toMatchObject({ name: 'db', kind: 'connection-storm', messages: 0, windows: [{ startedBy: 'schedule', stoppedBy: 'schedule' }] });
    const d = f.details;
    expect(d).toMatchObject({ endpoint: "the sandbox's database", connections: 10, attempts: 10, cancelled: 0, dropped: {}, heldAtEnd: 0 });
    expect(d.opened).toBeGreaterThan(0);
    expect(d.opened).toBeLessThanOrEqual(5);
    expect(d.refused).toEqual({ '503 too many clients already': 10 - d.opened });
    expect(d.peakHeld).toBe(d.opened);
    expect(d.released).toBe(d.opened);
  }, 90_000);

  it('http — Ctrl-C mid-storm: exit 130, every socket released (the server\'s own count is 0 before the CLI has exited)', async () => {
    const srv = await countingServer();
    try {
      const out = join(tempDir(), 'http');
      const run = runCli(['run', scenario([
        'phases:', '  - { kind: constant, rate: 20/s, duration: 60s }', 'probes: { output: none, dlq: none }',
        'faults:', `  - { kind: connection-storm, name: web, connections: 20, ramp: 200ms, http: "${srv.url}" }`,
      ]), '--out', out], { timeoutMs: 90_000 });
      let openAtExit = -1;
      run.child.once('exit', () => (openAtExit = srv.open));
      expect(await waitFor(() => srv.open, (n) => n === 20, 30_000)).toBe(20);
      run.child.kill('SIGINT');
      const r = await run;
      expect(r.code, r.stderr).toBe(130);
      expect(openAtExit).toBe(0); // released by the storm itself, not by the process's death
      const [f] = summaryOf(out).faults;
      expect(f.windows[0].stoppedBy).toBe('interrupted');
      expect(f.details).toMatchObject({ opened: 20, refused: {}, peakHeld: 20, released: 20, heldAtEnd: 0 });
    } finally {
      srv.server.closeAllConnections();
      await new Promise<void>((r) => srv.server.close(() => r()));
    }
  }, 120_000);

  describe('postgres (a real server, max_connections = 20, started and stopped here)', () => {
    let server: TestPostgres;
    beforeAll(async () => {
      server = await startPostgres({ maxConnections: 20 });
    }, 120_000);
    afterAll(async () => {
      await server?.stop();
    }, 60_000);
    const env = () => ({ RUSHHOUR_PG_PORT: String(server.port), RUSHHOUR_PG_PASSWORD: server.stormPassword });

    it('scenarios/connection-storm-postgres.yaml, shortened: 20 opened, 10 refused with the server\'s reason, none left in pg_stat_activity', async () => {
      const out = join(tempDir(), 'pg');
      const r = await runCli(['run', 'scenarios/connection-storm-postgres.yaml', '--duration', '12s', '--out', out], { timeoutMs: 90_000, env: env() });
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.stdout + r.stderr).not.toContain(server.stormPassword);
      const [f] = summaryOf(out).faults;
      expect(f.windows[0]).toMatchObject({ startedBy: 'schedule', stoppedBy: 'end' });
      expect(f.details).toMatchObject({ opened: 20, refused: { [TOO_MANY]: 10 }, peakHeld: 20, released: 20, heldAtEnd: 0, cancelled: 0 });
      expect(f.details.endpoint).toMatch(/^postgres:\/\/storm:\*\*\*@/);
      expect(readFileSync(join(out, 'summary.json'), 'utf8')).not.toContain(server.stormPassword);
      expect(await waitFor(() => server.stormBackends(), (n) => n === 0)).toBe(0);
    }, 120_000);

    it('Ctrl-C mid-storm: exit 130, and the server\'s pg_stat_activity holds none of the storm\'s connections', async () => {
      const observer: pg.Client = await server.admin(); // holds one of the 20 slots, so it can look while the storm holds the rest
      try {
        const backends = async () => Number((await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE usename = 'storm'")).rows[0].n);
        const out = join(tempDir(), 'pg-int');
        const run = runCli(['run', scenario([
          'phases:', '  - { kind: constant, rate: 20/s, duration: 60s }', 'probes: { output: none, dlq: none }',
          'faults:', `  - { kind: connection-storm, name: pg, connections: 30, ramp: 1s, postgres: 'postgres://storm:\${RUSHHOUR_PG_PASSWORD}@127.0.0.1:\${RUSHHOUR_PG_PORT}/postgres' }`,
        ]), '--out', out], { timeoutMs: 90_000, env: env() });
        expect(await waitFor(backends, (n) => n === 19, 30_000)).toBe(19);
        run.child.kill('SIGINT');
        const r = await run;
        expect(r.code, r.stderr).toBe(130);
        const d = summaryOf(out).faults[0].details;
        expect(d).toMatchObject({ opened: 19, peakHeld: 19, released: 19, heldAtEnd: 0 });
        // the ramp may not be over at Ctrl-C: each attempt made was held, refused by the server or cancelled
        expect(d.attempts).toBeLessThanOrEqual(30);
        expect(d.opened + (d.refused[TOO_MANY] ?? 0) + d.cancelled).toBe(d.attempts);
        expect(await waitFor(backends, (n) => n === 0)).toBe(0);
      } finally {
        await observer.end();
      }
    }, 120_000);
  });
});
