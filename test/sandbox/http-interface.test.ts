import { request } from 'undici';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { defaultSandboxParams } from '../../src/sandbox/params.js';
import { message, post, readAll, start, stats, waitForStats } from './helpers.js';

describe('sandbox HTTP interface', () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await start({ ingest: { maxBodySize: '1KiB', initTime: '20ms' }, processor: { initTime: '20ms', batchSize: 3 } });
  });
  afterAll(() => sb?.stop());

  it('stats agree with what was sent, and the output holds every accepted message once', async () => {
    const before = await stats(sb);
    const ids = Array.from({ length: 200 }, (_, i) => `acc-${i}`);
    const answers: number[] = [];
    for (let i = 0; i < ids.length; i += 20) {
      const wave = await Promise.all(ids.slice(i, i + 20).map((id, k) => post(sb, message(id, { seq: i + k + 1 }))));
      answers.push(...wave.map((a) => a.status));
    }
    const accepted = answers.filter((s) => s === 202).length;
    expect(accepted).toBe(200);
    const s = await waitForStats(sb, (x) => x.queue.deleted + x.dlq.depth - before.queue.deleted - before.dlq.depth === accepted);
    expect(s.ingest.accepted - before.ingest.accepted).toBe(accepted);
    expect(s.ingest.received - before.ingest.received).toBe(200);
    expect(s.processor.processed - before.processor.processed + s.dlq.depth - before.dlq.depth).toBe(accepted);
    expect(s.queue).toMatchObject({ depth: 0, inFlight: 0, bytes: 0 });
    const out = (await readAll<OutputEntry>(sb, '/output', 37)).filter((e) => e.messageId.startsWith('acc-'));
    expect(out.map((e) => e.messageId).sort()).toEqual([...ids].sort());
    for (const e of out) expect(e.processedAt).toBeGreaterThanOrEqual(e.enqueuedAt);
  });

  it('answers 413 over maxBodySize, by Content-Length or by counting a chunked body', async () => {
    const before = (await stats(sb)).ingest.tooLarge;
    const big = await post(sb, message('big', { pad: 'x'.repeat(2000) }));
    expect(big.status).toBe(413);
    expect(big.headers.get('x-sandbox-reason')).toBe('too-large');
    const chunked = await request(sb.ingestUrl, { method: 'POST', body: Readable.from(['{"pad":"', 'y'.repeat(800), 'y'.repeat(800), '"}']) });
    await chunked.body.dump();
    expect(chunked.statusCode).toBe(413);
    expect((await post(sb, message('small'))).status).toBe(202);
    expect((await stats(sb)).ingest.tooLarge - before).toBe(2);
  });

  it('pages the output with a cursor, serves /healthz, and rejects unknown routes and bad cursors', async () => {
    await waitForStats(sb, (x) => x.output.written >= 2);
    const page = (await (await fetch(`${sb.baseUrl}/output?cursor=1&limit=1`)).json()) as { items: OutputEntry[]; nextCursor: number };
    expect(page.items).toHaveLength(1);
    expect(page.items[0].cursor).toBe(1);
    expect(page.nextCursor).toBe(2);
    expect(await (await fetch(`${sb.baseUrl}/healthz`)).json()).toEqual({ ok: true });
    expect((await fetch(`${sb.baseUrl}/nope`)).status).toBe(404);
    expect((await fetch(`${sb.baseUrl}/dlq?cursor=-1`)).status).toBe(400);
    expect((await fetch(sb.ingestUrl)).status).toBe(405);
  });

  it('POST /reset starts a fresh pipeline', async () => {
    expect((await fetch(`${sb.baseUrl}/reset`, { method: 'POST' })).status).toBe(200);
    const s = await stats(sb);
    expect(s.ingest.received).toBe(0);
    expect(s.output.written).toBe(0);
    expect((await post(sb, message('after-reset'))).headers.get('x-sandbox-cold')).toBe('1');
  });

  it('stops cleanly, and says so when the port is taken', async () => {
    const other = await startSandbox(defaultSandboxParams());
    await expect(startSandbox(defaultSandboxParams(), { port: other.port })).rejects.toThrow(/cannot listen on 127\.0\.0\.1:\d+/);
    await other.stop();
    expect(await other.exited).toEqual({ code: 0, signal: null });
    await other.stop(); // twice is fine
  });
});
