import { describe, expect, it } from 'vitest';
import type { SandboxParamsInput } from '../../src/sandbox/params.js';
import { body, EPOCH, withStream, type StreamHarness } from './stream-harness.js';

/**
 * The kinesis door's event source mapping on a fake clock (init 10 ms, work 10 ms, query 1 ms):
 * every assertion is about model time, so none depends on how fast this machine is.
 */

/** Two valid records, then the poison one, on shard 0's key; two valid ones on shard 1. */
function putPoisonBatch(h: StreamHarness): { a: string; b: string } {
  const a = h.keyOn(0, 'A');
  const b = h.keyOn(1, 'B');
  const answer = h.put([[a, body('a1')], [a, body('a2')], [a, 'not json'], [b, body('b1')], [b, body('b2')]]);
  expect(answer.FailedRecordCount).toBe(0);
  return { a, b };
}

/** Advances until shard `i` is no longer blocked (at most `maxMs`); returns the iterator ages seen while it was. */
function agesWhileBlocked(h: StreamHarness, i: number, maxMs = 10_000): number[] {
  const ages: number[] = [];
  for (let n = 0; n < maxMs / 5; n++) {
    h.advance(5);
    const s = h.shard(i);
    if (!s.blocked && ages.length > 0) return ages;
    if (s.blocked) {
      ages.push(s.iteratorAgeMs);
      // Blocked is this shard alone: the other one has caught up.
      if (h.now() > 30) expect(h.shard(1 - i)).toMatchObject({ blocked: false, iteratorAgeMs: 0, pending: 0 });
    }
  }
  return ages;
}

const poison = (stream: SandboxParamsInput['stream']): SandboxParamsInput => ({ stream: { shards: 2, batchSize: 10, maxRetries: 3, ...stream } });

