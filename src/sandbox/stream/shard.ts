import type { BatchMessage } from '../processor.js';
import { shardId } from './sequence-numbers.js';
import { WriteLimit } from './write-limit.js';

/**
 * A record in a shard. It is also what the processor reads (a BatchMessage): `body` is the Data
 * decoded as UTF-8, `enqueuedAt` its arrival (monotonic ms), `receiveCount` the attempts so far
 * (the event source mapping adds one before each invocation that includes it).
 */
export interface StreamRecord extends BatchMessage {
  /** Stream-wide number, 1 for the first record put: the DLQ entry's `queueMessageId`. */
  readonly id: number;
  /** 0-based position in its shard; with the shard it makes the sequence number. */
  readonly position: number;
  readonly partitionKey: string;
  /** The Data as sent (base64) when it is not valid UTF-8; otherwise undefined (re-encoded from `body` when read). */
  readonly data: string | undefined;
  /** Bytes of Data. */
  readonly bytes: number;
  /** The event source mapping's lane in the shard (see HashKeyRouter). */
  readonly lane: number;
}

/** What a new record is made of (the shard gives it its position). */
export interface NewRecord {
  id: number;
  body: string;
  data: string | undefined;
  bytes: number;
  partitionKey: string;
  lane: number;
  arrivedAt: number;
}

/**
 * One shard's log: the records in the order they were accepted, addressed by position (0, 1, 2,
 * … never reused). It keeps at most `capacity` records; appending past that trims the oldest
 * (as the retention period would), and `onTrim` hears of each record trimmed. Memory grows with
 * the records held, up to `capacity` slots.
 */
export class Shard {
  readonly id: string;
  private slots: (StreamRecord | undefined)[];
  private next = 0;
  /** Records refused by the write limit. */
  throttled = 0;

  constructor(
    readonly index: number,
    readonly capacity: number,
    /** null: no write limit. */
    private readonly limit: WriteLimit | null,
    private readonly onTrim: (record: StreamRecord) => void,
  ) {
    this.id = shardId(index);
    this.slots = new Array<StreamRecord | undefined>(Math.min(capacity, 1024));
  }

  /** Position the next record will get; also the number of records ever written. */
  get nextPosition(): number {
    return this.next;
  }

  /** The oldest position still held (TRIM_HORIZON). */
  get oldestPosition(): number {
    return Math.max(0, this.next - this.capacity);
  }

  /** Whether the write limit lets a record of `bytes` (data + key) in at `nowMs`; counts a refusal. */
  admit(nowMs: number, bytes: number): boolean {
    if (this.limit === null || this.limit.tryTake(nowMs, bytes)) return true;
    this.throttled++;
    return false;
  }

  /** Appends a record (trimming the oldest when full) and returns it. */
  append(r: NewRecord): StreamRecord {
    const position = this.next++;
    const record: StreamRecord = {
      id: r.id, position, body: r.body, data: r.data, bytes: r.bytes, partitionKey: r.partitionKey, lane: r.lane,
      enqueuedAt: r.arrivedAt, receiveCount: 0, messageId: null, lastError: '',
    };
    if (position < this.capacity) {
      if (position >= this.slots.length) this.slots.length = Math.min(this.capacity, this.slots.length * 2);
      this.slots[position] = record;
      return record;
    }
    const slot = position % this.capacity;
    const trimmed = this.slots[slot] as StreamRecord;
    this.slots[slot] = record;
    this.onTrim(trimmed);
    return record;
  }

  /** The record at `position`, or undefined when it was trimmed or not written yet. */
  at(position: number): StreamRecord | undefined {
    if (position < this.oldestPosition || position >= this.next) return undefined;
    return this.slots[position % this.capacity];
  }

  /** The first position held whose record arrived at or after `t` (monotonic ms); `nextPosition` if none. */
  firstArrivedAtOrAfter(t: number): number {
    let lo = this.oldestPosition;
    let hi = this.next;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if ((this.at(mid) as StreamRecord).enqueuedAt < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
