import type { LatencyRecorder } from '../metrics/recorder.js';
import type { SendSink, Target } from '../targets/target.js';
import { CONNECTION_FAILURES, OK, PAYLOAD_ERROR, TIMEOUT } from '../targets/outcome.js';
import type { OutMessage } from '../telemetry/types.js';
import type { Clock } from '../util/clock.js';
import type { WarmupResult } from './events.js';
import { SLOT_WARMUP, type InFlightSlots } from './slots.js';
import type { TraceIds } from './trace-context.js';

/** Synthetic iterations of the payload generator and recorder, to get them JIT-compiled. */
const HOT_PATH_ITERATIONS = 10_000;
/** With no answer at all by then, the warm-up stops waiting: the run itself measures the hang (ms). */
export const WARMUP_NO_ANSWER_MS = 1500;
/** The warm-up never takes longer than this, however slowly the target answers (ms). */
export const WARMUP_MAX_MS = 10_000;

export interface WarmupOptions {
  source: { next(n: number, sentAtMs: number): OutMessage };
  target: Target;
  slots: InFlightSlots;
  recorder: LatencyRecorder;
  clock: Clock;
  /** Real requests to send, closed loop. 0 = only the synthetic hot-path warm-up. */
  requests: number;
  concurrency: number;
  /** Give up waiting for warm-up requests after this many ms (capped at WARMUP_MAX_MS). */
  timeoutMs: number;
  trace: TraceIds;
  /** The engine's completion callback: it releases the slot and, for warm-up slots, calls the handler registered with `onDone`. */
  engineDone: SendSink;
  /** Registers the completion handler the engine calls for slots marked as warm-up. */
  onDone: (handler: (outcome: string, responded: boolean) => void) => void;
  signal?: AbortSignal;
}

export function emptyWarmup(): WarmupResult {
  return { requests: 0, ok: 0, failed: 0, answered: 0, unanswered: 0, errors: {}, durationMs: 0, gaveUp: false };
}

/**
 * Warms the hot path up before the clock starts, so the generator's own start-up (JIT, opening
 * connections) never shows as the target's latency: runs the payload generator and the recorder,
 * then sends `requests` real requests over `concurrency` parallel loops. It stops waiting after
 * WARMUP_NO_ANSWER_MS when the target has not answered any of them, and after its bound in any
 * case; requests still out then are left to finish (`unanswered`). The recorder is left dirty;
 * the caller resets it. Results are reported apart from the headline figures.
 */
export async function runWarmup(o: WarmupOptions): Promise<WarmupResult> {
  const started = o.clock.now();
  for (let i = 0; i < HOT_PATH_ITERATIONS; i++) {
    let bytes = 0;
    try {
      bytes = o.source.next(i, o.clock.epochMs()).body.length;
    } catch {
      // a payload module that fails for some messages: the run counts them, the warm-up skips them
    }
    o.recorder.record(bytes / 1000, 0.5, 0.01);
  }
  o.recorder.exerciseClosePath();
  const total = Math.max(0, o.requests);
  const result = emptyWarmup();
  if (total === 0 || o.signal?.aborted) return finish(result, o, started);
  let sent = 0;
  let done = 0;
  await new Promise<void>((resolve) => {
    let settled = false;
    const timers: unknown[] = [];
    const settle = (gaveUp: boolean) => {
      if (settled) return;
      settled = true;
      result.gaveUp = gaveUp;
      for (const t of timers) o.clock.clearTimer(t);
      o.signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const onAbort = () => settle(false);
    const sendOne = () => {
      const slot = o.slots.acquire();
      if (slot < 0) return;
      o.slots.kind[slot] = SLOT_WARMUP;
      const n = HOT_PATH_ITERATIONS + sent++;
      let msg: OutMessage;
      try {
        msg = o.source.next(n, o.clock.epochMs());
      } catch {
        process.nextTick(() => o.engineDone.done(slot, PAYLOAD_ERROR, false)); // never sent; async like a target's answer
        return;
      }
      o.target.send(msg, slot, o.trace.traceparent(n), o.engineDone);
    };
    o.onDone((outcome, responded) => {
      if (settled) return;
      done++;
      if (responded && outcome !== TIMEOUT) result.answered++;
      if (outcome === OK) result.ok++;
      else {
        result.failed++;
        result.errors[outcome] = (result.errors[outcome] ?? 0) + 1;
      }
      if (sent < total) sendOne();
      else if (done === sent) settle(false);
    });
    timers.push(o.clock.setTimer(() => result.answered === 0 && done < sent && settle(true), WARMUP_NO_ANSWER_MS));
    timers.push(o.clock.setTimer(() => settle(true), Math.min(o.timeoutMs, WARMUP_MAX_MS)));
    o.signal?.addEventListener('abort', onAbort);
    for (let i = 0; i < Math.min(total, Math.max(1, o.concurrency)); i++) sendOne();
  });
  result.requests = sent;
  result.unanswered = sent - done;
  return finish(result, o, started);
}

function finish(result: WarmupResult, o: WarmupOptions, started: number): WarmupResult {
  result.durationMs = Math.round((o.clock.now() - started) * 1000) / 1000;
  return result;
}

/**
 * The class of failure when the warm-up proves the target unreachable — every warm-up request
 * failed at the connection (refused, reset, dns, tls) and none is still out — else undefined.
 * With several classes, the most frequent.
 */
export function unreachableClass(w: WarmupResult): string | undefined {
  if (w.requests === 0 || w.ok > 0 || w.answered > 0 || w.unanswered > 0 || w.failed !== w.requests) return undefined;
  const classes = Object.entries(w.errors);
  if (classes.some(([cls]) => !CONNECTION_FAILURES.has(cls))) return undefined;
  return classes.sort((a, b) => b[1] - a[1])[0]?.[0];
}
