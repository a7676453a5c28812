/**
 * A set of message ids with bounded memory: past `capacity` ids, the oldest added is forgotten
 * (FIFO eviction, like an idempotency table with a TTL). A forgotten id counts as new again.
 */
export class BoundedIdSet {
  private readonly ids = new Set<string>();

  constructor(readonly capacity: number) {}

  /** Adds `id`; returns false if it was already there. */
  add(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
    return true;
  }
}
