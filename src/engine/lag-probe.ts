import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Event-loop delay of the generator: how late timers fire. Max per interval, ms. */
export interface LagProbe {
  start(): void;
  /** Worst delay since the last call, ms; resets. */
  takeMaxMs(): number;
  stop(): void;
}

export function createEventLoopLagProbe(resolutionMs = 10): LagProbe {
  let h: IntervalHistogram | undefined;
  return {
    start() {
      h = monitorEventLoopDelay({ resolution: resolutionMs });
      h.enable();
    },
    takeMaxMs() {
      if (!h || h.count === 0) return 0;
      // The histogram measures the whole timer period; subtract the resolution to get the delay.
      const max = Math.max(0, h.max / 1e6 - resolutionMs);
      h.reset();
      return Math.round(max * 1000) / 1000;
    },
    stop() {
      h?.disable();
    },
  };
}
