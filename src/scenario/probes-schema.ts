import { z } from 'zod';
import type { AwsSettings } from '../targets/aws/client-config.js';
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
}

/** The scenario's `probes:` block, resolved (ms). */
export interface ProbesConfig {
  /** How long probes keep reading after the load ends; ends early once every accepted message is seen or lost. */
  drainMs: number;
  /** Sequence numbers per vehicle the delivery matcher keeps (a power of two). */
  window: number;
  /** What reads the pipeline's output: `auto` is the sandbox's /output when the target is the sandbox, else none; or an SQS queue. */
  output: 'auto' | 'none' | 'sandbox' | SqsOutputConfig;
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

const sqsOutputSchema = z
  .strictObject({
    ...sqsQueueFields,
    pollers: intField({ title: 'Pollers', description: `Concurrent ReceiveMessage long-poll loops, 1..${MAX_POLLERS}. Default ${DEFAULT_POLLERS}.`, default: DEFAULT_POLLERS }, 1, MAX_POLLERS).optional(),
  })
  .meta({ title: 'SQS output consumer', description: 'Reads the pipeline\'s output queue with ReceiveMessage (long polls) and deletes what it read: the queue belongs to the probe. The message id is found in the JSON body at the run\'s id path, or in a messageId message attribute.' });

/** `probes: { drain, window, output, dlq }`: what rushhour reads from the pipeline besides the target's answers. */
export const probesSchema = z
  .strictObject({
    drain: durationField({ title: 'Drain', description: 'How long probes keep reading after the load ends; ends early once every accepted message was seen (or counted lost). Default 30s.', examples: ['30s'], default: '30s' }, { min: 0, max: 3_600_000 }).optional(),
    window: intField({ title: 'Matcher window', description: `Sequence numbers per vehicle the delivery matcher keeps (${POWERS_OF_TWO.join(', ')}). A message not seen before ${DEFAULT_WINDOW} later messages of its vehicle were sent or seen counts as lost. Default ${DEFAULT_WINDOW}.`, default: DEFAULT_WINDOW }, 8, 4096)
      .refine((w) => POWERS_OF_TWO.includes(w), { error: `expected a power of two: ${POWERS_OF_TWO.join(', ')}` })
      .optional(),
    output: z
      .union([z.enum(['auto', 'none', 'sandbox']), sqsOutputSchema], { error: 'expected auto, none, sandbox or { sqs: QUEUE, pollers }' })
      .meta({ title: 'Output consumer', description: 'auto (default): the sandbox\'s /output when the target is the sandbox; sandbox; none: no delivery checks; or { sqs: QUEUE, pollers }: consume an SQS output queue.', default: 'auto' })
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
    output: p.output === undefined ? 'auto' : typeof p.output === 'string' ? p.output : { ...toQueue(p.output), pollers: p.output.pollers ?? DEFAULT_POLLERS },
    dlq: p.dlq === undefined ? 'auto' : typeof p.dlq === 'string' ? p.dlq : (Array.isArray(p.dlq) ? p.dlq : [p.dlq]).map(toQueue),
  }));