describe('kinesis stream: the event source mapping', () => {
  it('processes every record once, each partition key in order, across shards and lanes', () => {
    withStream({ stream: { shards: 2, parallelizationFactor: 3, batchSize: 5 } }, (h) => {
      const records: [string, string][] = [];
      for (let seq = 1; seq <= 10; seq++) for (let v = 0; v < 6; v++) records.push([`VIN-${v}`, body(`m-${v}-${seq}`, `VIN-${v}`, seq)]);
      expect(h.put(records).FailedRecordCount).toBe(0);
      h.advance(2000);
      const out = h.output.read(0, 1000).items;
      expect(out).toHaveLength(60);
      expect(new Set(out.map((e) => e.messageId)).size).toBe(60);
      for (let v = 0; v < 6; v++) expect(out.filter((e) => e.vehicleId === `VIN-${v}`).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      const stats = h.stream.stats();
      expect(stats.shards.map((s) => [s.written, s.pending, s.iteratorAgeMs, s.blocked])).toEqual([
        [stats.shards[0].written, 0, 0, false],
        [60 - stats.shards[0].written, 0, 0, false],
      ]);
      expect(stats.shards[0].iteratorAgeMsMax).toBeGreaterThan(0);
      expect(h.processor.stats()).toMatchObject({ processed: 60, duplicates: 0, failed: 0 });
    });
  });

  it('waits batchWindow from the oldest record for a fuller batch', () => {
    withStream({ stream: { shards: 1, batchSize: 3, batchWindow: '100ms' } }, (h) => {
      h.put([['k', body('1')]]);
      h.advance(50);
      h.put([['k', body('2')]]);
      h.advance(40);
      expect(h.processor.stats().invocations).toBe(0); // 90 ms: still gathering
      h.advance(20);
      expect(h.processor.stats().invocations).toBe(1); // window over at 100 ms: one batch of 2
      h.put([['k', body('3')], ['k', body('4')], ['k', body('5')]]);
      h.advance(40); // a full batch does not wait (after the first invocation ends)
      expect(h.processor.stats()).toMatchObject({ invocations: 2, processed: 5 });
    });
  });

  it('a poison record blocks its shard only, its iterator age growing, until retries run out; then the batch goes to the DLQ', () => {
    withStream(poison({}), (h) => {
      putPoisonBatch(h);
      const ages = agesWhileBlocked(h, 0);
      expect(ages.length).toBeGreaterThan(3);
      for (let i = 1; i < ages.length; i++) expect(ages[i]).toBeGreaterThan(ages[i - 1]);
      expect(h.shard(0)).toMatchObject({ blocked: false, pending: 0, iteratorAgeMs: 0, retries: 3, discarded: 3, written: 3 });
      expect(h.shard(0).iteratorAgeMsMax).toBeGreaterThanOrEqual(ages[ages.length - 1]);
      // The whole batch failed 4 times (1 + 3 retries): a1 and a2 were written each time.
      expect(h.processor.stats()).toMatchObject({ processed: 4, duplicates: 6, failedInvalid: 4 });
      expect(h.dlqEntries().map((e) => [e.messageId, e.receiveCount, e.lastError, e.shardId])).toEqual([
        ['a1', 4, 'batch failed: malformed JSON', 'shardId-000000000000'],
        ['a2', 4, 'batch failed: malformed JSON', 'shardId-000000000000'],
        [null, 4, 'malformed JSON', 'shardId-000000000000'],
      ]);
      const p = h.dlqEntries()[2];
      expect(p).toMatchObject({ body: 'not json', bodyBytes: 8, queueMessageId: 3, enqueuedAt: EPOCH, sequenceNumber: '49' + '0'.repeat(53) + '2' });
      // The shard moves on.
      h.put([[h.keyOn(0, 'A'), body('a3')]]);
      h.advance(100);
      expect(h.outputIds()).toContain('a3');
    });
  });

  it('with bisectOnError only the poison record goes to the DLQ; the halves before it are written again', () => {
    withStream(poison({ bisectOnError: true }), (h) => {
      putPoisonBatch(h);
      expect(agesWhileBlocked(h, 0).length).toBeGreaterThan(1);
      // [a1 a2 P] fails (a1, a2 written) → [a1 a2] ok (written again) → [P] fails 1 + 3 times.
      expect(h.dlqEntries().map((e) => [e.messageId, e.receiveCount, e.lastError])).toEqual([[null, 5, 'malformed JSON']]);
      expect(h.processor.stats()).toMatchObject({ processed: 4, duplicates: 2 });
      expect(h.shard(0)).toMatchObject({ retries: 3, discarded: 1, blocked: false, pending: 0 });
    });
  });

  it('with reportBatchItemFailures the records before the poison one are checkpointed: no duplicates', () => {
    withStream(poison({ reportBatchItemFailures: true }), (h) => {
      putPoisonBatch(h);
      expect(agesWhileBlocked(h, 0).length).toBeGreaterThan(1);
      expect(h.dlqEntries().map((e) => [e.messageId, e.receiveCount])).toEqual([[null, 4]]);
      expect(h.processor.stats()).toMatchObject({ processed: 4, duplicates: 0 });
      expect(h.outputIds().sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
    });
  });

  it('with unlimited retries the shard stays blocked; records behind it wait', () => {
    withStream(poison({ maxRetries: 'unlimited' }), (h) => {
      putPoisonBatch(h);
      h.advance(100);
      h.put([[h.keyOn(0, 'A'), body('a3')]]);
      h.advance(5000);
      expect(h.shard(0)).toMatchObject({ blocked: true, pending: 4, iteratorAgeMs: 5100 });
      expect(h.shard(0).retries).toBeGreaterThan(100);
      expect(h.shard(1)).toMatchObject({ blocked: false, pending: 0, iteratorAgeMs: 0 });
      expect(h.dlq.depth).toBe(0);
      expect(h.outputIds()).not.toContain('a3');
    });
  });

  it('maxRecordAge gives up on a batch that is too old, and on waiting records before trying them', () => {
    withStream({ stream: { shards: 1, batchSize: 2, maxRecordAge: '1s' } }, (h) => {
      h.put([['k', body('a1')], ['k', 'not json'], ['k', body('a3')], ['k', body('a4')]]);
      h.advance(1500);
      expect(h.dlqEntries().map((e) => [e.messageId, e.receiveCount, e.lastError])).toEqual([
        ['a1', expect.any(Number), 'batch failed: malformed JSON'],
        [null, expect.any(Number), 'malformed JSON'],
        // Never tried: the body was not read, so no messageId.
        [null, 0, 'expired: older than maxRecordAge (1000 ms)'],
        [null, 0, 'expired: older than maxRecordAge (1000 ms)'],
      ]);
      expect(h.dlqEntries()[1].movedAt - EPOCH).toBeGreaterThanOrEqual(1000);
      expect(h.shard(0)).toMatchObject({ discarded: 4, blocked: false, pending: 0 });
      h.put([['k', body('a5')]]);
      h.advance(100);
      expect(h.outputIds()).toEqual(expect.arrayContaining(['a1', 'a5']));
    });
  });

  it('onFailure discard drops what it gives up on', () => {
    withStream(poison({ maxRetries: 0, onFailure: 'discard' }), (h) => {
      putPoisonBatch(h);
      h.advance(200);
      expect(h.dlq.depth).toBe(0);
      expect(h.shard(0)).toMatchObject({ discarded: 3, retries: 0, blocked: false });
    });
  });

  it('records trimmed before the consumer read them are skipped and counted, the poison one among them', () => {
    withStream({ stream: { shards: 1, shardCapacity: 100, batchSize: 10, maxRetries: 'unlimited', writeLimit: false } }, (h) => {
      h.put([['k', 'not json'], ...Array.from({ length: 9 }, (_, i): [string, string] => ['k', body(`early-${i}`)])]);
      h.advance(50);
      expect(h.shard(0).blocked).toBe(true);
      h.put(Array.from({ length: 250 }, (_, i): [string, string] => ['k', body(`late-${i}`)]));
      h.advance(500);
      // Positions 0..159 were trimmed: the 10 of the blocked batch and 150 waiting ones.
      expect(h.shard(0)).toMatchObject({ written: 260, trimmed: 160, blocked: false, pending: 0 });
      expect(h.outputIds().filter((id) => id.startsWith('late-'))).toEqual(Array.from({ length: 100 }, (_, i) => `late-${150 + i}`));
      expect(h.dlq.depth).toBe(0);
    });
  });

  it('throttled lanes back off, and a freed environment wakes the one that waited longest', () => {
    withStream({ stream: { shards: 4 }, processor: { reservedConcurrency: 1 } }, (h) => {
      h.put([0, 1, 2, 3].map((s): [string, string] => [h.keyOn(s), body(`m${s}`)]));
      // One environment: a cold start (10 ms) then 4 invocations of 11 ms; with 100 ms backoffs alone this would take 200+ ms.
      h.advance(80);
      expect(h.processor.stats().processed).toBe(4);
      expect(h.processor.pool.stats().throttles).toBeGreaterThan(0);
    });
  });
});
