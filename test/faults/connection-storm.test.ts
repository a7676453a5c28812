import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionStormFault, stormFault, type StormFaultConfig } from '../../src/faults/connection-storm.js';
import type { FaultRunContext, RunFault } from '../../src/faults/message-fault.js';
import type { StormConnector, StormReport } from '../../src/faults/storm-connector.js';
import { refusalOf } from '../../src/faults/storm-http.js';
import type { StormEndpoint } from '../../src/scenario/fault-schemas/storm-schema.js';
import { systemClock } from '../../src/util/clock.js';
import { isUserError } from '../../src/util/user-error.js';
import { FakeClock } from '../support/fake-clock.js';
import { closedPort } from '../support/http-server.js';
import { waitFor } from '../support/postgres.js';

type Details = { opened: number; refused: Record<string, number>; peakHeld: number; released: number; dropped: Record<string, number>; cancelled: number; attempts: number; heldAtEnd: number };
const details = (f: RunFault): Details => f.effect().details as Details;
const settled = (d: Details): number => d.opened + Object.values(d.refused).reduce((a, b) => a + b, 0);

function storm(endpoint: StormEndpoint, connections: number, rampMs = 200): StormFaultConfig {
  return { name: 'storm', kind: 'connection-storm', atMs: 0, forMs: null, select: { by: 'all' }, connections, rampMs, endpoint };
}

/** A loopback HTTP server that counts its own open sockets and answers 503 past `limit` of them. */
interface CountingServer {
  url: string;
  server: Server;
  /** Sockets open on the server's side now. */
  readonly open: number;
  close(): Promise<void>;
}

async function countingServer(limit: number): Promise<CountingServer> {
  const sockets = new Set<Socket>();
  const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
    if (sockets.size > limit) {
      res.writeHead(503, { connection: 'close', 'content-type': 'text/plain' });
      res.end('busy');
    } else res.end('ok');
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/healthz`, server,
    get open() {
      return sockets.size;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const ctx = { clock: systemClock } as FaultRunContext;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

describe('connection-storm: http (a real loopback server)', () => {
  it('holds its sockets, is refused past the server\'s limit, and leaves the server no socket after stop', async () => {
    const srv = await countingServer(20);
    cleanup.push(() => srv.close());
    const f = connectionStormFault(storm({ kind: 'http', url: srv.url }, 30), ctx, 0);
    f.scheduled.apply.start();
    const d = await waitFor(() => details(f), (x) => settled(x) === 30, 20_000);
    expect(d).toMatchObject({ attempts: 30, opened: 20, refused: { '503 Service Unavailable': 10 }, peakHeld: 20, dropped: {} });
    expect(await waitFor(() => srv.open, (n) => n === 20)).toBe(20); // the refused ones were closed
    f.scheduled.apply.stop();
    await f.released!();
    expect(details(f)).toMatchObject({ released: 20, heldAtEnd: 0, cancelled: 0 });
    expect(await waitFor(() => srv.open, (n) => n === 0)).toBe(0);
  });

  it('nothing listening: every attempt refused as ECONNREFUSED', async () => {
    const f = connectionStormFault(storm({ kind: 'http', url: `http://127.0.0.1:${await closedPort()}/` }, 5, 0), ctx, 0);
    f.scheduled.apply.start();
    const d = await waitFor(() => details(f), (x) => settled(x) === 5, 20_000);
    await f.released!();
    expect(d).toMatchObject({ opened: 0, refused: { ECONNREFUSED: 5 }, peakHeld: 0 });
  });

  it('the server closes held sockets: counted as dropped, not released', async () => {
    const srv = await countingServer(100);
    cleanup.push(() => srv.close());
    const f = connectionStormFault(storm({ kind: 'http', url: srv.url }, 4, 0), ctx, 0);
    f.scheduled.apply.start();
    await waitFor(() => details(f), (x) => x.opened === 4, 20_000);
    srv.server.closeAllConnections();
    const d = await waitFor(() => details(f), (x) => x.heldAtEnd === 0, 20_000);
    f.scheduled.apply.stop();
    await f.released!();
    expect(d).toMatchObject({ opened: 4, dropped: { 'closed by the server': 4 }, heldAtEnd: 0 });
    expect(details(f).released).toBe(0);
  });

  it('sandbox: db without the sandbox as target is a UserError before the load', () => {
    let err: unknown;
    try {
      connectionStormFault(storm({ kind: 'sandbox-db' }, 5), ctx, 2);
    } catch (e) {
      err = e;
    }
    expect(isUserError(err)).toBe(true);
    expect((err as Error).message).toMatch(/^faults\[2\]\.sandbox: db storms the embedded sandbox's database, but this run's target is not the sandbox$/);
  });

  it('reads a refusal from the response head: 429 and 5xx, the sandbox\'s reason first', () => {
    expect(refusalOf('HTTP/1.1 200 OK\r\ncontent-type: text/plain')).toBeNull();
    expect(refusalOf('HTTP/1.1 404 Not Found')).toBeNull();
    expect(refusalOf('HTTP/1.1 503 Service Unavailable\r\nX-Sandbox-Reason: too many clients already')).toBe('503 too many clients already');
    expect(refusalOf('HTTP/1.1 429 Too Many Requests')).toBe('429 Too Many Requests');
    expect(refusalOf('SSH-2.0-OpenSSH')).toBe('not an HTTP response');
  });
});

