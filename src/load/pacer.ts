/**
 * A pacer answers "when is arrival n due?" as pure math on time: no timers, no state that
 * changes as arrivals are sent. Times are milliseconds (float) from the pacer's own start.
 */
export interface Pacer {
  /** Number of arrivals in the whole schedule (finite, integer). */
  readonly count: number;
  /** Length of the schedule in ms (an idle tail counts). */
  readonly durationMs: number;
  /**
   * Offset in ms from the start at which arrival n (0-based, 0 <= n < count) is due.
   * Non-decreasing in n, and dueAt(n) < durationMs. Must not allocate: it is on the hot path.
   */
  dueAt(n: number): number;
  /** Target rate in arrivals per second at offset tMs (0 <= tMs < durationMs). */
  rateAt(tMs: number): number;
  /** Arrivals due in [0, tMs): the inverse of dueAt. Used for snapshots ("target so far"). */
  countBefore(tMs: number): number;
}
