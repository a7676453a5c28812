import { describe, expect, it } from 'vitest';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import { message, post, readAll, start, waitForStats } from './helpers.js';

/** A spike: 20 messages at once, each needing its own processor environment (and connection). */
const spike = {
  ingest: { initTime: '10ms' },
  processor: { initTime: '100ms', workTime: '100ms', reservedConcurrency: 50, scaleUpRate: 'unlimited' },
  queue: { visibilityTimeout: '600ms', maxReceiveCount: 20 }, // longer than init + work: no second delivery
};

describe('sandbox: database connections', () => {
  it('refuses connections past maxConnections; invocations fail and are retried until done', async () => {
    const sb = await start({ ...spike, db: { maxConnections: 3 } });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sb, message(`d-${i}`))));
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const s = await waitForStats(sb, (x) => x.queue.deleted + x.dlq.depth === 20, 20_000);
      expect(s.db.refused).toBeGreaterThan(0);
      expect(s.db.peakInUse).toBe(3);
      expect(s.processor.failedDbRefused).toBeGreaterThan(0);
      expect(s.processor.failed).toBe(s.processor.failedDbRefused);
      expect(s.processorFunction.initFailures).toBe(s.processor.failedDbRefused); // refused at init: thrown away
      expect(s.dlq.depth).toBe(0);
      expect(s.processor.processed).toBe(20);
      const out = await readAll<OutputEntry>(sb, '/output');
      expect(out.some((e) => e.receiveCount > 1)).toBe(true); // retried after the visibility timeout
    } finally {
      await sb.stop();
    }
  });

  it('with proxy: true, multiplexes onto a few connections and refuses none', async () => {
    const sb = await start({ ...spike, db: { maxConnections: 3, proxy: true, proxyConnections: 2 } });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sb, message(`x-${i}`))));
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const s = await waitForStats(sb, (x) => x.queue.deleted === 20, 20_000);
      expect(s.db).toMatchObject({ refused: 0, proxy: true });
      expect(s.db.peakInUse).toBeLessThanOrEqual(2);
      expect(s.db.proxyClients).toBeGreaterThan(3);
      expect(s.processor).toMatchObject({ failed: 0, processed: 20 });
      const out = await readAll<OutputEntry>(sb, '/output');
      expect(out.every((e) => e.receiveCount === 1)).toBe(true);
    } finally {
      await sb.stop();
    }
  });
});
