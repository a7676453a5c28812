import { describe, expect, it } from 'vitest';
import { message, post, readAll, start, stats, waitForStats } from './helpers.js';

describe('sandbox: concurrency caps and the rate limit', () => {
  it('throttles ingest requests past the ingest function reserved concurrency with 429', async () => {
    const sb = await start({ ingest: { reservedConcurrency: 2, initTime: '800ms', workTime: '1ms' } });
    try {
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(sb, message(`t-${i}`))));
      const accepted = answers.filter((a) => a.status === 202);
      const throttled = answers.filter((a) => a.status === 429);
      expect(accepted).toHaveLength(2);
      expect(throttled).toHaveLength(8);
      expect(throttled.every((a) => a.headers.get('x-sandbox-reason') === 'concurrency')).toBe(true);
      const s = await stats(sb);
      expect(s.ingest).toMatchObject({ received: 10, accepted: 2, throttled: 8, rateLimited: 0 });
      expect(s.ingestFunction).toMatchObject({ throttles: 8, coldStarts: 2, peakConcurrency: 2 });
    } finally {
      await sb.stop();
    }
  });

  it('throttles processor invocations past its reserved concurrency, backs off and still processes everything', async () => {
    const sb = await start({
      ingest: { initTime: '10ms' },
      processor: { reservedConcurrency: 1, initTime: '100ms', workTime: '20ms', throttleBackoff: '20ms' },
    });
    try {
      const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => post(sb, message(`p-${i}`))));
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const s = await waitForStats(sb, (x) => x.queue.deleted === 20);
      expect(s.processorFunction.throttles).toBeGreaterThan(0);
      expect(s.processorFunction).toMatchObject({ peakConcurrency: 1, coldStarts: 1 });
      expect(s.processor).toMatchObject({ processed: 20, duplicates: 0, failed: 0 });
      expect(s.dlq.depth).toBe(0);
      expect((await readAll(sb, '/output')).length).toBe(20);
    } finally {
      await sb.stop();
    }
  });

  it('scales the processor out gradually from initialConcurrency at scaleUpRate', async () => {
    const sb = await start({ ingest: { initTime: '10ms' }, processor: { initTime: '50ms', workTime: '300ms', initialConcurrency: 2, scaleUpRate: '600/m' } });
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(sb, message(`g-${i}`))));
      expect(answers.every((a) => a.status === 202)).toBe(true);
      const early = await stats(sb);
      expect(early.processorFunction.peakConcurrency).toBeLessThanOrEqual(2 + 10 * (early.uptimeMs / 1000));
      const s = await waitForStats(sb, (x) => x.queue.deleted === 40);
      expect(s.processorFunction.peakConcurrency).toBeGreaterThan(2);
      expect(s.processorFunction.peakConcurrency).toBeLessThan(40); // a herd would start 40 environments at once
      expect(s.processorFunction.throttles).toBe(0); // waiting to scale is not a throttle
      expect(s.processor.scalingLimit).toBeGreaterThan(2);
    } finally {
      await sb.stop();
    }
  });

  it('answers 429 rate-limit past the token bucket, and counts it', async () => {
    const sb = await start({ ingest: { rateLimit: 1, burst: 5, initTime: '10ms' } });
    try {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => post(sb, message(`r-${i}`))));
      const limited = answers.filter((a) => a.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(6); // 5 from the burst, at most one more refilled
      expect(limited.every((a) => a.headers.get('x-sandbox-reason') === 'rate-limit')).toBe(true);
      const s = await stats(sb);
      expect(s.ingest.rateLimited).toBe(limited.length);
      expect(s.ingest.accepted).toBe(12 - limited.length);
    } finally {
      await sb.stop();
    }
  });
});
