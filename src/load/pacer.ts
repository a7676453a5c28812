/**
 * A pacer answers "when is arrival n due?" as pure math on time: no timers, no state that
 * changes as arrivals are sent. Times are milliseconds (float) from the pacer's own start.
 */
export interface Pacer {
  /**
   * Number of arrivals in the whole schedule (finite, integer). For one phase ceil(N(durationMs)),
   * where N(t) is the expected number of arrivals in [0, t), the integral of the rate; for a
   * schedule of phases, the sum of theirs.
   */
  readonly count: number;
  /** Length of the schedule in ms (an idle tail counts). */
  readonly durationMs: number;
  /**
   * Offset in ms from the start at which arrival n (0-based, 0 <= n < count) is due: the first
   * instant N(t) exceeds n, so arrival 0 is at 0 when the rate starts positive. Computed from n
   * directly (no accumulated increments). Non-decreasing in n, and dueAt(n) < durationMs.
   * Must not allocate: it is on the hot path. Any other n gives an unspecified number.
   */
  dueAt(n: number): number;
  /** Target rate in arrivals per second at offset tMs (0 <= tMs < durationMs; 0 outside). */
  rateAt(tMs: number): number;
  /**
   * Arrivals due in [0, tMs): the inverse of dueAt, exactly as dueAt computes it, so
   * countBefore(dueAt(n)) === n. 0 for tMs <= 0, count for tMs >= durationMs.
   * Used for snapshots ("target so far"); not on the hot path.
   */
  countBefore(tMs: number): number;
}
