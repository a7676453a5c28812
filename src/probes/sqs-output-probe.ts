import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { maskUrl } from '../targets/mask.js';
import type { SqsOutputConfig } from '../scenario/probes-schema.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import { POLL_TIMEOUT_MS } from './poller.js';
import { openProbeQueue, type OpenedQueue } from './sqs-queue-probe.js';
import { idInJson, OutputConsumer } from './output-consumer.js';

/** Long-poll wait of each ReceiveMessage, s: short, so that stop() ends every loop within about a second. */
const WAIT_SECONDS = 1;
/** After a failed call a loop waits this long before the next (an unreachable endpoint is not hammered), ms. */
const BACKOFF_MS = 250;
/** The last sweep after stop: at most this many empty-or-not receives per loop. */
const FINAL_SWEEPS = 3;
/** The message attribute that may carry the id (when the body does not). */
const ID_ATTRIBUTE = 'messageId';

/**
 * The pipeline's output read from an SQS queue: `pollers` concurrent loops of ReceiveMessage
 * (10 messages, 1 s long poll, every message attribute), each message's id — from a
 * `messageId` message attribute, else the JSON body at the run's id path — told to the tracker
 * with the time it was received, and every message received deleted (DeleteMessageBatch),
 * matched or not: the probe owns the output queue. A body without an id counts as unexpected.
 * Every call has a timeout; a failed one is counted in `failures` and tried again.
 */
export class SqsOutputProbe extends OutputConsumer {
  readonly name: string;
  /** Messages received, and of those deleted. */
  received = 0;
  deleted = 0;
  private queue: OpenedQueue | undefined;
  private loops: Promise<void>[] = [];
  private readonly path: string[];

  constructor(private readonly cfg: SqsOutputConfig, tracker: DeliveryTracker, idPath: string, now: () => number = Date.now) {
    super(tracker, now);
    this.path = idPath.split('.');
    this.name = `sqs ${maskUrl(cfg.queue)}`;
  }

  async start(): Promise<void> {
    this.queue = await openProbeQueue(this.cfg, 'probes.output', this.cfg.pollers);
    this.loops = Array.from({ length: this.cfg.pollers }, () => this.loop(this.queue!));
  }

  /** The message id in `m`: its `messageId` attribute, else the body's field at the id path; '' when neither holds one. */
  idOf(m: Message): string {
    const attr = m.MessageAttributes?.[ID_ATTRIBUTE]?.StringValue;
    if (attr !== undefined && attr !== '') return attr;
    return idInJson(m.Body ?? '', this.path);
  }

  protected async stopNow(): Promise<void> {
    this.beginStop();
    await Promise.all(this.loops);
    const q = this.queue;
    if (!q) return;
    for (let i = 0; i < FINAL_SWEEPS; i++) {
      const got = await this.receiveOnce(q, 0).catch((e: unknown) => this.failed(e));
      if (!got) break;
    }
    q.client.destroy();
  }

  private async loop(q: OpenedQueue): Promise<void> {
    while (!this.stopping) {
      try {
        await this.receiveOnce(q, WAIT_SECONDS);
      } catch (e) {
        this.failed(e);
        await this.pause(BACKOFF_MS);
      }
    }
  }

  /** One ReceiveMessage and the delete of what it got; resolves to how many it got. */
  private async receiveOnce(q: OpenedQueue, waitSeconds: number): Promise<number> {
    const out = await q.client.send(
      new ReceiveMessageCommand({ QueueUrl: q.url, MaxNumberOfMessages: 10, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'] }),
      { abortSignal: AbortSignal.timeout(POLL_TIMEOUT_MS) },
    );
    const messages = out.Messages ?? [];
    if (messages.length === 0) return 0;
    const seenAt = this.now();
    this.received += messages.length;
    for (const m of messages) this.tracker.observe(this.idOf(m), seenAt);
    const entries = messages.flatMap((m, i) => (m.ReceiptHandle ? [{ Id: String(i), ReceiptHandle: m.ReceiptHandle }] : []));
    if (entries.length > 0) {
      const del = await q.client.send(new DeleteMessageBatchCommand({ QueueUrl: q.url, Entries: entries }), { abortSignal: AbortSignal.timeout(POLL_TIMEOUT_MS) });
      this.deleted += del.Successful?.length ?? 0;
      if (del.Failed && del.Failed.length > 0) this.failed(new Error(`DeleteMessageBatch: ${del.Failed.length} failed (${del.Failed[0].Code ?? 'error'})`));
    }
    return messages.length;
  }


}
