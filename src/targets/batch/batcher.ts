import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { OK } from '../outcome.js';
import type { SendSink, TargetContext } from '../target.js';

/** Limits and timing of a batching target. Sizes in bytes, times in ms. */
export interface BatchSettings {
  /** Most records in one call (PutRecords 500, SendMessageBatch 10). */
  maxRecords: number;
  /** Most bytes in one call, summed over its records. */
  maxBatchBytes: number;
  /** Most bytes of one record; a larger message ends as `record-too-large`, never sent. */
  maxRecordBytes: number;
  /** A partly filled batch is sent this long after its first record. */
  lingerMs: number;
  /** Calls in flight at once. */
  concurrency: number;
  /** Times a failed record (or a whole failed call) is sent again when its failure is retryable. */
  retries: number;
  /** Backoff before retry k (1-based): uniform in [0, min(maxBackoffMs, baseBackoffMs × 2^(k-1))] — "full jitter". */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Seeds the jitter, so a run can be repeated. */
  seed: number;
}

/** A record's fate in a call: ok, or a failure class and whether sending it again may help. */
export type RecordResult = { ok: true } | { ok: false; outcome: string; retryable: boolean };

/**
 * What one call did: a result per record (in the order sent), or one failure for the whole call
 * (`responded`: the service answered — a throttling or 5xx — rather than the connection failing).
 */
export type CallResult = { records: RecordResult[] } | { failed: { outcome: string; retryable: boolean; responded: boolean } };

/** Sends one batch; must resolve (failures are results), never reject. */
export type BatchCall<R> = (records: R[], signal: AbortSignal) => Promise<CallResult>;

interface Entry<R> {
  slot: number;
  sink: SendSink;
  bytes: number;
  record: R;
  /** Sends so far. */
  attempts: number;
  /** The failure it would end with if it is not sent again. */
  lastOutcome: string;
}

export const RECORD_TOO_LARGE = 'record-too-large';

/**
 * Messages a batching target holds at most: a full batch in each call in flight and one filling.
 * The target's `capacity`, known before it opens (the engine sizes its hand-over by it).
 */
export function batchCapacity(maxRecords: number, concurrency: number): number {
  return maxRecords * (concurrency + 1);
}

/**
 * Gathers messages into batches within count and byte limits, sends a batch when it is full,
 * when its linger timer fires on the run's clock, or on flush(); keeps at most `concurrency`
 * calls in flight; sends failed records again (only those, with backoff and jitter) while they
 * are retryable and retries are left. Reports each message once (`done`), each message on the
 * wire (`written`, again for a retry), and each call's request facts. Holds at most
 * `capacity` messages (batches filling, queued, in flight and waiting to be retried).
 */
export class Batcher<R> {
  readonly capacity: number;
  private filling: Entry<R>[] = [];
  private fillingBytes = 0;
  private readonly queue: Entry<R>[][] = [];
  private inFlight = 0;
  private linger: unknown;
  private readonly backoffs = new Set<{ timer: unknown; entries: Entry<R>[] }>();
  private readonly rng: ReturnType<typeof xoroshiro128plus>;

  constructor(private readonly s: BatchSettings, private readonly ctx: TargetContext, private readonly call: BatchCall<R>) {
    this.capacity = batchCapacity(s.maxRecords, s.concurrency);
    this.rng = xoroshiro128plus(s.seed | 0);
    ctx.signal.addEventListener('abort', () => this.abandonRetries(), { once: true });
  }

  /** Takes one message of `bytes` bytes as `record`. */
  add(slot: number, sink: SendSink, bytes: number, record: R): void {
    if (bytes > this.s.maxRecordBytes) {
      process.nextTick(() => sink.done(slot, RECORD_TOO_LARGE, false));
      return;
    }
    this.push({ slot, sink, bytes, record, attempts: 0, lastOutcome: '' });
  }

  /** Sends the partly filled batch now. */
  flush(): void {
    this.seal();
  }

  private push(e: Entry<R>): void {
    if (this.filling.length > 0 && (this.filling.length >= this.s.maxRecords || this.fillingBytes + e.bytes > this.s.maxBatchBytes)) this.seal();
    this.filling.push(e);
    this.fillingBytes += e.bytes;
    if (this.filling.length === 1) this.linger = this.ctx.clock.setTimer(() => this.seal(), this.s.lingerMs);
    if (this.filling.length >= this.s.maxRecords) this.seal();
  }

  private seal(): void {
    if (this.linger !== undefined) this.ctx.clock.clearTimer(this.linger);
    this.linger = undefined;
    if (this.filling.length === 0) return;
    this.queue.push(this.filling);
    this.filling = [];
    this.fillingBytes = 0;
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.s.concurrency && this.queue.length > 0) void this.send(this.queue.shift()!);
  }

  private async send(batch: Entry<R>[]): Promise<void> {
    this.inFlight++;
    let bytes = 0;
    let retried = 0;
    for (const e of batch) {
      if (e.attempts++ > 0) retried++;
      bytes += e.bytes;
      e.sink.written(e.slot);
    }
    let result: CallResult;
    try {
      result = await this.call(batch.map((e) => e.record), this.ctx.signal);
    } catch {
      result = { failed: { outcome: 'error', retryable: false, responded: false } };
    }
    this.inFlight--;
    const again: Entry<R>[] = [];
    if ('failed' in result) {
      const f = result.failed;
      batch[0].sink.request?.(batch.length, bytes, f.outcome, retried);
      for (const e of batch) this.settle(e, f.outcome, f.retryable, f.responded, again);
    } else {
      const failed = result.records.find((r) => !r.ok);
      batch[0].sink.request?.(batch.length, bytes, failed && !failed.ok ? failed.outcome : OK, retried);
      batch.forEach((e, i) => {
        const r = result.records[i] ?? { ok: false, outcome: 'error', retryable: false };
        if (r.ok) e.sink.done(e.slot, OK, true);
        else this.settle(e, r.outcome, r.retryable, true, again);
      });
    }
    if (again.length > 0) this.retryLater(again);
    this.pump();
  }

  /** A failed record: ends now, or is kept for another send. */
  private settle(e: Entry<R>, outcome: string, retryable: boolean, responded: boolean, again: Entry<R>[]): void {
    e.lastOutcome = outcome;
    if (retryable && e.attempts <= this.s.retries && !this.ctx.signal.aborted) again.push(e);
    else e.sink.done(e.slot, outcome, responded);
  }

  private retryLater(entries: Entry<R>[]): void {
    const attempt = Math.max(...entries.map((e) => e.attempts));
    const cap = Math.min(this.s.maxBackoffMs, this.s.baseBackoffMs * 2 ** (attempt - 1));
    const wait = uniformInt(this.rng, 0, Math.max(0, Math.floor(cap)));
    const pending = { timer: undefined as unknown, entries };
    pending.timer = this.ctx.clock.setTimer(() => {
      this.backoffs.delete(pending);
      for (const e of entries) this.push(e);
      this.seal();
    }, wait);
    this.backoffs.add(pending);
  }

  /** The run stopped: records waiting for a retry end with the failure they had. */
  private abandonRetries(): void {
    for (const p of this.backoffs) {
      this.ctx.clock.clearTimer(p.timer);
      for (const e of p.entries) e.sink.done(e.slot, e.lastOutcome, true);
    }
    this.backoffs.clear();
  }
}
