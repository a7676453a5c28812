import type { SandboxClock } from './clock.js';
import type { DeadLetterQueue } from './dead-letter-queue.js';
import { Deque } from './deque.js';
import type { QueueParams } from './params.js';

export const READY = 0;
export const IN_FLIGHT = 1;
/** Deleted, or moved to the DLQ. */
export const DONE = 2;

/** A message in the queue. Times are monotonic ms (the sandbox clock). */
export interface QueueMessage {
  readonly id: number;
  /** The raw request body; emptied once the message is done, to free memory. */
  body: string;
  readonly bytes: number;
  readonly enqueuedAt: number;
  /** When the message last became visible (enqueued, or its visibility timeout ran out). */
  visibleSince: number;
  /** While in flight: when the visibility timeout runs out. */
  visibleAt: number;
  /** Receives so far; also the receipt of the latest receive (a delete must quote it). */
  receiveCount: number;
  state: number;
  /** Set by the processor once it has read the body. */
  messageId: string | null;
  /** The W3C `traceparent` the producer sent with it (the HTTP door), kept like SQS keeps AWSTraceHeader; null without one. */
  traceparent: string | null;
  lastError: string;
}

/**
 * A queue like SQS standard between the ingest and the processor:
 * - `send` enqueues unless `maxMessages` or `maxBytes` would be exceeded (visible + in flight).
 * - `receive` hands out visible messages, oldest first, and starts their visibility timeout;
 *   a message that was already received `maxReceiveCount` times moves to the DLQ instead, so
 *   a DLQ entry has `receiveCount === maxReceiveCount`.
 * - `delete` with a stale receipt (the message was received again since) does nothing.
 * - An in-flight message not deleted becomes visible again when its timeout runs out (`expire`).
 * Visibility timeouts are all equal, so in-flight messages expire in the order received: two
 * FIFOs, no heap.
 */
export class Queue {
  private readonly ready = new Deque<QueueMessage>();
  private readonly inFlightFifo = new Deque<QueueMessage>();
  private nextId = 1;
  /** Live counts (done messages still parked in a FIFO are not counted). */
  visible = 0;
  inFlight = 0;
  bytes = 0;
  enqueued = 0;
  rejectedFull = 0;
  receives = 0;
  deleted = 0;
  movedToDlq = 0;

  constructor(
    private readonly params: QueueParams,
    private readonly dlq: DeadLetterQueue,
    private readonly clock: SandboxClock,
  ) {}

  /** Enqueues a body; null when the queue is full. */
  send(body: string, bytes: number, now: number, traceparent: string | null = null): QueueMessage | null {
    if (this.visible + this.inFlight >= this.params.maxMessages || this.bytes + bytes > this.params.maxBytes) {
      this.rejectedFull++;
      return null;
    }
    const msg: QueueMessage = {
      id: this.nextId++, body, bytes, enqueuedAt: now, visibleSince: now, visibleAt: 0,
      receiveCount: 0, state: READY, messageId: null, lastError: '', traceparent,
    };
    this.ready.push(msg);
    this.visible++;
    this.bytes += bytes;
    this.enqueued++;
    return msg;
  }

  /** The oldest visible message (without receiving it). */
  peekVisible(): QueueMessage | undefined {
    let head = this.ready.peek();
    while (head && head.state !== READY) {
      this.ready.shift();
      head = this.ready.peek();
    }
    return head;
  }

  /** Receives up to `max` messages into `out` (cleared first); returns how many. */
  receive(max: number, now: number, out: QueueMessage[]): number {
    out.length = 0;
    while (out.length < max) {
      const msg = this.peekVisible();
      if (!msg) break;
      this.ready.shift();
      this.visible--;
      if (msg.receiveCount >= this.params.maxReceiveCount) {
        this.moveToDlq(msg);
        continue;
      }
      msg.receiveCount++;
      msg.state = IN_FLIGHT;
      msg.visibleAt = now + this.params.visibilityTimeout;
      this.inFlight++;
      this.receives++;
      this.inFlightFifo.push(msg);
      out.push(msg);
    }
    return out.length;
  }

  /** Deletes a message received with `receipt`; false when the receipt is stale or it is done. */
  delete(msg: QueueMessage, receipt: number): boolean {
    if (msg.state === DONE || msg.receiveCount !== receipt) return false;
    if (msg.state === IN_FLIGHT) this.inFlight--;
    else this.visible--;
    this.finish(msg);
    this.deleted++;
    return true;
  }

  /** Makes in-flight messages whose visibility timeout ran out visible again; returns how many. */
  expire(now: number): number {
    let n = 0;
    for (let head = this.inFlightFifo.peek(); head; head = this.inFlightFifo.peek()) {
      if (head.state === IN_FLIGHT && head.visibleAt > now) break;
      this.inFlightFifo.shift();
      if (head.state !== IN_FLIGHT) continue;
      head.state = READY;
      head.visibleSince = head.visibleAt;
      this.inFlight--;
      this.visible++;
      this.ready.push(head);
      n++;
    }
    return n;
  }

  /** When the next in-flight message becomes visible again (Infinity if none). */
  nextExpiryAt(): number {
    let head = this.inFlightFifo.peek();
    while (head && head.state !== IN_FLIGHT) {
      this.inFlightFifo.shift();
      head = this.inFlightFifo.peek();
    }
    return head ? head.visibleAt : Infinity;
  }

  private moveToDlq(msg: QueueMessage): void {
    this.dlq.add({
      queueMessageId: msg.id, messageId: msg.messageId, receiveCount: msg.receiveCount, lastError: msg.lastError,
      body: msg.body, bodyBytes: msg.bytes, enqueuedAt: this.clock.toEpochMs(msg.enqueuedAt), movedAt: this.clock.toEpochMs(this.clock.now()),
      ...(msg.traceparent !== null ? { traceparent: msg.traceparent } : {}),
    });
    this.finish(msg);
    this.movedToDlq++;
  }

  private finish(msg: QueueMessage): void {
    msg.state = DONE;
    this.bytes -= msg.bytes;
    msg.body = '';
  }
}
