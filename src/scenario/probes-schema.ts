import { z } from 'zod';
import type { AwsSettings } from '../targets/aws/client-config.js';
import { maskUrl } from '../targets/mask.js';
import { sqsConnectionFields } from '../targets/sqs/kind.js';
import { queueRef, QUEUE_EXPECTED } from '../targets/sqs/config.js';
import { durationField, intField } from '../util/unit-fields.js';

/** An SQS queue a probe reads (`{ sqs: NAME_OR_URL, region?, endpoint?, profile? }`), resolved. */
export interface SqsProbeQueue extends AwsSettings {
  kind: 'sqs';
  /** A queue name (resolved with GetQueueUrl) or a queue URL. */
  queue: string;
}

/** An SQS queue the probe consumes as the pipeline's output (it deletes what it reads). */
export interface SqsOutputConfig extends SqsProbeQueue {
  /** Concurrent long-poll loops, 1..32. */
  pollers: number;
  /** Where the JSON body keeps the message id (dotted path); default: the run's id path. */
  idField?: string;
}

/** A Kinesis stream the probe reads as the pipeline's output: every shard from the run's start. */
export interface KinesisOutputConfig extends AwsSettings {
  kind: 'kinesis';
  /** A stream name or ARN. */
  stream: string;
  /** Where the JSON body keeps the message id (dotted path); default: the run's id path. */
  idField?: string;
}

/** A webhook receiver rushhour starts for a pipeline that delivers by HTTP POST (loopback only). */
export interface HttpOutputConfig {
  kind: 'http';
  /** A loopback address: 127.0.0.0/8, ::1 or localhost. */
  host: string;
  port: number;
  /** The path it accepts; default `/`. */
  path: string;
  idField?: string;
}

/** Where a probe reads the pipeline's output. */
export type OutputConfig = 'auto' | 'none' | 'sandbox' | SqsOutputConfig | KinesisOutputConfig | HttpOutputConfig;

/** The scenario's `probes:` block, resolved (ms). */
export interface ProbesConfig {
  /** How long probes keep reading after the load ends; ends early once every accepted message is seen or lost. */
  drainMs: number;
  /** Sequence numbers per vehicle the delivery matcher keeps (a power of two). */
  window: number;
  /** What reads the pipeline's output: `auto` is the sandbox's /output when the target is the sandbox, else none; or an SQS queue. */
  output: OutputConfig;
  /** Whose dead-letter queue depth is sampled: `auto` is the sandbox's when the target is the sandbox, else none; or SQS queues. */
  dlq: 'auto' | 'none' | 'sandbox' | SqsProbeQueue[];
}

export const DEFAULT_DRAIN_MS = 30_000;
export const DEFAULT_WINDOW = 64;
export const DEFAULT_POLLERS = 4;
export const MAX_POLLERS = 32;
export const DEFAULT_PROBES: ProbesConfig = { drainMs: DEFAULT_DRAIN_MS, window: DEFAULT_WINDOW, output: 'auto', dlq: 'auto' };

const POWERS_OF_TWO = [8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];

/** The fields of an SQS queue a probe reads: the queue and where to reach it (as the SQS target's block). */
const sqsQueueFields = {
  sqs: z
    .string()
    .superRefine((q, ctx) => {
      if (!queueRef(q)) ctx.addIssue({ code: 'custom', message: QUEUE_EXPECTED });
    })
    .meta({ title: 'SQS queue', description: 'A queue name (resolved with GetQueueUrl) or a queue URL.', examples: ['orders-dlq'] }),
  ...sqsConnectionFields,
};

type QueueInput = { sqs: string; region?: string | undefined; endpoint?: string | undefined; profile?: string | undefined };
const toQueue = (q: QueueInput): SqsProbeQueue => ({
  kind: 'sqs', queue: q.sqs, ...(q.region ? { region: q.region } : {}), ...(q.endpoint ? { endpoint: q.endpoint } : {}), ...(q.profile ? { profile: q.profile } : {}),
});

const sqsDlqSchema = z
  .strictObject(sqsQueueFields)
  .meta({ title: 'SQS queue depth', description: 'GetQueueAttributes every second: ApproximateNumberOfMessages, …NotVisible and …Delayed of this queue (typically a dead-letter queue).' });

const idField = z.string().regex(/^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*)*$/, { error: 'expected a dotted field path such as detail.id' })
  .meta({ title: 'Id field', description: 'Where the output message keeps the message id (a dotted path), for pipelines that wrap the message, e.g. detail.id. Default: where the payload shape put it (messageId for the built-in shape).', examples: ['detail.id'] })
  .optional();

const sqsOutputSchema = z
  .strictObject({
    ...sqsQueueFields,
    idField,
    pollers: intField({ title: 'Pollers', description: `Concurrent ReceiveMessage long-poll loops, 1..${MAX_POLLERS}. Default ${DEFAULT_POLLERS}.`, default: DEFAULT_POLLERS }, 1, MAX_POLLERS).optional(),
  })
  .meta({ title: 'SQS output consumer', description: 'Reads the pipeline\'s output queue with ReceiveMessage (long polls) and deletes what it read: the queue belongs to the probe. The message id is found in the JSON body at the run\'s id path, or in a messageId message attribute.' });


const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1)$/;

const kinesisOutputSchema = z
  .strictObject({
    kinesis: z.strictObject({
      stream: z.string().min(1).meta({ title: 'Stream', description: 'A stream name or ARN.', examples: ['telemetry-out'] }),
      region: sqsConnectionFields.region,
      endpoint: sqsConnectionFields.endpoint.meta({ title: 'Endpoint override', description: 'A local emulator, e.g. http://127.0.0.1:4567. Default: AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL, else AWS.' }),
      profile: sqsConnectionFields.profile,
    }),
    idField,
  })
  .meta({ title: 'Kinesis output consumer', description: 'Reads every shard of the pipeline\'s output stream from the run\'s start (AT_TIMESTAMP), following resharding.' });