/** A connector whose attempts the test settles by hand; counts its closes. */
function manualConnector(): { connector: StormConnector; reports: StormReport[]; closes: number } {
  const state = { reports: [] as StormReport[], closes: 0 };
  return {
    connector: (report) => {
      state.reports.push(report);
      return { close: async () => void state.closes++ };
    },
    reports: state.reports,
    get closes() {
      return state.closes;
    },
  };
}

describe('connection-storm: the ramp and the lifecycle (fake clock)', () => {
  const cfg = storm({ kind: 'http', url: 'http://127.0.0.1:1/' }, 10, 1_000);

  it('opens connection i at i × ramp / N on the run\'s clock; stop cancels the rest, aborts those under way, closes the held', async () => {
    const clock = new FakeClock();
    const m = manualConnector();
    const f = stormFault(cfg, clock, m.connector);
    f.scheduled.apply.start();
    expect(m.reports.length).toBe(0); // start() itself opens nothing
    clock.advanceTo(0);
    expect(m.reports.length).toBe(1);
    clock.advanceTo(450);
    expect(m.reports.length).toBe(5); // due at 0, 100, 200, 300, 400
    m.reports[0].held();
    m.reports[1].held();
    m.reports[2].refused('503 too many clients already');
    m.reports[1].dropped('closed by the server');
    f.scheduled.apply.stop();
    clock.advanceTo(5_000);
    expect(m.reports.length).toBe(5);
    await f.released!();
    m.reports[3].held(); // reports after the stop are ignored
    expect(details(f)).toMatchObject({ attempts: 5, opened: 2, refused: { '503 too many clients already': 1 }, dropped: { 'closed by the server': 1 }, released: 1, cancelled: 2, peakHeld: 2, heldAtEnd: 0 });
    expect(m.closes).toBe(5); // every attempt's socket closed, whatever became of it
  });

  it('ramp 0: all at once in the first tick; started again after a stop (a manual storm), its counts add up', async () => {
    const clock = new FakeClock();
    const m = manualConnector();
    const f = stormFault({ ...cfg, rampMs: 0 }, clock, m.connector);
    for (let round = 0; round < 2; round++) {
      f.scheduled.apply.start();
      f.scheduled.apply.start(); // a second start while active does nothing
      clock.advanceTo(clock.now());
      for (const r of m.reports.slice(round * 10)) r.held();
      f.scheduled.apply.stop();
      await f.released!();
    }
    expect(details(f)).toMatchObject({ attempts: 20, opened: 20, released: 20, peakHeld: 10, heldAtEnd: 0 });
    expect(f.effect()).toMatchObject({ messages: 0, examples: [] });
  });
});
