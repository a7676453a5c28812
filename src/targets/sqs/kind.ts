import { z } from 'zod';
import { UserError } from '../../util/user-error.js';
import { durationField, intField } from '../../util/unit-fields.js';
import { formatDuration } from '../../util/units.js';
import { endpointSource } from '../aws/client-config.js';
import { httpUrlProblem, MAX_CONNECTIONS } from '../http/config.js';
import { once } from '../http/kind.js';
import { costOf, type Prices } from '../cost.js';
import type { TargetKind } from '../kind.js';
import { maskUrl } from '../mask.js';
import {
  DEFAULT_CONCURRENCY, DEFAULT_LINGER_MS, DEFAULT_RETRIES, MAX_GROUP_ID, MAX_LINGER_MS, MAX_MESSAGES_PER_CALL, MAX_RETRIES, queueRef, QUEUE_EXPECTED, REQUEST_TIMEOUT_MS,
  type SqsTargetConfig,
} from './config.js';
import { keyTemplateField } from '../key-template.js';
import { SqsTarget } from './sqs-target.js';

/** Where an SQS queue is reached — region, endpoint, profile — as the target's block and the probes' queues write it. */
export const sqsConnectionFields = {
  region: z
    .string()
    .regex(/^[a-z0-9-]+$/, { error: 'expected an AWS region such as us-east-1' })
    .meta({ title: 'AWS region', description: 'Default: the SDK\'s configuration (AWS_REGION, the profile).', examples: ['us-east-1'] })
    .optional(),
  endpoint: z
    .string()
    .superRefine((u, ctx) => {
      const problem = httpUrlProblem(u);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .meta({ title: 'Endpoint override', description: 'A local emulator, e.g. http://127.0.0.1:4566. Default: AWS_ENDPOINT_URL_SQS, else AWS_ENDPOINT_URL, else AWS.' })
    .optional(),
  profile: z.string().min(1).meta({ title: 'AWS profile', description: 'A named profile of the shared config and credentials files.' }).optional(),
};

const schema = z
  .strictObject({
    queue: z
      .string()
      .superRefine((q, ctx) => {
        if (!queueRef(q)) ctx.addIssue({ code: 'custom', message: QUEUE_EXPECTED });
      })
      .meta({ title: 'Queue', description: 'A queue name (resolved with GetQueueUrl) or a queue URL. A name ending in .fifo is a FIFO queue.', examples: ['orders', 'telemetry.fifo'] }),
    ...sqsConnectionFields,
    maxMessages: intField({ title: 'Messages per SendMessageBatch call', description: `1..${MAX_MESSAGES_PER_CALL}. Default ${MAX_MESSAGES_PER_CALL}. A call also holds at most 256 KiB (bodies and attributes).`, default: MAX_MESSAGES_PER_CALL }, 1, MAX_MESSAGES_PER_CALL).optional(),
    linger: durationField({ title: 'Linger', description: 'A partly filled batch goes out this long after its first message. Default 50ms.', examples: ['50ms'], default: '50ms' }, { min: 0, max: MAX_LINGER_MS }).optional(),
    concurrency: intField({ title: 'SendMessageBatch calls in flight', description: `1..${MAX_CONNECTIONS}. Default ${DEFAULT_CONCURRENCY}. Also the client's connections; --connections sets it.`, default: DEFAULT_CONCURRENCY }, 1, MAX_CONNECTIONS).optional(),
    groupId: keyTemplateField({ title: 'FIFO message group', description: 'Per message, from {{field}} placeholders (e.g. {{tenantId}}); FIFO queues only. Default: the fleet\'s partition key, so a vehicle\'s messages keep their order.', examples: ['{{vehicleId}}', '{{fleetId}}'] }, MAX_GROUP_ID).optional(),
    retries: intField({ title: 'Retries of a failed message', description: `Throttled or internal failures, with exponential backoff and full jitter; 0..${MAX_RETRIES}. Default ${DEFAULT_RETRIES}.`, default: DEFAULT_RETRIES }, 0, MAX_RETRIES).optional(),
  })
  .meta({ title: 'SQS target', description: 'SendMessageBatch into a standard or FIFO queue (message group = partition key), through the AWS SDK\'s own configuration and credentials.' })
  .superRefine((s, ctx) => {
    if (s.groupId !== undefined && queueRef(s.queue) && !queueRef(s.queue)!.fifo) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'expected a FIFO queue (a name or URL ending in .fifo): a standard queue has no message groups', params: { quoted: true } });
  })
  .transform((s): SqsTargetConfig => ({
    kind: 'sqs', queue: s.queue,
    ...(s.region ? { region: s.region } : {}), ...(s.endpoint ? { endpoint: s.endpoint } : {}), ...(s.profile ? { profile: s.profile } : {}),
    maxMessages: s.maxMessages ?? MAX_MESSAGES_PER_CALL, lingerMs: s.linger ?? DEFAULT_LINGER_MS, concurrency: s.concurrency ?? DEFAULT_CONCURRENCY, retries: s.retries ?? DEFAULT_RETRIES,
    ...(s.groupId ? { groupId: s.groupId } : {}),
  }));

