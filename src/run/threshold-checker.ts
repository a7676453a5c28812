import type { RunEvent } from '../engine/events.js';
import { createHistogram, type Histogram } from '../metrics/histogram.js';
import { ThresholdWindows, type ThresholdEventBody, type WindowCheck } from '../metrics/threshold-windows.js';
import type { ThresholdSpec } from '../metrics/thresholds.js';
import type { RunBus } from './run-bus.js';

/**
 * The live threshold checker: one more reactor on the run's bus (as in k6). At each interval
 * close it judges every threshold over its window (src/metrics/threshold-windows.ts) and publishes
 * a `threshold` event when one breaks or holds again, right after that interval; just before
 * `end`, each windowed threshold's `final` verdict over every window.
 *
 * A guardrail (`abortOnFail`) that breaks at or after its `delay` from the start stops the run:
 * `abort` is called once, after the current event has been told to everyone (never from inside
 * the engine's interval close). Called synchronously on the engine's event loop; cheap: one copy of
 * each series per interval, merged over the longest window.
 */
export class ThresholdChecker {
  private readonly windows: ThresholdWindows;
  private aborted = false;
  /** Only the series some threshold reads are copied (memory: one copy per interval of the longest window). */
  private readonly needs: { latency: boolean; service: boolean; lag: boolean; e2e: boolean };
  private readonly empty = createHistogram();

  constructor(private readonly specs: readonly ThresholdSpec[], private readonly abort: () => void) {
    this.windows = new ThresholdWindows(specs);
    const has = (prefix: string) => specs.some((s) => s.metric.startsWith(prefix));
    this.needs = { latency: specs.some((s) => /^(p\d+|max|mean)$/.test(s.metric)), service: has('service_'), lag: has('lag_'), e2e: has('e2e_') };
  }

  /** Joins the run's bus: judges at each interval close (publishing breaches and recoveries right after it), and the windowed thresholds' final verdicts just before `end`. */
  attach(bus: RunBus): void {
    if (this.specs.length === 0) return;
    bus.react((e) => {
      if (e.type === 'interval') this.onInterval(e, bus.publish);
    });
    bus.beforeEnd((end) => this.publishFinal(end, bus.publish));
  }

  private publishFinal(e: { at: string; tMs: number }, tell: (e: RunEvent) => void): void {
    for (const [index, r] of this.windows.final().entries()) {
      if (!r) continue;
      tell({
        type: 'threshold', at: e.at, tMs: e.tMs, state: 'final', index, source: r.source, metric: r.metric, op: r.op, value: r.value,
        windowMs: r.windowMs ?? null, windowStartMs: Math.max(0, (r.windowEndMs ?? 0) - (r.windowMs ?? 0)), windowEndMs: r.windowEndMs ?? 0,
        actual: r.actual, bound: r.bound, pass: r.pass,
      });
    }
  }

  private onInterval(e: Extract<RunEvent, { type: 'interval' }>, tell: (e: RunEvent) => void): void {
    const h = e.histograms;
    const { transitions } = this.windows.transitions({
      startMs: e.snapshot.startMs, endMs: e.snapshot.endMs, counts: { ...e.snapshot.counts },
      latency: this.copy(h.latency, this.needs.latency), serviceTime: this.copy(h.serviceTime, this.needs.service),
      scheduleLag: this.copy(h.scheduleLag, this.needs.lag), waiting: this.copy(h.waiting, this.needs.latency),
      ...(e.e2e && this.needs.e2e ? { e2e: this.copy(e.e2e, true) } : {}), ...(e.probes ? { probes: e.probes } : {}),
    });
    for (const t of transitions) {
      const spec = this.specs[t.index];
      const aborts = t.state === 'breach' && spec.abortOnFail === true && !this.aborted && e.snapshot.endMs >= (spec.delayMs ?? 0);
      const body = this.body(spec, t, t.state, aborts);
      tell({ type: 'threshold', at: e.at, tMs: e.snapshot.endMs, ...body });
      if (aborts) {
        this.aborted = true;
        queueMicrotask(() => this.abort());
      }
    }
  }

  private copy(h: Histogram, needed: boolean): Histogram {
    if (!needed || h.totalCount === 0) return this.empty;
    const c = createHistogram();
    c.add(h);
    return c;
  }

  private body(spec: ThresholdSpec, c: WindowCheck, state: 'breach' | 'recovery', aborts: boolean): ThresholdEventBody {
    return {
      state, index: c.index, source: spec.source, metric: spec.metric, op: spec.op, value: spec.value, windowMs: c.windowMs,
      windowStartMs: c.windowStartMs, windowEndMs: c.windowEndMs, actual: c.actual, bound: c.bound, ...(aborts ? { aborts: true } : {}),
    };
  }
}


