import { describe, expect, it } from 'vitest';
import { connectionStormFault } from '../../src/faults/connection-storm.js';
import type { FaultRunContext, RunFault } from '../../src/faults/message-fault.js';
import { systemClock } from '../../src/util/clock.js';
import { waitFor } from '../support/postgres.js';
import { message, post, start, stats, waitForStats } from './helpers.js';

type Details = { opened: number; refused: Record<string, number>; peakHeld: number; released: number; heldAtEnd: number };
const details = (f: RunFault): Details => f.effect().details as Details;

function dbStorm(baseUrl: string, connections: number): RunFault {
  const ctx = { clock: systemClock, sandboxUrl: baseUrl } as FaultRunContext;
  return connectionStormFault({ name: 'db', kind: 'connection-storm', atMs: 0, forMs: null, select: { by: 'all' }, connections, rampMs: 0, endpoint: { kind: 'sandbox-db' } }, ctx, 0);
}

/** `GET /db/connect`, the door a `sandbox: db` connection storm opens: it holds the sandbox database's connections, and the processor suffers. */
describe('sandbox: the database door (GET /db/connect)', () => {
  it('holds connections up to maxConnections, refuses the rest with the reason; the processor\'s new environments are refused → retries → DLQ; released on close', async () => {
    const sb = await start({
      db: { maxConnections: 3 },
      processor: { initTime: '20ms', workTime: '5ms' },
      queue: { visibilityTimeout: '200ms', maxReceiveCount: 2 },
    });
    try {
      const storm = dbStorm(sb.baseUrl, 5);
      storm.scheduled.apply.start();
      const d = await waitFor(() => details(storm), (x) => x.opened + (x.refused['503 too many clients already'] ?? 0) === 5, 10_000);
      expect(d).toMatchObject({ opened: 3, refused: { '503 too many clients already': 2 }, peakHeld: 3 });
      expect((await stats(sb)).db).toMatchObject({ inUse: 3, peakInUse: 3, refused: 2 });

      // every processor environment needs a connection at init: all refused while the storm holds them
      for (let i = 0; i < 4; i++) expect((await post(sb, message(`s-${i}`))).status).toBe(202);
      const during = await waitForStats(sb, (s) => s.dlq.depth === 4, 15_000);
      expect(during.processor.failedDbRefused).toBeGreaterThan(0); // each batch: two receives, both refused
      expect(during.processor.processed).toBe(0);
      expect(during.db.refused).toBeGreaterThan(2);

      storm.scheduled.apply.stop();
      await storm.released!();
      expect(details(storm)).toMatchObject({ released: 3, heldAtEnd: 0 });
      expect((await waitForStats(sb, (s) => s.db.inUse === 0, 10_000)).db.inUse).toBe(0);

      // the storm gone, the processor connects again
      for (let i = 0; i < 4; i++) expect((await post(sb, message(`a-${i}`))).status).toBe(202);
      const after = await waitForStats(sb, (s) => s.processor.processed === 4, 15_000);
      expect(after.dlq.depth).toBe(4);
    } finally {
      await sb.stop();
    }
  });

  it('with the proxy, the door is a proxy client: never refused', async () => {
    const sb = await start({ db: { maxConnections: 2, proxy: true, proxyConnections: 1 } });
    try {
      const storm = dbStorm(sb.baseUrl, 4);
      storm.scheduled.apply.start();
      await waitFor(() => details(storm), (x) => x.opened === 4, 10_000);
      expect((await stats(sb)).db).toMatchObject({ proxyClients: 4, refused: 0 });
      storm.scheduled.apply.stop();
      await storm.released!();
      expect((await waitForStats(sb, (s) => s.db.proxyClients === 0, 10_000)).db.proxyClients).toBe(0);
    } finally {
      await sb.stop();
    }
  });
});
