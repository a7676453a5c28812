import type { SandboxClock } from '../../src/sandbox/clock.js';
import { Database } from '../../src/sandbox/database.js';
import { DeadLetterQueue, type DlqEntry } from '../../src/sandbox/dead-letter-queue.js';
import { kinesisApi } from '../../src/sandbox/aws/kinesis-api.js';
import { telemetryV1Validator } from '../../src/sandbox/message-validator.js';
import { OutputLog, type OutputEntry } from '../../src/sandbox/output-log.js';
import { sandboxParamsSchema, type SandboxParamsInput } from '../../src/sandbox/params.js';
import { ProcessorFunction } from '../../src/sandbox/processor.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { Scheduler } from '../../src/sandbox/scheduler.js';
import { routeShard } from '../../src/sandbox/stream/hash-keys.js';
import { KinesisStream, type ShardStats } from '../../src/sandbox/stream/kinesis-stream.js';

export const EPOCH = 1_800_000_000_000;

/** Fast, fixed times so a fake-clock run is exact: init 10 ms, work 10 ms, query 1 ms. */
export const FIXED_TIMES = {
  processor: { initTime: '10ms', workTime: '10ms' },
  db: { queryTime: '1ms' },
} satisfies SandboxParamsInput;

/**
 * The kinesis door's model wired as the Pipeline wires it (stream → processor → database, output,
 * DLQ) on a fake clock: time moves only through `advance`, which runs the scheduler's due tasks
 * 1 ms at a time. No HTTP: the Kinesis API is called directly (`api.handle`).
 */
export function streamHarness(input: SandboxParamsInput) {
  const params = sandboxParamsSchema.parse({
    ...input,
    ingest: 'kinesis',
    processor: { ...FIXED_TIMES.processor, ...input.processor },
    db: { ...FIXED_TIMES.db, ...input.db },
  });
  let t = 0;
  const clock: SandboxClock = { now: () => t, toEpochMs: (x) => EPOCH + x };
  const scheduler = new Scheduler(clock.now);
  const random = seededRandom(params.seed);
  const dlq = new DeadLetterQueue(params.queue.dlqCapacity);
  const output = new OutputLog(params.output.capacity);
  const db = new Database(params.db, scheduler, random);
  const holder: { stream?: KinesisStream } = {};
  const processor = new ProcessorFunction(params.processor, {
    scheduler, clock, random, db, output, validator: telemetryV1Validator, onInvocationDone: () => holder.stream?.notify(),
  });
  const stream = new KinesisStream(params.stream, { processor, dlq, scheduler, clock });
  holder.stream = stream;
  const api = kinesisApi(stream);
  return {
    params, stream, api, dlq, output, processor,
    now: () => t,
    /** Runs the model for `ms` more milliseconds. */
    advance(ms: number): void {
      const end = t + ms;
      while (t < end) {
        t = Math.min(end, t + 1);
        for (let i = 0; i < 10; i++) scheduler.runDue(t);
      }
    },
    /** PutRecords of `[partitionKey, body]` pairs; the answer. */
    put(records: [string, string][]): { FailedRecordCount: number; Records: Record<string, string>[] } {
      const Records = records.map(([PartitionKey, body]) => ({ PartitionKey, Data: Buffer.from(body).toString('base64') }));
      return api.handle('PutRecords', { StreamName: stream.name, Records }) as { FailedRecordCount: number; Records: Record<string, string>[] };
    },
    /** A partition key (`prefix-N`) whose records land on `shard`. */
    keyOn(shard: number, prefix = 'VIN'): string {
      for (let i = 0; i < 10_000; i++) if (routeShard(stream.route(`${prefix}-${i}`)) === shard) return `${prefix}-${i}`;
      throw new Error(`no key for shard ${shard}`);
    },
    shard(i: number): ShardStats {
      return stream.stats().shards[i];
    },
    outputIds(): string[] {
      return output.read(0, 1_000_000).items.map((e: OutputEntry) => e.messageId);
    },
    dlqEntries(): DlqEntry[] {
      return dlq.read(0, 1_000_000).items;
    },
    close(): void {
      stream.close();
      scheduler.close();
    },
  };
}

export type StreamHarness = ReturnType<typeof streamHarness>;

/** A valid telemetry v1 body. */
export function body(id: string, vehicleId = 'VIN-TEST-1', seq = 1): string {
  return JSON.stringify({ messageId: id, vehicleId, seq, sentAt: EPOCH, schemaVersion: 1, kind: 'telemetry' });
}

/** Runs `fn` on a fresh harness and closes it. */
export function withStream<T>(input: SandboxParamsInput, fn: (h: StreamHarness) => T): T {
  const h = streamHarness(input);
  try {
    return fn(h);
  } finally {
    h.close();
  }
}
