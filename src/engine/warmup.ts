import type { LatencyRecorder } from '../metrics/recorder.js';
import type { SendSink, Target } from '../targets/target.js';
import { OK } from '../targets/outcome.js';
import type { OutMessage } from '../telemetry/types.js';
import type { Clock } from './clock.js';
import type { WarmupResult } from './events.js';
import type { InFlightSlots } from './slots.js';
import type { TraceIds } from './trace-context.js';

/** Synthetic iterations of the payload generator and recorder, to get them JIT-compiled. */
const HOT_PATH_ITERATIONS = 10_000;

export interface WarmupOptions {
  source: { next(n: number, sentAtMs: number): OutMessage };
  target: Target;
  slots: InFlightSlots;
  recorder: LatencyRecorder;
  clock: Clock;
  /** Real requests to send, closed loop. 0 = only the synthetic hot-path warm-up. */
  requests: number;
  concurrency: number;
  /** Give up waiting for warm-up requests after this many ms. */
  timeoutMs: number;
  trace: TraceIds;
  /** The engine's completion callback: it releases the slot and, for warm-up slots, calls the handler registered with `onDone`. */
  engineDone: SendSink;
  /** Registers the completion handler the engine calls for slots marked as warm-up. */
  onDone: (handler: (outcome: string) => void) => void;
  signal?: AbortSignal;
}

/**
 * Warms the hot path up before the clock starts, so the generator's own start-up (JIT, opening
 * connections) never shows as the target's latency: runs the payload generator and the recorder,
 * then sends `requests` real requests over `concurrency` parallel loops. The recorder is left
 * dirty; the caller resets it. Results are reported apart from the headline figures.
 */
export async function runWarmup(o: WarmupOptions): Promise<WarmupResult> {
  const started = o.clock.now();
  for (let i = 0; i < HOT_PATH_ITERATIONS; i++) {
    const m = o.source.next(i, o.clock.epochMs());
    o.recorder.record(m.body.length / 1000, 0.5, 0.01);
  }
  o.recorder.exerciseClosePath();
  const total = Math.max(0, o.requests);
  const result: WarmupResult = { requests: 0, ok: 0, failed: 0, durationMs: 0 };
  if (total === 0 || o.signal?.aborted) return finish(result, o, started);
  await new Promise<void>((resolve) => {
    let sent = 0;
    let done = 0;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      o.clock.clearTimer(timer);
      o.signal?.removeEventListener('abort', settle);
      resolve();
    };
    const sendOne = () => {
      const slot = o.slots.acquire();
      if (slot < 0) return;
      o.slots.warmup[slot] = 1;
      const n = HOT_PATH_ITERATIONS + sent++;
      o.target.send(o.source.next(n, o.clock.epochMs()), slot, o.trace.traceparent(n), o.engineDone);
    };
    o.onDone((outcome) => {
      if (settled) return;
      done++;
      if (outcome === OK) result.ok++;
      else result.failed++;
      if (sent < total) sendOne();
      else if (done === sent) settle();
    });
    const timer = o.clock.setTimer(settle, o.timeoutMs);
    o.signal?.addEventListener('abort', settle);
    for (let i = 0; i < Math.min(total, Math.max(1, o.concurrency)); i++) sendOne();
  });
  result.requests = result.ok + result.failed;
  return finish(result, o, started);
}

function finish(result: WarmupResult, o: WarmupOptions, started: number): WarmupResult {
  result.durationMs = Math.round((o.clock.now() - started) * 1000) / 1000;
  return result;
}
