import { z } from 'zod';
import { count, doc, duration, range, rangeText, rate, size } from './param-fields.js';
import { RUNTIMES } from './cold-start.js';
import { doorField, INGEST_DOORS, QUEUE_NAME, streamParamsSchema } from './stream-params.js';

/**
 * The scenario's `sandbox:` block: every parameter of the sandbox model, all optional.
 *
 * Input is YAML-friendly (durations as text with a unit, `"20s"`; ranges `"200ms..400ms"`;
 * sizes `"256KiB"`; rates `10000` or `"10000/s"`). Output (`SandboxParams`) is resolved:
 * durations and ranges in ms, sizes in bytes, rates per second. Objects are strict: an
 * unknown key is an error. README.md in this folder explains what each parameter models.
 */

/** The fields every function (ingest and processor) has, with the function's own defaults. */
function functionFields(workTimeDefault: string) {
  return {
    runtime: z.enum(RUNTIMES).default('node').meta(doc('Runtime preset of the cold-start init time.', 'node')),
    memory: count(512, 128, 10_240, 'Memory setting in MB; init time scales with it (see cold-start.ts).'),
    initTime: rangeText
      .nullable()
      .default(null)
      .meta({ description: 'Init time of a cold start, e.g. "100ms..300ms", instead of the runtime preset scaled by memory. Default: from runtime and memory.' }),
    workTime: range(workTimeDefault, 'Time the function spends per invocation, excluding the database.'),
    idleTimeout: duration('20s', 'An environment idle this long is reclaimed; the next request pays a cold start.'),
    reservedConcurrency: count(1000, 1, 10_000, 'Most environments (concurrent invocations); past it invocations are throttled.'),
    provisionedConcurrency: count(0, 0, 10_000, 'Environments kept initialized from the start and never reclaimed.'),
  };
}

function provisionedWithinReserved(f: { reservedConcurrency: number; provisionedConcurrency: number }, ctx: z.RefinementCtx) {
  if (f.provisionedConcurrency > f.reservedConcurrency) {
    ctx.addIssue({ code: 'custom', path: ['provisionedConcurrency'], message: `must not exceed reservedConcurrency (${f.reservedConcurrency})` });
  }
}

export const ingestParamsSchema = z
  .strictObject({
    door: doorField,
    maxBodySize: size('256KiB', 'Largest request body; larger gets 413.'),
    rateLimit: rate('10000/s', 'Requests per second the ingest accepts before answering 429 (token bucket), or "unlimited".'),
    burst: count(5000, 1, 10_000_000, 'Token-bucket burst: requests accepted at once before the rate applies.'),
    ...functionFields('1ms..3ms'),
  })
  .superRefine(provisionedWithinReserved);

export const queueParamsSchema = z.strictObject({
  name: z.string().regex(QUEUE_NAME, { error: 'expected a queue name: letters, digits, _ - (at most 76; its DLQ is NAME-dlq)' }).default('telemetry').meta(doc('Queue name at the sqs door; its DLQ is NAME-dlq.', 'telemetry')),
  visibilityTimeout: duration('5s', 'A received message stays invisible this long; a failed one is retried after it.'),
  maxReceiveCount: count(3, 1, 1000, 'Receives before a message moves to the DLQ instead.'),
  maxMessages: count(100_000, 1, 10_000_000, 'Messages held (visible + in flight); past it the ingest answers 503.'),
  maxBytes: size('64MiB', 'Bytes of message bodies held; past it the ingest answers 503.'),
  dlqCapacity: count(10_000, 1, 1_000_000, 'DLQ entries kept for reading (oldest dropped; the depth still counts them).'),
});

export const processorParamsSchema = z
  .strictObject({
    ...functionFields('1ms..2ms'),
    initialConcurrency: count(5, 1, 10_000, 'Concurrent invocations the queue poller starts with.'),
    scaleUpRate: rate('300/m', 'How fast the poller adds concurrent invocations while messages wait, or "unlimited".'),
    batchSize: count(1, 1, 10_000, 'Most messages per invocation.'),
    batchWindow: duration('0ms', 'How long the poller waits to fill a batch before invoking with fewer.'),
    idempotent: z.boolean().default(false).meta(doc('Skip messages whose messageId was already processed.', false)),
    idempotencyCapacity: count(100_000, 1, 10_000_000, 'messageIds remembered for idempotency and duplicate counting.'),
    reportBatchItemFailures: z
      .boolean()
      .default(false)
      .meta(doc('On failure, only the failed message and those after it return to the queue.', false)),
    throttleBackoff: duration('100ms', 'First backoff of the poller after a throttle; doubles per throttle up to 2 s.'),
  })
  .superRefine(provisionedWithinReserved);

export const dbParamsSchema = z
  .strictObject({
    maxConnections: count(100, 1, 100_000, 'Connections the database accepts (PostgreSQL max_connections); past it they are refused.'),
    queryTime: range('2ms..5ms', 'Time of the one write per invocation.'),
    proxy: z.boolean().default(false).meta(doc('Put a pooling proxy (like RDS Proxy) in front of the database.', false)),
    proxyConnections: count(10, 1, 100_000, 'Real database connections the proxy multiplexes onto.'),
    proxyLatency: range('1ms..3ms', 'Latency the proxy adds to each query.'),
  })
  .superRefine((db, ctx) => {
    if (db.proxy && db.proxyConnections > db.maxConnections) {
      ctx.addIssue({ code: 'custom', path: ['proxyConnections'], message: `must not exceed maxConnections (${db.maxConnections})` });
    }
  });

