import { z } from 'zod';
import { count, doc, duration, durationText } from './param-fields.js';

/**
 * The sandbox's front doors: how a producer reaches the pipeline.
 * - `http`: POST /ingest → gateway → ingest function → queue (the default);
 * - `sqs`: the queue itself, through the SQS JSON protocol (SendMessageBatch …) at the sandbox's URL;
 * - `kinesis`: a Kinesis data stream (PutRecords …) whose shards the processor consumes
 *   like Lambda's Kinesis event source mapping (`sandbox.stream`).
 */
export const INGEST_DOORS = ['http', 'kinesis', 'sqs'] as const;
export type IngestDoor = (typeof INGEST_DOORS)[number];

export const doorField = z
  .enum(INGEST_DOORS)
  .default('http')
  .meta(doc('Front door: http (POST /ingest through the gateway and ingest function), kinesis (a stream, sandbox.stream) or sqs (the queue, by the SQS API).', 'http'));

/** AWS names: letters, digits, `_ . -`, at most 128 (Kinesis) or 80 (SQS). */
const STREAM_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
export const QUEUE_NAME = /^[A-Za-z0-9_-]{1,76}$/;

/** `"unlimited"` (AWS: -1) or a count; `null` stands for unlimited. */
function unlimitedOr(inner: z.ZodType<number, unknown>, description: string) {
  return z
    .union([z.literal('unlimited'), inner])
    .transform((v): number | null => (v === 'unlimited' ? null : v))
    .default(null)
    .meta(doc(description, 'unlimited'));
}

/**
 * `sandbox.stream`: the Kinesis door's stream and the event source mapping that feeds the
 * processor function from it. Defaults are AWS's where AWS has one (batch size 100, retries and
 * record age unlimited: a poison record blocks its shard until it is trimmed).
 */
export const streamParamsSchema = z.strictObject({
  name: z.string().regex(STREAM_NAME, { error: 'expected a stream name: letters, digits, _ . - (at most 128)' }).default('telemetry').meta(doc('Stream name the producer writes to.', 'telemetry')),
  shards: count(4, 1, 256, 'Open shards; the hash-key space is split evenly between them.'),
  shardCapacity: count(100_000, 100, 10_000_000, 'Records a shard keeps; past it the oldest are trimmed (records a blocked consumer had not read are lost, as past the retention period).'),
  writeLimit: z.boolean().default(true).meta(doc('Enforce the per-shard write limit (1,000 records/s and 1 MiB/s): past it a record is refused with ProvisionedThroughputExceededException.', true)),
  batchSize: count(100, 1, 10_000, 'Most records per invocation.'),
  batchWindow: duration('0ms', 'How long the mapping gathers records before invoking with fewer than batchSize.'),
  parallelizationFactor: count(1, 1, 10, 'Concurrent invocations per shard; records with the same partition key stay in order.'),
  bisectOnError: z.boolean().default(false).meta(doc('On a failed invocation, split the batch in two and retry each half (not counted as retries).', false)),
  maxRetries: unlimitedOr(z.number().int().min(0).max(10_000), 'Retries of a failed batch before its records go to the on-failure destination, or "unlimited".'),
  maxRecordAge: unlimitedOr(durationText.pipe(z.number().min(1000, { error: 'expected at least 1s' })), 'Records older than this are not processed but sent to the on-failure destination, or "unlimited".'),
  reportBatchItemFailures: z.boolean().default(false).meta(doc('On failure, the retry starts at the failed record (the ones before it are checkpointed).', false)),
  onFailure: z.enum(['dlq', 'discard']).default('dlq').meta(doc('Where records go when retries run out or they age out: the sandbox DLQ, or discarded.', 'dlq')),
});

export type StreamParams = z.infer<typeof streamParamsSchema>;
