import { GetQueueAttributesCommand, GetQueueUrlCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { ProbeReadings, QueueDepth } from '../metrics/probe-readings.js';
import type { SqsProbeQueue } from '../scenario/probes-schema.js';
import { awsClientConfig } from '../targets/aws/client-config.js';
import { awsOpenError } from '../targets/aws/open-errors.js';
import { maskUrl } from '../targets/mask.js';
import { queueRef, QUEUE_EXPECTED } from '../targets/sqs/config.js';
import { UserError } from '../util/user-error.js';
import { Poller, POLL_TIMEOUT_MS } from './poller.js';
import type { Probe } from './probe.js';

/** How often the queue depths are sampled, ms. */
const SAMPLE_EVERY_MS = 1_000;

const DEPTH_ATTRIBUTES = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;

/** A queue a probe opened: its client, its URL and its name (a URL given is masked in the name). */
export interface OpenedQueue {
  client: SQSClient;
  url: string;
  name: string;
}

/**
 * Opens the queue `q` names for a probe, before the clock: a client of `sockets` connections,
 * the URL (GetQueueUrl for a name; a URL is used as is) and one GetQueueAttributes that it exists.
 * A missing queue, rejected credentials, no region or an unreachable endpoint is a UserError
 * naming the queue and the scenario field (`probes.dlq`, `probes.output`).
 */
export async function openProbeQueue(q: SqsProbeQueue, field: string, sockets: number): Promise<OpenedQueue> {
  const ref = queueRef(q.queue);
  if (!ref) throw new UserError(`${field}: "${maskUrl(q.queue)}": ${QUEUE_EXPECTED}`);
  const name = ref.url !== undefined ? maskUrl(ref.url) : ref.name;
  // Queue URL hosts may not resolve (emulators say sqs.<region>.localhost): always send to the endpoint. No MD5 checks of bodies.
  const client = new SQSClient({ ...awsClientConfig(q, 'sqs', sockets, POLL_TIMEOUT_MS), useQueueUrlAsEndpoint: false, md5: false });
  let region: string | undefined;
  try {
    region = await client.config.region();
    const signal = AbortSignal.timeout(POLL_TIMEOUT_MS);
    let url = ref.url;
    if (url === undefined) {
      url = (await client.send(new GetQueueUrlCommand({ QueueName: ref.name }), { abortSignal: signal })).QueueUrl;
      if (!url) throw Object.assign(new Error('GetQueueUrl returned no QueueUrl'), { name: 'QueueDoesNotExist' });
    }
    await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }), { abortSignal: signal });
    return { client, url, name };
  } catch (e) {
    client.destroy();
    throw awsOpenError(e, {
      service: 'sqs', settings: q, what: `${field}: queue '${ref.name}'`, ...(region !== undefined ? { region } : {}), settingsIn: field,
      notFoundFix: `create it (aws sqs create-queue), or check ${field}'s sqs name or URL`,
    });
  }
}

/**
 * The depth of SQS queues (typically dead-letter queues), sampled every second with
 * GetQueueAttributes: ApproximateNumberOfMessages, …NotVisible and …Delayed. A failed sample
 * keeps the queue's last reading and is counted in `failures`.
 */
export class SqsQueueProbe implements Probe {
  readonly name: string;
  private opened: OpenedQueue[] = [];
  private latest: (QueueDepth | undefined)[] = [];
  private readonly poller: Poller;

  constructor(private readonly queues: SqsProbeQueue[], private readonly role: QueueDepth['role'] = 'dlq', private readonly field = 'probes.dlq') {
    this.name = `sqs GetQueueAttributes (${queues.map((q) => queueRef(q.queue)?.name ?? maskUrl(q.queue)).join(', ')})`;
    this.poller = new Poller((signal) => this.sample(signal), SAMPLE_EVERY_MS);
  }

  get failures(): { count: number; last?: string } {
    return this.poller.failures;
  }

  async start(): Promise<void> {
    const results = await Promise.allSettled(this.queues.map((q, i) => openProbeQueue(q, this.queues.length > 1 ? `${this.field}[${i}]` : this.field, 2)));
    this.opened = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      this.close();
      throw failed.reason;
    }
    this.latest = this.opened.map(() => undefined);
    try {
      await this.sample(AbortSignal.timeout(POLL_TIMEOUT_MS));
    } catch (e) {
      this.poller.failures.count++;
      this.poller.failures.last = (e as Error).message;
    }
    this.poller.start();
  }

  readings(): ProbeReadings {
    return { queues: this.latest.filter((d): d is QueueDepth => d !== undefined) };
  }

  /** A queue depth never blocks the drain. */
  settled(): boolean {
    return true;
  }

  async stop(): Promise<void> {
    if (this.opened.length === 0) return;
    await this.poller.stop();
    this.close();
  }

  private close(): void {
    for (const q of this.opened) q.client.destroy();
    this.opened = [];
  }

  private async sample(signal: AbortSignal): Promise<void> {
    const opened = this.opened;
    const results = await Promise.allSettled(opened.map((q) => q.client.send(new GetQueueAttributesCommand({ QueueUrl: q.url, AttributeNames: [...DEPTH_ATTRIBUTES] }), { abortSignal: signal })));
    let firstError: unknown;
    results.forEach((r, i) => {
      if (r.status === 'rejected') {
        firstError ??= r.reason;
        return;
      }
      const a = r.value.Attributes ?? {};
      this.latest[i] = {
        name: opened[i].name, role: this.role,
        visible: count(a.ApproximateNumberOfMessages), notVisible: count(a.ApproximateNumberOfMessagesNotVisible), delayed: count(a.ApproximateNumberOfMessagesDelayed),
      };
    });
    if (firstError !== undefined) throw firstError instanceof Error ? firstError : new Error(String(firstError));
  }
}

function count(text: string | undefined): number {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? n : 0;
}
