import type { ProbeReadings } from '../metrics/probe-readings.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import type { Probe } from './probe.js';

/**
 * What every output consumer (SQS, Kinesis, webhook) shares: its readings are the tracker's
 * running counts and lag, it is settled when every accepted message was seen, and `stop()` runs
 * its own `stopNow()` once however often it is called.
 */
export abstract class OutputConsumer implements Probe {
  abstract readonly name: string;
  private stopped: Promise<void> | undefined;

  constructor(protected readonly tracker: DeliveryTracker, protected readonly now: () => number) {}

  abstract start(): Promise<void>;

  /** Ends the consumer's reading (after a last read) and releases what it holds. */
  protected abstract stopNow(): Promise<void>;

  readings(): ProbeReadings {
    return { delivery: { ...this.tracker.counts(), lagMs: this.tracker.lagMs(this.now()) } };
  }

  settled(): boolean {
    return this.tracker.settled();
  }

  /** Safe to call twice: the second call waits for the first. */
  stop(): Promise<void> {
    this.stopped ??= this.stopNow();
    return this.stopped;
  }
}

/** The string at a dotted path (split into keys) inside a parsed value; '' when there is none. */
export function idAtPath(value: unknown, path: readonly string[]): string {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return '';
    v = (v as Record<string, unknown>)[k];
  }
  return typeof v === 'string' ? v : '';
}

/** The id at `path` in a JSON object's text; '' for text that is not a JSON object or holds none. */
export function idInJson(text: string, path: readonly string[]): string {
  if (!text.startsWith('{')) return '';
  try {
    return idAtPath(JSON.parse(text), path);
  } catch {
    return '';
  }
}