const httpOutputSchema = z
  .strictObject({
    http: z.strictObject({
      listen: z.string().superRefine((l, ctx) => {
        const m = /^(.*):(\d{1,5})$/.exec(l);
        if (!m || !LOOPBACK.test(m[1]) || Number(m[2]) < 1 || Number(m[2]) > 65535) ctx.addIssue({ code: 'custom', message: 'expected a loopback HOST:PORT such as 127.0.0.1:9911 (rushhour listens on loopback only)' });
      }).meta({ title: 'Listen on', description: 'HOST:PORT on loopback (127.0.0.0/8, ::1, localhost).', examples: ['127.0.0.1:9911'] }),
      path: z.string().regex(/^\//, { error: 'expected a path starting with /' }).meta({ title: 'Path', description: 'The path it accepts. Default /.', default: '/' }).optional(),
    }),
    idField,
  })
  .meta({ title: 'Webhook output receiver', description: 'rushhour starts an HTTP receiver for pipelines that deliver by POST: a JSON message, a JSON array of them, or NDJSON per request; it answers 200.' });

/** `probes: { drain, window, output, dlq }`: what rushhour reads from the pipeline besides the target's answers. */
export const probesSchema = z
  .strictObject({
    drain: durationField({ title: 'Drain', description: 'How long probes keep reading after the load ends; ends early once every accepted message was seen (or counted lost). Default 30s.', examples: ['30s'], default: '30s' }, { min: 0, max: 3_600_000 }).optional(),
    window: intField({ title: 'Matcher window', description: `Sequence numbers per vehicle the delivery matcher keeps (${POWERS_OF_TWO.join(', ')}). A message not seen before ${DEFAULT_WINDOW} later messages of its vehicle were sent or seen counts as lost. Default ${DEFAULT_WINDOW}.`, default: DEFAULT_WINDOW }, 8, 4096)
      .refine((w) => POWERS_OF_TWO.includes(w), { error: `expected a power of two: ${POWERS_OF_TWO.join(', ')}` })
      .optional(),
    output: z
      .union([z.enum(['auto', 'none', 'sandbox']), sqsOutputSchema, kinesisOutputSchema, httpOutputSchema], { error: 'expected auto, none, sandbox, { sqs: QUEUE }, { kinesis: { stream } } or { http: { listen: 127.0.0.1:PORT } }' })
      .meta({ title: 'Output consumer', description: 'auto (default): the sandbox\'s /output when the target is the sandbox; sandbox; none: no delivery checks; { sqs: QUEUE, pollers }: consume an SQS output queue; { kinesis: { stream } }: read an output stream; { http: { listen, path } }: receive webhooks.', default: 'auto' })
      .optional(),
    dlq: z
      .union([z.enum(['auto', 'none', 'sandbox']), sqsDlqSchema, z.array(sqsDlqSchema).min(1)], { error: 'expected auto, none, sandbox, { sqs: QUEUE } or a list of them' })
      .meta({ title: 'Dead-letter queue depth', description: 'auto (default): the sandbox\'s DLQ when the target is the sandbox; sandbox; none: not sampled; or { sqs: QUEUE } (or a list of them): SQS queues whose depth is sampled every second.', default: 'auto' })
      .optional(),
  })
  .meta({ title: 'Probes', description: 'Observers of the pipeline beside the load: what came out the other end (lost, duplicated, reordered, end-to-end latency) and the DLQ depth.' })
  .transform((p): ProbesConfig => ({
    drainMs: p.drain ?? DEFAULT_DRAIN_MS,
    window: p.window ?? DEFAULT_WINDOW,
    output: toOutput(p.output),
    dlq: p.dlq === undefined ? 'auto' : typeof p.dlq === 'string' ? p.dlq : (Array.isArray(p.dlq) ? p.dlq : [p.dlq]).map(toQueue),
  }));

type OutputInput = z.output<typeof sqsOutputSchema> | z.output<typeof kinesisOutputSchema> | z.output<typeof httpOutputSchema> | 'auto' | 'none' | 'sandbox' | undefined;

function toOutput(o: OutputInput): OutputConfig {
  if (o === undefined) return 'auto';
  if (typeof o === 'string') return o;
  const id = o.idField !== undefined ? { idField: o.idField } : {};
  if ('kinesis' in o) {
    const k = o.kinesis;
    return { kind: 'kinesis', stream: k.stream, ...(k.region ? { region: k.region } : {}), ...(k.endpoint ? { endpoint: k.endpoint } : {}), ...(k.profile ? { profile: k.profile } : {}), ...id };
  }
  if ('http' in o) {
    const at = o.http.listen.lastIndexOf(':');
    return { kind: 'http', host: o.http.listen.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(o.http.listen.slice(at + 1)), path: o.http.path ?? '/', ...id };
  }
  return { ...toQueue(o as QueueInput), pollers: (o as { pollers?: number }).pollers ?? DEFAULT_POLLERS, ...id };
}

/** A copy safe to print: queue URLs and endpoints masked (credential query parameters, userinfo). */
export function maskProbes(p: ProbesConfig): ProbesConfig {
  const q = <T extends { queue?: string; endpoint?: string }>(x: T): T => ({ ...x, ...(x.queue ? { queue: maskUrl(x.queue) } : {}), ...(x.endpoint ? { endpoint: maskUrl(x.endpoint) } : {}) });
  const out = p.output;
  return { ...p, output: typeof out === 'object' && out.kind !== 'http' ? q(out) : out, dlq: Array.isArray(p.dlq) ? p.dlq.map(q) : p.dlq };
}
