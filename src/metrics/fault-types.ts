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
  /** A message fault's messages by where they went (absent for faults that change no message). */
  destinations?: Destinations;
}

/**
 * Where the messages a fault changed went, as the run could see it. rejected + accepted + dlq +
 * unaccounted + untraced = injected:
 * - `rejected`: the front door refused it (a 4xx, a failed record), by outcome class;
 * - `accepted`: the output consumer saw it — it went through the pipeline silently, the dangerous case;
 * - `dlq`: the DLQ holds it (the sandbox's DLQ, read by its id or the id found in its body);
 * - `unaccounted`: none of those; `unanswered` of them never got a front-door answer, `lost` were
 *   accepted at the door and then seen nowhere (with no output or DLQ reader, that is all that can be said).
 */
export interface Destinations {
  injected: number;
  rejected: number;
  rejectedBy: Record<string, number>;
  dlq: number;
  accepted: number;
  unaccounted: number;
  unanswered: number;
  lost: number;
  /** Of `accepted`, those also in the DLQ (delivered, then dead-lettered on a redelivery). */
  acceptedAlsoInDlq: number;
  /** Changed after MAX_TRACED (src/faults/message-trace.ts) were followed (or by a fault past MAX_FAULTS): counted in `injected`, not followed (and not in the others). */
  untraced: number;
  /** What the run could read: an output consumer, a DLQ reader. */
  read: { output: boolean; dlq: boolean };
  /** DLQ entries of the run (of any fault) that named no arrival — their id destroyed or cut off, or dropped from the sandbox's DLQ ring before they were read: likely some of `unaccounted`. */
  dlqUnidentified: number;
}

