/**
 * A bounded log read by cursor, for the output and the DLQ. Each pushed item gets the next
 * cursor (0, 1, 2, … never reused); when full, the oldest item is dropped. A reader polls with
 * the `nextCursor` of its last page and learns from `missed` how many items it lost to eviction.
 */
export interface Page<T> {
  items: T[];
  /** Pass this as `cursor` to read on. */
  nextCursor: number;
  /** The oldest cursor still held. */
  oldestCursor: number;
  /** Items between the requested cursor and the oldest held that were dropped before being read. */
  missed: number;
}

export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private next = 0;

  /** `capacity >= 1` items are kept. */
  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(Math.min(capacity, 1 << 16));
  }

  /** The cursor the next item will get; also the number of items ever pushed. */
  get nextCursor(): number {
    return this.next;
  }

  get oldestCursor(): number {
    return Math.max(0, this.next - this.capacity);
  }

  /** Appends an item and returns its cursor. */
  push(item: T): number {
    if (this.items.length < this.capacity && this.next >= this.items.length) {
      this.items.length = Math.min(this.capacity, this.items.length * 2);
    }
    const cursor = this.next++;
    this.items[cursor % this.capacity] = item;
    return cursor;
  }

  /** Up to `limit` items from `cursor` on (clamped to what is held). */
  read(cursor: number, limit: number): Page<T> {
    const oldest = this.oldestCursor;
    const from = Math.min(Math.max(cursor, oldest), this.next);
    const to = Math.min(this.next, from + Math.max(0, limit));
    const items: T[] = [];
    for (let c = from; c < to; c++) items.push(this.items[c % this.capacity] as T);
    return { items, nextCursor: to, oldestCursor: oldest, missed: Math.max(0, oldest - cursor) };
  }
}
