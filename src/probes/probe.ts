import type { ProbeReadings } from '../metrics/probe-readings.js';

/**
 * An observer of the pipeline that runs beside the load and, after it, for the drain. It polls
 * on its own (bounded: every poll has a timeout, and `stop()` ends it) and keeps its latest
 * readings; the run service takes them at every interval close and publishes them as events.
 * A probe never throws for a failed poll: it counts the failure and tries again.
 */
export interface Probe {
  /** For logs: what it reads, e.g. "sandbox /output". */
  readonly name: string;
  /** Starts polling; rejects (a UserError) only when the probe cannot work at all. */
  start(): Promise<void>;
  /** The latest readings, synchronously. */
  readings(): ProbeReadings;
  /** Whether it waits for nothing more (e.g. every accepted message was seen): the drain may end. */
  settled(): boolean;
  /** Stops polling after one last read; resolves when its last poll has ended. */
  stop(): Promise<void>;
}
