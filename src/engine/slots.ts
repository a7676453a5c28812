export const SLOT_FREE = 0;
export const SLOT_RUN = 1;
export const SLOT_WARMUP = 2;

/**
 * Fixed-size table of in-flight requests, indexed by slot number. The hot path stores the
 * arrival's times here instead of allocating an object per request. Capacity = the in-flight cap.
 */
export class InFlightSlots {
  /** Intended (due) time of the arrival in the slot, ms from the run's start. */
  readonly dueMs: Float64Array;
  /** When the dispatcher took the due arrival (sent it, or queued it for a free connection), ms. */
  readonly takenMs: Float64Array;
  /** When the target put the request on the wire (SendSink.written), ms from the run's start. */
  readonly writtenMs: Float64Array;
  /** Arrival number (float64 so runs past 2^31 arrivals are fine). */
  readonly arrival: Float64Array;
  /** 1 once the request in the slot went on the wire. */
  readonly onWire: Uint8Array;
  /** What holds the slot: SLOT_FREE, SLOT_RUN (an arrival of the run) or SLOT_WARMUP. Set by the user of the slot. */
  readonly kind: Uint8Array;
  private readonly free: Int32Array;
  private freeTop: number;

  constructor(readonly capacity: number) {
    this.dueMs = new Float64Array(capacity);
    this.takenMs = new Float64Array(capacity);
    this.writtenMs = new Float64Array(capacity);
    this.arrival = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.onWire = new Uint8Array(capacity);
    this.free = new Int32Array(capacity);
    for (let i = 0; i < capacity; i++) this.free[i] = capacity - 1 - i;
    this.freeTop = capacity;
  }

  /** Number of slots in use. */
  get inUse(): number {
    return this.capacity - this.freeTop;
  }

  /** A free slot number, or -1 when the cap is reached. */
  acquire(): number {
    if (this.freeTop === 0) return -1;
    return this.free[--this.freeTop];
  }

  release(slot: number): void {
    this.kind[slot] = SLOT_FREE;
    this.free[this.freeTop++] = slot;
  }
}