const PREFIX = 'sqs:';

/** `target: { sqs: { queue, region, endpoint, profile, maxMessages, linger, concurrency, retries } }`; quick mode `--target sqs:QUEUE`. */
export const sqsKind: TargetKind<SqsTargetConfig> = {
  kind: 'sqs',
  schema,
  textOnly: () => 'SQS message bodies',
  flagForm: 'sqs:QUEUE (a queue name or URL)',
  fromFlag(text) {
    if (!text.startsWith(PREFIX)) return undefined;
    const queue = text.slice(PREFIX.length);
    if (!queueRef(queue)) throw new UserError(`--target ${text}: ${QUEUE_EXPECTED}`, { hint: 'e.g. --target sqs:orders, or --target sqs:https://sqs.us-east-1.amazonaws.com/123456789012/orders' });
    return schema.parse({ queue });
  },
  // --connections sets the calls in flight (each call holds one connection); pipelining and the request timeout mean nothing here.
  resolve: (cfg, o) => ({ ...cfg, concurrency: o.overrides.connections ?? cfg.concurrency }),
  mask: (cfg) => ({ ...cfg, queue: maskUrl(cfg.queue), ...(cfg.endpoint ? { endpoint: maskUrl(cfg.endpoint) } : {}) }),
  describe(cfg) {
    const ref = queueRef(cfg.queue);
    const { endpoint, source } = endpointSource(cfg, 'sqs');
    return [
      `target      sqs ${maskUrl(cfg.queue)} (${ref?.fifo ? `FIFO: message group = ${cfg.groupId ? `"${cfg.groupId}"` : 'partition key'}, deduplication id = message id` : 'standard'})`,
      `region      ${cfg.region ?? 'from the SDK\'s configuration (AWS_REGION, the profile)'}${cfg.profile ? `, profile ${cfg.profile}` : ''}`,
      `endpoint    ${endpoint ? `${maskUrl(endpoint)} (from ${source})` : source}`,
      `batches     SendMessageBatch of up to ${cfg.maxMessages} messages (≤ 256 KiB a message and a call, attributes counted), linger ${formatDuration(cfg.lingerMs)}, ${cfg.concurrency} calls in flight, ${cfg.retries} retries of a failed message`,
    ];
  },
  timeoutMs: () => REQUEST_TIMEOUT_MS,
  label: (cfg) => `sqs ${maskUrl(cfg.queue)}`,
  estimateCost(cfg, load, prices) {
    const calls = Math.ceil(load.messages / cfg.maxMessages);
    const requests = calls * Math.max(1, Math.ceil((cfg.maxMessages * load.meanBytes) / REQUEST_CHUNK_BYTES));
    return costOf([{ what: 'SQS requests', units: requests, usd: (requests / 1e6) * perMillion(cfg, prices) }]);
  },
  actualCost(cfg, requests, _durationMs, prices) {
    const perCall = requests.count === 0 ? 0 : requests.bytes / requests.count;
    const units = requests.count * Math.max(1, Math.ceil(perCall / REQUEST_CHUNK_BYTES));
    return costOf([{ what: 'SQS requests', units, usd: (units / 1e6) * perMillion(cfg, prices) }]);
  },
  async check(cfg, ctx) {
    const target = new SqsTarget(cfg);
    await target.open(ctx);
    await target.close();
    return { lines: [`checked     queue ${maskUrl(target.url)}: exists, ${target.fifo ? 'FIFO' : 'standard'}, region ${target.resolvedRegion ?? 'unknown'}`] };
  },
  async open(cfg, ctx) {
    const target = new SqsTarget(cfg);
    await target.open(ctx);
    return {
      target,
      description: target.description,
      url: `sqs:${maskUrl(cfg.queue)}`,
      info: { sqs: { queue: queueRef(cfg.queue)?.name ?? cfg.queue, queueUrl: maskUrl(target.url), fifo: target.fifo, region: target.resolvedRegion } },
      dispose: once(() => target.close()),
    };
  },
};

/** SQS bills each 64 KiB chunk of a request as one request. */
const REQUEST_CHUNK_BYTES = 64 * 1024;

function perMillion(cfg: SqsTargetConfig, prices: Prices): number {
  return queueRef(cfg.queue)?.fifo ? prices.sqsFifoPerMillion : prices.sqsStandardPerMillion;
}
