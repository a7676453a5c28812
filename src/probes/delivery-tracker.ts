import { createHistogram, percentilesMs, recordMs, type Histogram } from '../metrics/histogram.js';
import type { DeliveryCounts, DeliverySink, DeliveryTotals } from '../metrics/probe-readings.js';
import type { Pacer } from '../load/pacer.js';
import { arrivalOfMessageId, messageIdPrefix } from '../telemetry/message-source.js';
import type { RoundSchedule } from '../telemetry/schedule.js';
import { DeliveryMatcher, SEEN } from './delivery-matcher.js';

/** What the tracker needs of the run: its seed and fleet schedule (ids ↔ arrivals), its pacer (intended times). */
export interface TrackerOptions {
  seed: number;
  vehicles: number;
  schedule: RoundSchedule;
  pacer: Pick<Pacer, 'dueAt' | 'count'>;
  window: number;
  /** How vehicle indices become vehicle ids (for the lost examples). */
  vehicleId(v: number): string;
  /** Seeds whose messages are not this run's but expected in the output (the warm-up's): ignored, never unexpected. */
  ignoreSeeds?: number[];
  /** Told of every sighting of one of this run's arrivals in the output (the messages faults changed are followed this way). */
  onSeen?: (n: number) => void;
}

/**
 * The end-to-end bookkeeping of one run: the engine tells it what was sent and accepted (by
 * arrival n), an output consumer what it read (by messageId and the time it was seen); it keeps
 * the matcher's counts and the end-to-end latency — seen time minus the message's intended time
 * (epoch ms) — of every first sighting. What was sent is derived from the seeded fleet (the id
 * holds n, the schedule maps n to vehicle and seq), never stored.
 */
export class DeliveryTracker implements DeliverySink {
  private readonly matcher: DeliveryMatcher;
  private readonly prefix: string;
  private readonly ignored: string[];
  private readonly e2e = createHistogram();
  /** End-to-end latencies of the first sightings since the last `takeInterval` (µs, as every histogram). */
  private readonly intervalE2e = createHistogram();
  private startEpochMs: number | undefined;
  /** Intended epoch ms of the newest message seen (for the lag). */
  private newestDueEpochMs: number | undefined;

  constructor(private readonly o: TrackerOptions) {
    this.matcher = new DeliveryMatcher({ vehicles: o.vehicles, window: o.window });
    this.prefix = messageIdPrefix(o.seed);
    this.ignored = (o.ignoreSeeds ?? []).map(messageIdPrefix);
  }

  /** The clock's start (the engine's start event): intended times are start + dueAt(n). */
  started(startEpochMs: number): void {
    this.startEpochMs = startEpochMs;
  }

  sent(n: number): void {
    this.matcher.sent(this.o.schedule.vehicleAt(n), this.o.schedule.seqAt(n));
  }

  accepted(n: number): void {
    this.matcher.accepted(this.o.schedule.vehicleAt(n), this.o.schedule.seqAt(n));
  }

  /** The consumer read `messageId` at `seenEpochMs`. */
  observe(messageId: string, seenEpochMs: number): void {
    const n = arrivalOfMessageId(messageId, this.prefix);
    if (n === undefined && this.ignored.some((p) => messageId.startsWith(p))) return;
    if (n === undefined || n >= this.o.pacer.count) {
      this.matcher.seen(-1, 0); // never sent by this run: counted as unexpected
      return;
    }
    this.o.onSeen?.(n);
    const v = this.o.schedule.vehicleAt(n);
    const seen = this.matcher.seen(v, this.o.schedule.seqAt(n));
    if ((seen & SEEN.first) === 0 || this.startEpochMs === undefined) return;
    const due = this.startEpochMs + this.o.pacer.dueAt(n);
    recordMs(this.e2e, Math.max(0, seenEpochMs - due));
    recordMs(this.intervalE2e, Math.max(0, seenEpochMs - due));
    if (this.newestDueEpochMs === undefined || due > this.newestDueEpochMs) this.newestDueEpochMs = due;
  }

  /** The interval's end-to-end histogram; `after` runs with it (synchronously), then it is reset. */
  withInterval<T>(after: (h: Histogram) => T): T {
    try {
      return after(this.intervalE2e);
    } finally {
      this.intervalE2e.reset();
    }
  }

  counts(): DeliveryCounts {
    return this.matcher.counts();
  }

  /** How far the output trails: now minus the intended time of the newest message seen (ms); null before any. */
  lagMs(nowEpochMs: number): number | null {
    return this.newestDueEpochMs === undefined ? null : Math.max(0, nowEpochMs - this.newestDueEpochMs);
  }

  /** Whether every accepted message was seen or counted lost. */
  settled(): boolean {
    return this.matcher.counts().pending === 0;
  }

  /** The drain ended: what was not seen is lost. */
  finish(consumer: string): DeliveryTotals {
    this.matcher.finish();
    return {
      consumer,
      ...this.matcher.counts(),
      e2eLatency: percentilesMs(this.e2e),
      lostExamples: this.matcher.lostExamples().map(({ vehicle, seq }) => {
        const n = this.o.schedule.arrivalOf(vehicle, seq);
        return { messageId: this.prefix + n.toString(36), vehicleId: this.o.vehicleId(vehicle), seq };
      }),
    };
  }
}
