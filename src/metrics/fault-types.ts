/**
 * The shapes the engine's timeline, the faults (src/faults) and the results share. They live
 * here, below all three: the engine decides when a fault runs, src/faults what it does, and
 * the results report both.
 */

/**
 * A fault as the engine schedules it: when it starts and how long it lasts (ms from the run's
 * start), and what applies it. `start` and `stop` must be cheap and must not throw; `stop`
 * undoes everything `start` did.
 */
export interface ScheduledFault {
  name: string;
  kind: string;
  /** Offset from the run's start, ms; null: manual (waits for `startFault`). */
  atMs: number | null;
  /** Length, ms; null: until the end of the run (or a manual stop). */
  forMs: number | null;
  apply: { start(): void; stop(): void };
}

/** What a fault did over the run, as the journal records it before `end` and summary.json's `faults[]` reports it. */
export interface FaultEffect {
  name: string;
  kind: string;
  /** Messages the fault changed. */
  messages: number;
  /** Up to 20 of their message ids (as the fleet numbered them), in order. */
  examples: string[];
  /** The kind's own figures (e.g. poison by kind, drift ops applied and missing). */
  details: Record<string, unknown>;
}
