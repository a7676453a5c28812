/**
 * The fate of the arrivals due in one interval (a cohort): `due = ok + failed + dropped + pending`.
 * At the run's end `pending` is what stayed unfinished (no answer when the run ended).
 */
export interface CohortOutcome {
  /** Interval index: the arrivals whose intended time fell in [index × intervalMs, (index + 1) × intervalMs). */
  index: number;
  due: number;
  ok: number;
  /** Failed by class: `errors` sums to `failed`. */
  failed: number;
  /** Not sent because the in-flight cap was reached. */
  dropped: number;
  /** No outcome yet: in flight, waiting for a connection, or not yet taken by the dispatcher. */
  pending: number;
  errors: Record<string, number>;
}

interface Cohort {
  index: number;
  ok: number;
  failed: number;
  dropped: number;
  errors: Record<string, number>;
  /** Changed since it was last reported. */
  dirty: boolean;
}

/**
 * Counts every due arrival's outcome in the interval it was DUE in (not the one it completed in),
 * so each interval's arrivals are accounted for exactly once, however late their answer. Memory
 * is bounded: only cohorts with arrivals still pending are kept (at most one per arrival in
 * flight). `dueIn(index)` says how many arrivals the schedule put in a cohort. No timers: pure.
 */
export class OutcomeLedger {
  private readonly open = new Map<number, Cohort>();
  private last: Cohort | undefined;

  constructor(private readonly intervalMs: number, private readonly dueIn: (index: number) => number) {}

  /** An arrival due at `dueMs` (ms from the run's start) ended with `outcome`. Hot path: no allocation in the common case. */
  resolve(dueMs: number, outcome: string, ok: boolean): void {
    const c = this.cohortAt(dueMs);
    if (ok) c.ok++;
    else {
      c.failed++;
      c.errors[outcome] = (c.errors[outcome] ?? 0) + 1;
    }
  }

  /** An arrival due at `dueMs` was dropped at the in-flight cap. */
  drop(dueMs: number): void {
    this.cohortAt(dueMs).dropped++;
  }

  /**
   * Interval `index` closed: returns its cohort and every earlier one that changed since the last
   * close (states, not deltas: a later state of a cohort replaces an earlier one). Cohorts with
   * nothing pending are forgotten; later cohorts that already changed wait for their own close.
   */
  close(index: number): CohortOutcome[] {
    this.cohort(index).dirty = true;
    const out: CohortOutcome[] = [];
    for (const c of [...this.open.values()].sort((a, b) => a.index - b.index)) {
      if (c.index > index || !c.dirty) continue;
      c.dirty = false;
      const state = this.state(c);
      out.push(state);
      if (state.pending === 0) this.forget(c);
    }
    return out;
  }

  private state(c: Cohort): CohortOutcome {
    const due = this.dueIn(c.index);
    return { index: c.index, due, ok: c.ok, failed: c.failed, dropped: c.dropped, pending: due - c.ok - c.failed - c.dropped, errors: { ...c.errors } };
  }

  private forget(c: Cohort): void {
    this.open.delete(c.index);
    if (this.last === c) this.last = undefined;
  }

  private cohortAt(dueMs: number): Cohort {
    const index = Math.floor(dueMs / this.intervalMs);
    const last = this.last;
    const c = last !== undefined && last.index === index ? last : this.cohort(index);
    c.dirty = true;
    return c;
  }

  private cohort(index: number): Cohort {
    let c = this.open.get(index);
    if (c === undefined) {
      c = { index, ok: 0, failed: 0, dropped: 0, errors: {}, dirty: false };
      this.open.set(index, c);
    }
    this.last = c;
    return c;
  }
}