export const outputParamsSchema = z.strictObject({
  capacity: count(100_000, 1, 10_000_000, 'Processed messages kept for reading (oldest dropped).'),
});

/** The v1 names: where the processor finds its output fields unless `fields` says otherwise. */
export const DEFAULT_FIELDS = { messageId: 'messageId', vehicleId: 'vehicleId', seq: 'seq', sentAt: 'sentAt', kind: 'kind' } as const;
export type FieldName = keyof typeof DEFAULT_FIELDS;

/** Keys separated by dots, none empty: `msgId`, `meta.id`, `items.0.id`. */
const FIELD_PATH = /^[^.]+(\.[^.]+)*$/;

function fieldPath(name: FieldName, description: string) {
  return z
    .string()
    .regex(FIELD_PATH, { error: 'expected a dotted path into the message, e.g. "meta.id"' })
    .optional()
    .meta(doc(description, DEFAULT_FIELDS[name]));
}

/** Dotted paths into a message that `schema` accepted; unset ones take DEFAULT_FIELDS. */
export const fieldsParamsSchema = z.strictObject({
  messageId: fieldPath('messageId', 'Path of the unique message id: a non-empty string, required.'),
  vehicleId: fieldPath('vehicleId', 'Path of the vehicle id: a non-empty string, required.'),
  seq: fieldPath('seq', 'Path of the per-vehicle sequence number: a positive integer; absent means 0.'),
  sentAt: fieldPath('sentAt', 'Path of the send time: a number (epoch ms) or an ISO-8601 text; absent means none (null).'),
  kind: fieldPath('kind', 'Path of the message kind: text; absent means "telemetry".'),
});

export const sandboxParamsSchema = z.strictObject({
  seed: count(1, 0, 2 ** 32 - 1, 'Seed of the draws (init, work and query times).'),
  schema: z
    .string()
    .min(1)
    .nullable()
    .default(null)
    .meta({
      description:
        'A JSON Schema file (JSON or YAML; path relative to the scenario file) that the processor validates every message against, instead of telemetry schema v1. Default: none (schema v1).',
      examples: ['schemas/my-message.schema.json'],
    }),
  fields: fieldsParamsSchema
    .default({})
    .meta({ description: 'Where the processor finds what it writes to its output in a message `schema` accepted (dotted paths). Only with `schema`. Default: the v1 names.' }),
  ingest: z
    .preprocess((v) => (typeof v === 'string' ? { door: v } : v), ingestParamsSchema)
    .prefault({})
    .meta({ description: 'The front door (`ingest: kinesis` is short for `ingest: { door: kinesis }`) and, for http, the gateway and ingest function behind it.', 'x-rushhour-shorthand': [...INGEST_DOORS] }),
  queue: queueParamsSchema.prefault({}).meta({ description: 'The queue between ingest and processor, and its DLQ.' }),
  processor: processorParamsSchema.prefault({}).meta({ description: 'The processor function consuming the queue.' }),
  db: dbParamsSchema.prefault({}).meta({ description: 'The database behind the processor.' }),
  output: outputParamsSchema.prefault({}).meta({ description: 'Where processed messages go.' }),
  stream: streamParamsSchema.prefault({}).meta({ description: 'The stream at the kinesis door and the event source mapping from its shards to the processor.' }),
}).superRefine((p, ctx) => {
  if (p.schema === null && Object.keys(p.fields).length > 0) {
    ctx.addIssue({ code: 'custom', path: ['fields'], message: 'expected fields only together with schema (they name fields of messages that schema describes)', params: { quoted: true } });
  }
});

/** Resolved parameters (ms, bytes, per second). */
export type SandboxParams = z.infer<typeof sandboxParamsSchema>;
/** Parameters as written in a scenario file. */
export type SandboxParamsInput = z.input<typeof sandboxParamsSchema>;
export type IngestParams = SandboxParams['ingest'];
export type QueueParams = SandboxParams['queue'];
export type ProcessorParams = SandboxParams['processor'];
export type DbParams = SandboxParams['db'];
export type { StreamParams } from './stream-params.js';
/** Dotted paths, every one given (defaults filled in). */
export type FieldPaths = Record<FieldName, string>;
/** The fields both function pools share. */
export type FunctionParams = Pick<
  ProcessorParams,
  'runtime' | 'memory' | 'initTime' | 'workTime' | 'idleTimeout' | 'reservedConcurrency' | 'provisionedConcurrency'
>;

/** All defaults, resolved. */
export function defaultSandboxParams(): SandboxParams {
  return sandboxParamsSchema.parse({});
}

/**
 * One line per problem, naming the field from `prefix` down, e.g.
 * `sandbox.db.maxConnections: Too small: expected number to be >=1`.
 */
export function formatParamsIssues(error: z.ZodError, prefix = 'sandbox'): string[] {
  return error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((p) => p !== '').join('.');
    return `${path}: ${issue.message}`;
  });
}
