import { RingBuffer, type Page } from './ring-buffer.js';

/** Bodies longer than this are cut in DLQ entries (memory stays bounded); `bodyBytes` has the size. */
export const DLQ_BODY_CHARS = 2048;

/** One message moved to the DLQ, as `GET /dlq` returns it. Times are epoch ms. */
export interface DlqEntry {
  cursor: number;
  /** The queue's id for the message (as in the ingest's 202 answer); at the kinesis door the record's stream-wide number (1 = first put). */
  queueMessageId: number;
  /** The message's own `messageId` when its body could be read, else null. */
  messageId: string | null;
  /** Receives before the move; equals `maxReceiveCount` (kinesis door: the invocations that included the record). */
  receiveCount: number;
  /** Why the last attempt failed (e.g. `invalid: seq must be a positive integer`, `db: connection refused`). */
  lastError: string;
  body: string;
  bodyTruncated: boolean;
  bodyBytes: number;
  enqueuedAt: number;
  movedAt: number;
  /** The `traceparent` header the message came with (the HTTP door); absent without one. It names the message even when its body is destroyed. */
  traceparent?: string;
  /** The kinesis door: the record's shard and sequence number (absent for queue messages). */
  shardId?: string;
  sequenceNumber?: string;
}

export type NewDlqEntry = Omit<DlqEntry, 'cursor' | 'body' | 'bodyTruncated'> & { body: string };

/**
 * The dead-letter queue: where a message goes when it has been received `maxReceiveCount`
 * times without being deleted. Nothing consumes it; `depth` counts every message moved, while
 * only the newest `capacity` entries are kept for reading.
 */
export class DeadLetterQueue {
  private readonly log: RingBuffer<DlqEntry>;

  constructor(capacity: number) {
    this.log = new RingBuffer<DlqEntry>(capacity);
  }

  get depth(): number {
    return this.log.nextCursor;
  }

  add(entry: NewDlqEntry): void {
    const truncated = entry.body.length > DLQ_BODY_CHARS;
    const cursor = this.log.nextCursor;
    this.log.push({ ...entry, cursor, body: truncated ? entry.body.slice(0, DLQ_BODY_CHARS) : entry.body, bodyTruncated: truncated });
  }

  read(cursor: number, limit: number): Page<DlqEntry> {
    return this.log.read(cursor, limit);
  }
}
