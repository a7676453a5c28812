import type { ProbeReadings } from '../metrics/probe-readings.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import type { PollFailures } from './poller.js';
import type { Probe } from './probe.js';

/**
 * What every output consumer (SQS, Kinesis, webhook) shares: its readings are the tracker's
 * running counts and lag, it is settled when every accepted message was seen, and `stop()` runs
 * its own `stopNow()` once however often it is called.
 */
export abstract class OutputConsumer implements Probe {
  abstract readonly name: string;
  /** Failed calls, counted (a consumer never throws for one), with the last reason. */
  readonly failures: PollFailures = { count: 0 };
  /** Set by `beginStop()`: loops finish their call in progress and end. */
  protected stopping = false;
  private stopped: Promise<void> | undefined;
  private wake: (() => void)[] = [];

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

  /** For stopNow(): loops see `stopping`, and every pause ends now. */
  protected beginStop(): void {
    this.stopping = true;
    for (const w of this.wake) w();
  }

  /** Counts a failed call; 0, so `.catch((e) => this.failed(e))` reads as nothing received. */
  protected failed(e: unknown): 0 {
    this.failures.count++;
    this.failures.last = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return 0;
  }

  /** Waits `ms` (nothing when ≤ 0 or stopping), or less when the stop comes. */
  protected pause(ms: number): Promise<void> {
    if (ms <= 0 || this.stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(t);
        this.wake = this.wake.filter((w) => w !== done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.wake.push(done);
    });
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
