import { GetQueueAttributesCommand, GetQueueUrlCommand, SendMessageBatchCommand, SQSClient, type SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { MessageBody } from '../../telemetry/payload.js';
import type { OutMessage } from '../../telemetry/types.js';
import { UserError } from '../../util/user-error.js';
import { awsClientConfig, classifyAwsCallError, endpointSource, hostPort } from '../aws/client-config.js';
import { awsOpenError, type OpenSubject } from '../aws/open-errors.js';
import { batchCapacity, Batcher, type CallResult } from '../batch/batcher.js';
import { compileKey } from '../key-template.js';
import type { SendSink, Target, TargetContext } from '../target.js';
import {
  BACKOFF_SEED, BASE_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BYTES_PER_CALL, MAX_BYTES_PER_MESSAGE, MAX_GROUP_ID, queueRef, QUEUE_EXPECTED, REQUEST_TIMEOUT_MS,
  type QueueRef, type SqsTargetConfig,
} from './config.js';
import { batchEntries, messageBytes, recordResults, toEntry } from './entries.js';

/**
 * An SQS queue through SendMessageBatch: messages gather into batches (≤ maxMessages entries,
 * ≤ 256 KiB a message and a call, body and attributes counted) that go out when full or after
 * the linger; failed entries — throttled, internal errors — are sent again, only they, with
 * backoff; what is left is a failed outcome of its code. A message's latency runs from its
 * intended time to the answer of the call that finally carried it. Standard and FIFO queues
 * (the `.fifo` suffix): on a FIFO queue a vehicle's messages are one message group, in the order
 * sent — across calls only while no two calls carry the same group at once and none is retried.
 */
export class SqsTarget implements Target {
  readonly description: string;
  readonly capacity: number;
  private host: string;
  private client: SQSClient | undefined;
  private batcher: Batcher<SendMessageBatchRequestEntry> | undefined;
  private queueUrl = '';
  private region: string | undefined;
  private readonly queue: QueueRef;
  /** The scenario's message group template, compiled; undefined: the fleet's partition key. */
  private readonly groupOf: ((fields: MessageBody) => string) | undefined;
  /** Bodies in the user's shape (from open's context): no schemaVersion attribute. */
  private shaped = false;

  constructor(private readonly cfg: SqsTargetConfig) {
    const q = queueRef(cfg.queue);
    if (!q) throw new UserError(`target sqs.queue "${cfg.queue}": ${QUEUE_EXPECTED}`);
    this.queue = q;
    this.groupOf = cfg.groupId ? compileKey(cfg.groupId, MAX_GROUP_ID) : undefined;
    this.capacity = batchCapacity(cfg.maxMessages, cfg.concurrency);
    this.host = this.hostFor(cfg.region);
    this.description = `sqs ${q.name} (${q.fifo ? 'FIFO' : 'standard'}, ${cfg.maxMessages} per batch, ${cfg.concurrency} calls in flight)`;
  }

  /** Where it connects, host:port: the endpoint override, else the region's public endpoint (known after open). */
  get endpoint(): string {
    return this.host;
  }

  /** The queue's URL (after open), as SQS gave it or as configured. May hold what the configuration held: mask it before printing. */
  get url(): string {
    return this.queueUrl;
  }

  /** Whether the queue is FIFO (from its name's `.fifo` suffix). */
  get fifo(): boolean {
    return this.queue.fifo;
  }

  /** The region the SDK resolved (after open). */
  get resolvedRegion(): string | undefined {
    return this.region;
  }

  /**
   * Checks the queue before the clock: resolves a name with GetQueueUrl, checks the URL with
   * GetQueueAttributes (a URL given is used as is). A missing queue, no region, rejected
   * credentials or an unreachable endpoint (no answer within the request timeout) throw a
   * UserError that says what to fix.
   */
  async open(ctx: TargetContext): Promise<void> {
    this.shaped = ctx.shapedBodies === true;
    const config = awsClientConfig(this.cfg, 'sqs', this.cfg.concurrency, REQUEST_TIMEOUT_MS);
    // The queue URL's host may not resolve (emulators name queues sqs.<region>.localhost): always send to the endpoint.
    // The SDK's MD5 check of every body in every answer is skipped: it costs CPU per message, and TCP/TLS already guard the bytes.
    const client = new SQSClient({ ...config, useQueueUrlAsEndpoint: false, md5: false });
    this.client = client;
    let maxMessageBytes: number;
    try {
      this.region = await client.config.region();
      this.host = this.hostFor(this.region);
      this.queueUrl = await this.checkQueue(client, ctx.signal);
      maxMessageBytes = await this.maxMessageSize(client, ctx.signal);
    } catch (e) {
      client.destroy();
      this.client = undefined;
      throw awsOpenError(e, this.subject());
    }
    this.batcher = new Batcher<SendMessageBatchRequestEntry>({
      maxRecords: this.cfg.maxMessages, maxBatchBytes: MAX_BYTES_PER_CALL, maxRecordBytes: maxMessageBytes, lingerMs: this.cfg.lingerMs,
      concurrency: this.cfg.concurrency, retries: this.cfg.retries, baseBackoffMs: BASE_BACKOFF_MS, maxBackoffMs: MAX_BACKOFF_MS, seed: BACKOFF_SEED,
    }, ctx, (records) => this.sendBatch(records));
  }

  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void {
    const batcher = this.batcher;
    if (batcher === undefined) {
      process.nextTick(() => sink.done(slot, 'error', false));
      return;
    }
    batcher.add(slot, sink, messageBytes(msg, traceparent, this.shaped), toEntry(msg, traceparent, { fifo: this.queue.fifo, groupOf: this.groupOf, shaped: this.shaped }));
  }

  flush(): void {
    this.batcher?.flush();
  }

  /** Destroys the client: calls still in flight fail (the engine's drain bound has passed). */
  async close(): Promise<void> {
    this.client?.destroy();
    this.client = undefined;
  }

  /** The queue's URL: as given, or from GetQueueUrl. */
  private async checkQueue(client: SQSClient, signal: AbortSignal): Promise<string> {
    if (this.queue.url !== undefined) return this.queue.url;
    const out = await client.send(new GetQueueUrlCommand({ QueueName: this.queue.name }), { abortSignal: signal });
    if (!out.QueueUrl) throw Object.assign(new Error('GetQueueUrl returned no QueueUrl'), { name: 'QueueDoesNotExist' });
    return out.QueueUrl;
  }

  /**
   * GetQueueAttributes: that the queue exists at this URL, and its MaximumMessageSize. A message
   * larger than the queue takes (or than SendMessageBatch's 256 KiB) ends as record-too-large, never sent.
   */
  private async maxMessageSize(client: SQSClient, signal: AbortSignal): Promise<number> {
    const out = await client.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ['MaximumMessageSize'] }), { abortSignal: signal });
    const max = Number(out.Attributes?.MaximumMessageSize);
    return Number.isFinite(max) && max > 0 ? Math.min(max, MAX_BYTES_PER_MESSAGE) : MAX_BYTES_PER_MESSAGE;
  }

  /** One SendMessageBatch call; failures are results, never exceptions. Not aborted by the run's stop: flush() sends what is held after it. */
  private async sendBatch(records: SendMessageBatchRequestEntry[]): Promise<CallResult> {
    const client = this.client;
    if (client === undefined) return { failed: { outcome: 'error', retryable: false, responded: false } };
    try {
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: batchEntries(records) }));
      return recordResults(records.length, out);
    } catch (e) {
      return { failed: classifyAwsCallError(e) };
    }
  }

  private hostFor(region: string | undefined): string {
    const { endpoint } = endpointSource(this.cfg, 'sqs');
    return endpoint ? hostPort(endpoint) : `sqs.${region ?? '<region>'}.amazonaws.com:443`;
  }

  private subject(): OpenSubject {
    return { service: 'sqs', settings: this.cfg, what: `queue '${this.queue.name}'`, region: this.region, notFoundFix: 'create it (aws sqs create-queue), or check its name or URL' };
  }
}
