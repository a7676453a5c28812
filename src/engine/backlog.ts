/**
 * FIFO of slot numbers waiting for the target to have room (all connections busy). A ring over
 * an Int32Array sized to the in-flight cap: no allocation per waiting arrival, and no message is
 * built until the arrival is actually sent.
 */
export class SlotBacklog {
  private readonly ring: Int32Array;
  private head = 0;
  private size = 0;

  constructor(capacity: number) {
    this.ring = new Int32Array(Math.max(1, capacity));
  }

  get length(): number {
    return this.size;
  }

  push(slot: number): void {
    if (this.size === this.ring.length) throw new Error('SlotBacklog overflow: more waiting arrivals than in-flight slots');
    this.ring[(this.head + this.size) % this.ring.length] = slot;
    this.size++;
  }

  /** The oldest waiting slot, or -1 when empty. */
  shift(): number {
    if (this.size === 0) return -1;
    const slot = this.ring[this.head];
    this.head = (this.head + 1) % this.ring.length;
    this.size--;
    return slot;
  }
}
