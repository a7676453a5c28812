/**
 * The three latency series every send records, and their tags in `latency.hlog`.
 * - latency:      done − intended (due) time. The headline figure; includes any stall of the
 *                 target AND any time the arrival waited behind earlier ones (coordinated omission).
 * - serviceTime:  done − the time the request went on the wire (after any wait for a free
 *                 connection). What a closed-loop tool would report.
 * - scheduleLag:  the moment the dispatcher took the arrival (sent it, or queued it for a free
 *                 connection) − intended time. The generator's own lateness.
 */
export const SERIES = ['latency', 'serviceTime', 'scheduleLag'] as const;
export type SeriesName = (typeof SERIES)[number];

export const SERIES_TAG: Record<SeriesName, string> = {
  latency: 'latency',
  serviceTime: 'service',
  scheduleLag: 'lag',
};

export const TAG_SERIES: Record<string, SeriesName> = {
  latency: 'latency',
  service: 'serviceTime',
  lag: 'scheduleLag',
};
