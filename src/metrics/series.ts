/**
 * The latency series every interval records, and their tags in `latency.hlog`.
 * - latency:      done − intended (due) time of every arrival that got an answer or timed out.
 *                 The headline figure; includes any stall of the target AND any time the arrival
 *                 waited behind earlier ones (coordinated omission).
 * - serviceTime:  done − the time the request went on the wire (after any wait for a free
 *                 connection). What a closed-loop tool would report.
 * - scheduleLag:  the moment the dispatcher took the arrival (sent it, or queued it for a free
 *                 connection) − intended time. The generator's own lateness.
 * - waiting:      at the interval's close, the age (close − intended time) of every arrival still
 *                 without an answer: lower bounds of their latency. Not cumulative: the last
 *                 interval's waiting histogram holds the arrivals unfinished when the run ended.
 */
export const SERIES = ['latency', 'serviceTime', 'scheduleLag', 'waiting'] as const;
export type SeriesName = (typeof SERIES)[number];

/** The series that add up over a run (waiting does not: each interval's replaces the last). */
export const CUMULATIVE_SERIES = ['latency', 'serviceTime', 'scheduleLag'] as const;

export const SERIES_TAG: Record<SeriesName, string> = {
  latency: 'latency',
  serviceTime: 'service',
  scheduleLag: 'lag',
  waiting: 'waiting',
};

export const TAG_SERIES: Record<string, SeriesName> = {
  latency: 'latency',
  service: 'serviceTime',
  lag: 'scheduleLag',
  waiting: 'waiting',
};
