import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DlqEntry } from '../../src/sandbox/dead-letter-queue.js';
import type { OutputEntry } from '../../src/sandbox/output-log.js';
import { sandboxParamsSchema } from '../../src/sandbox/params.js';
import { startSandbox } from '../../src/sandbox/spawn-sandbox.js';
import { UserError } from '../../src/util/user-error.js';
import { message, post, readAll, start, waitForStats } from './helpers.js';

/** The shipped example of a pipeline's own schema (ids msgId/deviceId/n, ISO `ts`, no schemaVersion). */
const ACME = join(import.meta.dirname, '..', '..', 'scenarios', 'schemas', 'acme-telemetry.schema.json');
const fields = { messageId: 'msgId', vehicleId: 'deviceId', seq: 'n', sentAt: 'ts', kind: 'event' };
const fast = { ingest: { initTime: '10ms', workTime: '1ms' }, processor: { initTime: '10ms' }, queue: { visibilityTimeout: '100ms', maxReceiveCount: 2 } };

function acme(id: string, n: number): string {
  return JSON.stringify({ deviceId: '1HGCM82633A004352', ts: '2024-03-07T10:00:00.000Z', gps: { lat: 52.52, lng: 13.4 }, speed: 31.2, msgId: id, n, event: 'harsh_braking' });
}

describe('sandbox with a user schema (sandbox.schema + sandbox.fields), real process', () => {
  it('processes conforming messages and dead-letters a built-in schema-v1 message as invalid', async () => {
    const sb = await start({ ...fast, schema: ACME, fields });
    try {
      for (const body of [acme('a-1', 1), message('v1-1'), acme('a-2', 2)]) expect((await post(sb, body)).status).toBe(202);
      const s = await waitForStats(sb, (x) => x.dlq.depth === 1 && x.queue.deleted === 2);
      expect(s.processor).toMatchObject({ processed: 2, failedInvalid: 2 });
      const out = await readAll<OutputEntry>(sb, '/output');
      expect(out.map(({ messageId, vehicleId, seq, kind, sentAt }) => ({ messageId, vehicleId, seq, kind, sentAt })).sort((x, y) => x.seq - y.seq)).toEqual([
        { messageId: 'a-1', vehicleId: '1HGCM82633A004352', seq: 1, kind: 'harsh_braking', sentAt: Date.UTC(2024, 2, 7, 10) },
        { messageId: 'a-2', vehicleId: '1HGCM82633A004352', seq: 2, kind: 'harsh_braking', sentAt: Date.UTC(2024, 2, 7, 10) },
      ]);
      // Same record shape as with schema v1.
      expect(Object.keys(out[0]).sort()).toEqual(['cursor', 'enqueuedAt', 'kind', 'messageId', 'processedAt', 'receiveCount', 'sentAt', 'seq', 'vehicleId']);
      const [dead] = await readAll<DlqEntry>(sb, '/dlq');
      expect(dead).toMatchObject({ receiveCount: 2, lastError: "invalid: (root) must have required property 'deviceId'" });
      expect(JSON.parse(dead.body)).toMatchObject({ messageId: 'v1-1', schemaVersion: 1 });
    } finally {
      await sb.stop();
    }
  });

  it('the built-in v1 message is still what the default (no schema) accepts, and the acme one is not', async () => {
    const sb = await start(fast);
    try {
      for (const body of [message('v1-1'), acme('a-1', 1)]) expect((await post(sb, body)).status).toBe(202);
      const s = await waitForStats(sb, (x) => x.dlq.depth === 1 && x.queue.deleted === 1);
      expect(s.processor.processed).toBe(1);
      expect((await readAll<DlqEntry>(sb, '/dlq'))[0].lastError).toBe('missing field messageId');
    } finally {
      await sb.stop();
    }
  });

  it('the sandbox process refuses to start on a schema file it cannot read: a UserError naming sandbox.schema', async () => {
    const missing = join(import.meta.dirname, 'no-such.schema.json');
    const err = await startSandbox(sandboxParamsSchema.parse({ schema: missing })).then(
      () => new Error('started'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe(`the sandbox cannot start: sandbox.schema: ${missing} cannot be read (file not found)`);
    expect((err as UserError).hint).toMatch(/sandbox\.schema/);
  });
});
