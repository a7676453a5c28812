import { RingBuffer, type Page } from './ring-buffer.js';

/**
 * One processed message as `GET /output` returns it. Times are epoch ms. With `sandbox.schema`
 * the first five fields are read at `sandbox.fields` (see message-validator.ts).
 */
export interface OutputEntry {
  cursor: number;
  messageId: string;
  vehicleId: string;
  seq: number;
  /** One of the six kinds with schema v1; any text (default `telemetry`) with `sandbox.schema`. */
  kind: string;
  /** The client's send time, from the message; null when a `sandbox.schema` message has none. */
  sentAt: number | null;
  /** When the ingest put it on the queue. */
  enqueuedAt: number;
  /** When the processor's write of it completed. */
  processedAt: number;
  /** The queue receive that processed it (1 = first attempt), as SQS's ApproximateReceiveCount. */
  receiveCount: number;
}

export type NewOutputEntry = Omit<OutputEntry, 'cursor'>;

/**
 * The pipeline's output (think: the table or stream the processor writes to), bounded: the
 * newest `capacity` entries are kept for reading; `written` counts every write. Like a real
 * output it does not say which writes were duplicates: a consumer finds them by messageId.
 */
export class OutputLog {
  private readonly log: RingBuffer<OutputEntry>;

  constructor(capacity: number) {
    this.log = new RingBuffer<OutputEntry>(capacity);
  }

  get written(): number {
    return this.log.nextCursor;
  }

  get capacity(): number {
    return this.log.capacity;
  }

  get oldestCursor(): number {
    return this.log.oldestCursor;
  }

  append(entry: NewOutputEntry): void {
    this.log.push({ cursor: this.log.nextCursor, ...entry });
  }

  read(cursor: number, limit: number): Page<OutputEntry> {
    return this.log.read(cursor, limit);
  }
}
