import type { EngineEvent, RunEvent } from '../engine/events.js';
import { percentilesMs, type Histogram } from '../metrics/histogram.js';
import type { ProbeReadings } from '../metrics/probe-readings.js';
import type { DeliveryTracker } from '../probes/delivery-tracker.js';
import type { Probe } from '../probes/probe.js';

/** How often the drain checks whether every probe is settled, ms. */
const SETTLE_CHECK_MS = 100;

export interface ProbeStreamOptions {
  /** Longest drain after the load, ms (it ends earlier once every probe is settled). */
  drainMs: number;
  /** A `drain` event is published this often while draining, ms (the run's interval). */
  intervalMs: number;
  /** The matcher's window (seqs per vehicle), for the delivery event. */
  window: number;
}

/**
 * The engine's producer on the run's bus: publishes every engine event,
 * with the probes' readings attached to each interval; when the engine ends, keeps the probes
 * reading for the drain — publishing `drain` events, then the matcher's `delivery` totals — and
 * only then forwards `end` (which closes the journal). Without probes it is a plain relay.
 */
export class ProbeStream {
  private ending: Promise<void> = Promise.resolve();
  private stopDrain: (() => void) | undefined;
  private stopped = false;

  constructor(private readonly probes: Probe[], private readonly tracker: DeliveryTracker | undefined, private readonly publish: (e: RunEvent) => void, private readonly o: ProbeStreamOptions) {}

  /** Starts every probe (before the engine's clock). */
  async start(): Promise<void> {
    await Promise.all(this.probes.map((p) => p.start()));
  }

  /** The engine's listener. */
  readonly listener = (e: EngineEvent): void => {
    if (e.type === 'start') this.tracker?.started(e.startEpochMs);
    if (e.type === 'interval' && this.probes.length > 0) {
      const tracker = this.tracker;
      if (!tracker) return this.forward({ ...e, probes: this.readings() });
      return tracker.withInterval((e2e) => this.forward({ ...e, probes: this.readings(e2e), e2e }));
    }
    if (e.type === 'end' && this.probes.length > 0) {
      this.ending = this.drainThenEnd(e);
      return;
    }
    this.forward(e);
  };

  /** Resolves once `end` has been forwarded. */
  done(): Promise<void> {
    return this.ending;
  }

  /** Stops every probe (idempotent): after a failure before the clock, nothing may keep polling. */
  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.probes.map((p) => p.stop()));
  }

  /** A stop (Ctrl-C): the drain ends now; what was not seen yet is counted as lost. */
  stop(): void {
    this.stopped = true;
    this.stopDrain?.();
  }

  /** One `drain` event for [startMs, tMs) of the run's clock, with the end-to-end latencies seen in it. */
  private drainTick(startMs: number, tMs: number): void {
    const at = new Date().toISOString();
    if (!this.tracker) return this.forward({ type: 'drain', at, tMs, startMs, probes: this.readings() });
    this.tracker.withInterval((e2e) => this.forward({ type: 'drain', at, tMs, startMs, probes: this.readings(e2e), e2e }));
  }

  private forward(e: RunEvent): void {
    this.publish(e);
  }

  /** Every probe's readings; with the interval's end-to-end histogram, its p99 joins the delivery figures. */
  private readings(e2e?: Histogram): ProbeReadings {
    const r = Object.assign({}, ...this.probes.map((p) => p.readings())) as ProbeReadings;
    if (r.delivery && e2e) r.delivery = { ...r.delivery, e2eP99Ms: percentilesMs(e2e).p99 };
    return r;
  }

  private async drainThenEnd(end: Extract<EngineEvent, { type: 'end' }>): Promise<void> {
    const started = Date.now();
    let nextTick = started + this.o.intervalMs;
    let lastTick = started;
    while (!this.stopped && Date.now() - started < this.o.drainMs && !this.probes.every((p) => p.settled())) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, SETTLE_CHECK_MS);
        this.stopDrain = () => {
          clearTimeout(t);
          resolve();
        };
      });
      if (Date.now() >= nextTick) {
        nextTick += this.o.intervalMs;
        this.drainTick(end.tMs + (lastTick - started), end.tMs + (Date.now() - started));
        lastTick = Date.now();
      }
    }
    await Promise.all(this.probes.map((p) => p.stop()));
    this.drainTick(end.tMs + (lastTick - started), end.tMs + (Date.now() - started));
    const drainMs = Date.now() - started;
    if (this.tracker) {
      const consumer = this.probes.find((p) => p.readings().delivery !== undefined)?.name ?? 'output';
      this.forward({ type: 'delivery', at: new Date().toISOString(), tMs: end.tMs + drainMs, drainMs, window: this.o.window, totals: this.tracker.finish(consumer) });
    }
    this.forward(end);
  }
}
