import type { Destinations } from '../metrics/fault-types.js';
import { OK } from '../targets/outcome.js';

export type { Destinations } from '../metrics/fault-types.js';

/** Most changed messages a run follows to their destination; later ones are only counted (`untraced`). */
export const MAX_TRACED = 200_000;

/** Message faults of one run that are followed (the Map key is n × MAX_FAULTS + fault index); later ones are only counted. */
export const MAX_FAULTS = 16;

// Flags of a traced (arrival, fault).
const ANSWERED_OK = 1;
const REJECTED = 2;
const SEEN = 4;
const IN_DLQ = 8;

/**
 * The run-wide record of the arrivals message faults changed (by arrival number n), told of
 * their front-door answer (the engine's completion watch), their sighting in the output (the
 * delivery tracker) and in the DLQ (the DLQ reader), so each fault can say where its messages
 * went. A message two faults changed counts for both. Memory: one Map entry per traced
 * (arrival, fault), at most MAX_TRACED.
 */
export class MessageTrace {
  /** (n × MAX_FAULTS + fault) → flags. */
  private readonly marks = new Map<number, number>();
  private readonly faults: { injected: number; untraced: number; rejectedBy: Map<string, number> }[] = [];
  read = { output: false, dlq: false };
  /** DLQ entries of this run's time that named no arrival of it (their id destroyed or cut). */
  dlqUnidentified = 0;

  /** A fault joins; its index is what `mark` takes. */
  register(): number {
    this.faults.push({ injected: 0, untraced: 0, rejectedBy: new Map() });
    return this.faults.length - 1;
  }

  /** Fault `f` changed arrival n. */
  mark(f: number, n: number): void {
    const s = this.faults[f];
    s.injected++;
    if (f >= MAX_FAULTS || this.marks.size >= MAX_TRACED) s.untraced++;
    else this.marks.set(n * MAX_FAULTS + f, 0);
  }

  /** Arrival n got its front-door answer (every run arrival passes here: returns at once when nothing is traced). */
  completed(n: number, outcome: string): void {
    if (this.marks.size === 0) return;
    const followed = Math.min(this.faults.length, MAX_FAULTS);
    for (let f = 0; f < followed; f++) {
      const key = n * MAX_FAULTS + f;
      const m = this.marks.get(key);
      if (m === undefined) continue;
      if (outcome === OK) {
        this.marks.set(key, m | ANSWERED_OK);
        continue;
      }
      this.marks.set(key, m | REJECTED);
      const by = this.faults[f].rejectedBy;
      by.set(outcome, (by.get(outcome) ?? 0) + 1);
    }
  }

  /** The output consumer saw arrival n. */
  seen(n: number): void {
    this.flag(n, SEEN);
  }

  /** The DLQ holds arrival n (undefined: an entry that names no arrival of this run). */
  dlq(n: number | undefined): void {
    if (n === undefined) this.dlqUnidentified++;
    else this.flag(n, IN_DLQ);
  }

  private flag(n: number, bit: number): void {
    if (this.marks.size === 0) return;
    const followed = Math.min(this.faults.length, MAX_FAULTS);
    for (let f = 0; f < followed; f++) {
      const key = n * MAX_FAULTS + f;
      const m = this.marks.get(key);
      if (m !== undefined) this.marks.set(key, m | bit);
    }
  }

  /** Fault `f`'s destinations now (at the run's end, after the probes drained). */
  destinations(f: number): Destinations {
    const s = this.faults[f];
    const d: Destinations = {
      injected: s.injected, rejected: 0, rejectedBy: Object.fromEntries(s.rejectedBy), dlq: 0, accepted: 0, unaccounted: 0,
      unanswered: 0, lost: 0, acceptedAlsoInDlq: 0, untraced: s.untraced, read: { ...this.read }, dlqUnidentified: this.dlqUnidentified,
    };
    for (const [key, m] of this.marks) {
      if (key % MAX_FAULTS !== f) continue;
      if (m & REJECTED) d.rejected++;
      else if (m & SEEN) {
        d.accepted++;
        if (m & IN_DLQ) d.acceptedAlsoInDlq++;
      } else if (m & IN_DLQ) d.dlq++;
      else {
        d.unaccounted++;
        if (m & ANSWERED_OK) d.lost++;
        else d.unanswered++;
      }
    }
    return d;
  }
}

/**
 * The arrival a DLQ entry is of: its `messageId` when the sandbox could read one, else the first
 * id of this run (`prefix` + base-36 arrival number) found in its body text. undefined: none.
 */
export function dlqArrival(messageId: string | null, body: string, prefix: string, arrivalOf: (id: string) => number | undefined): number | undefined {
  if (messageId !== null) {
    const n = arrivalOf(messageId);
    if (n !== undefined) return n;
  }
  for (let i = body.indexOf(prefix); i >= 0; i = body.indexOf(prefix, i + 1)) {
    let j = i + prefix.length;
    while (j < body.length && j - i - prefix.length < 11 && /[0-9a-z]/.test(body[j])) j++;
    const n = arrivalOf(body.slice(i, j));
    if (n !== undefined) return n;
  }
  return undefined;
}
