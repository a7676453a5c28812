import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionStormFault, type StormFaultConfig } from '../../src/faults/connection-storm.js';
import type { FaultRunContext, RunFault } from '../../src/faults/message-fault.js';
import { resolveEnvRefs } from '../../src/faults/storm-postgres.js';
import { systemClock } from '../../src/util/clock.js';
import { isUserError } from '../../src/util/user-error.js';
import { startPostgres, waitFor, type TestPostgres } from '../support/postgres.js';

const MAX_CONNECTIONS = 20;
const ENV = 'RH_TEST_PG_PASSWORD';
const TOO_MANY = '53300 sorry, too many clients already';

function storm(url: string, connections: number, rampMs = 300): StormFaultConfig {
  return { name: 'pg-storm', kind: 'connection-storm', atMs: 0, forMs: null, select: { by: 'all' }, connections, rampMs, endpoint: { kind: 'postgres', url } };
}

const ctx = { clock: systemClock } as FaultRunContext;
type Details = { opened: number; refused: Record<string, number>; peakHeld: number; released: number; dropped: Record<string, number>; cancelled: number; attempts: number; heldAtEnd: number; endpoint: string };
const details = (f: RunFault): Details => f.effect().details as Details;
const settled = (d: Details): number => d.opened + Object.values(d.refused).reduce((a, b) => a + b, 0);

/** A connection storm against a real PostgreSQL (max_connections = 20) started and stopped here. */
describe('connection-storm: postgres', () => {
  let server: TestPostgres;
  let observer: pg.Client;

  beforeAll(async () => {
    server = await startPostgres({ maxConnections: MAX_CONNECTIONS, stormPassword: 'p@ss/w:rd' });
    process.env[ENV] = server.stormPassword;
    // held through the tests: it takes one slot, and can read pg_stat_activity while the storm holds the rest
    observer = await server.admin();
  }, 120_000);

  afterAll(async () => {
    delete process.env[ENV];
    await observer?.end().catch(() => undefined);
    await server?.stop();
  }, 60_000);

  const stormBackends = async (): Promise<number> => Number((await observer.query<{ n: string }>("SELECT count(*) AS n FROM pg_stat_activity WHERE usename = 'storm'")).rows[0].n);

  it('opens real connections until the server refuses them with its own reason; after stop the server holds none of them', async () => {
    const f = connectionStormFault(storm(server.stormUrl(`\${${ENV}}`), 30), ctx, 0);
    f.scheduled.apply.start();
    const d = await waitFor(() => details(f), (x) => settled(x) === 30, 30_000);
    const free = MAX_CONNECTIONS - 1; // the observer holds one
    expect(d).toMatchObject({ attempts: 30, opened: free, refused: { [TOO_MANY]: 30 - free }, peakHeld: free, dropped: {} });
    expect(await stormBackends()).toBe(free);
    f.scheduled.apply.stop();
    await f.released!();
    expect(details(f)).toMatchObject({ released: free, heldAtEnd: 0, cancelled: 0 });
    // a backend exits right after its client's Terminate: wait for the server to say so
    expect(await waitFor(stormBackends, (n) => n === 0)).toBe(0);
    expect(details(f).endpoint).toBe(`postgres://storm:***@127.0.0.1:${server.port}/postgres`);
    expect(JSON.stringify(f.effect())).not.toContain(server.stormPassword);
  });

  it('stopped mid-ramp: the attempts under way are cancelled, the held ones closed, none left on the server', async () => {
    const f = connectionStormFault(storm(server.stormUrl(`\${${ENV}}`), 10, 2_000), ctx, 0);
    f.scheduled.apply.start();
    await waitFor(() => details(f), (x) => x.opened >= 3, 20_000);
    f.scheduled.apply.stop();
    await f.released!();
    const d = details(f);
    expect(d.opened).toBeGreaterThanOrEqual(3);
    expect(d.attempts).toBeLessThan(10);
    expect(settled(d) + d.cancelled).toBe(d.attempts); // each attempt either opened, was refused or was cancelled
    expect(d).toMatchObject({ released: d.opened, heldAtEnd: 0, refused: {} });
    expect(await waitFor(stormBackends, (n) => n === 0)).toBe(0);
  });

  it('a wrong password is refused with the server\'s 28P01, nothing held', async () => {
    const f = connectionStormFault(storm(server.stormUrl('wrong'), 2, 0), ctx, 0);
    f.scheduled.apply.start();
    const d = await waitFor(() => details(f), (x) => settled(x) === 2, 20_000);
    f.scheduled.apply.stop();
    await f.released!();
    expect(d).toMatchObject({ opened: 0, refused: { '28P01 password authentication failed for user "storm"': 2 } });
  });

  it('${VAR} not set: a UserError naming the field and the variable, before anything is opened', () => {
    let err: unknown;
    try {
      connectionStormFault(storm('postgres://storm:${RH_TEST_NOT_SET}@127.0.0.1:1/db', 1), ctx, 3);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toBe('faults[3].postgres names ${RH_TEST_NOT_SET}, which is not set in the environment');
  });

  it('resolves ${VAR} percent-encoded, so a password with @ / : stays one URL part', () => {
    expect(resolveEnvRefs('postgres://u:${P}@h:5432/${D}', 'f', { P: 'a@b/c:d', D: 'app' })).toBe('postgres://u:a%40b%2Fc%3Ad@h:5432/app');
    expect(resolveEnvRefs('postgres://u:${P}@${H:-127.0.0.1}:${PORT:-5432}/db', 'f', { P: 'x', PORT: '' })).toBe('postgres://u:x@127.0.0.1:5432/db');
    expect(() => resolveEnvRefs('postgres://u:${P}@h/db', 'faults[0].postgres', {})).toThrow('faults[0].postgres names ${P}, which is not set in the environment');
  });
});
