/**
 * The counts of one connection storm over the run (all its windows together, when a manual storm
 * is started more than once). Counters only: reasons are few (the server's own messages).
 */
export interface StormTallyDetails {
  /** Connections that opened and were held (HTTP: a response head that was not 429/5xx; PostgreSQL: ready for query). */
  opened: number;
  /** Attempts refused, by reason ("53300 sorry, too many clients already": n). */
  refused: Record<string, number>;
  /** The most connections held at once. */
  peakHeld: number;
  /** Held connections the storm let go itself (its stop: `for`'s end, the run's end, Ctrl-C); the fault's `released()` waits until they are closed. */
  released: number;
  /** Held connections the other side closed (or that broke) while the storm held them, by reason. */
  dropped: Record<string, number>;
  /** Attempts still under way when the storm stopped, aborted (neither opened nor refused). */
  cancelled: number;
  /** Attempts made: opened + refused + cancelled (+ any still under way). */
  attempts: number;
}

/** Keeps a storm's counts; `held` is the number held now. */
export class StormTally {
  held = 0;
  private opened = 0;
  private peakHeld = 0;
  private released = 0;
  private cancelled = 0;
  private attempts = 0;
  private readonly refused = new Map<string, number>();
  private readonly dropped = new Map<string, number>();

  attempt(): void {
    this.attempts++;
  }

  open(): void {
    this.opened++;
    this.held++;
    if (this.held > this.peakHeld) this.peakHeld = this.held;
  }

  refuse(reason: string): void {
    bump(this.refused, reason);
  }

  drop(reason: string): void {
    this.held--;
    bump(this.dropped, reason);
  }

  /** A held connection the storm let go (its close is under way). */
  release(): void {
    this.held--;
    this.released++;
  }

  cancel(): void {
    this.cancelled++;
  }

  details(): StormTallyDetails {
    return {
      opened: this.opened, refused: Object.fromEntries(this.refused), peakHeld: this.peakHeld, released: this.released,
      dropped: Object.fromEntries(this.dropped), cancelled: this.cancelled, attempts: this.attempts,
    };
  }
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}
