import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { FaultEffect } from '../metrics/fault-types.js';
import type { FaultConfig } from '../scenario/faults-schema.js';
import type { RetryOn, RetryStormSettings } from '../scenario/fault-schemas/send-schemas.js';
import { OK } from '../targets/outcome.js';
import type { FaultRunContext, RunFault } from './message-fault.js';
import { RateWindow } from './rate-window.js';
import { faultSalt } from './selection.js';
import { Examples, jobPicker, round1, stageFault, Tally, type JobPicker } from './send-fault-parts.js';
import type { RetryOwner, SendJob } from './send-job.js';
import { RANK, type SendPath, type SendStage } from './send-path.js';

export type RetryStormConfig = Extract<FaultConfig, { kind: 'retry-storm' }>;

/**
 * Outcome classes per `on` entry. Throttled: HTTP 429 and the throttling names of the batching
 * targets (Kinesis ProvisionedThroughputExceeded — see kinesis-target.ts —, SQS and AWS-wide
 * throttling codes, as aws/client-config.ts classes them). 5xx: the HTTP class and the AWS
 * service-side failures.
 */
export const RETRY_CLASSES: Record<RetryOn, readonly string[]> = {
  throttled: ['429', 'ProvisionedThroughputExceeded', 'ThrottlingException', 'Throttling', 'KMSThrottlingException', 'RequestThrottled', 'LimitExceededException'],
  '5xx': ['5xx', 'InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException'],
  timeout: ['timeout'],
  refused: ['refused'],
  reset: ['reset'],
};

export function retryableClasses(on: readonly RetryOn[]): ReadonlySet<string> {
  return new Set(on.flatMap((o) => RETRY_CLASSES[o]));
}

/**
 * Wait before retry k (1-based: the first retry is k = 1), ms. `none`: 0 (at once, a storm);
 * `exponential`: min(cap, base × 2^(k-1)); with jitter a uniform draw in [0, that] ("full jitter").
 */
export function backoffMs(s: Pick<RetryStormSettings, 'backoff' | 'baseMs' | 'capMs' | 'jitter'>, k: number, draw: (max: number) => number): number {
  if (s.backoff === 'none') return 0;
  const d = Math.floor(Math.min(s.capMs, s.baseMs * 2 ** (k - 1)));
  return s.jitter ? draw(d) : d;
}

/** How a message's attempts ended: ok, its last failure not retryable, no attempt left, or retries stopped. */
type EndReason = 'ok' | 'exhausted' | 'not-retryable' | 'cut-off';

/** What the retries did, message by message (each counted once, when it ends). */
export class RetryBook {
  firstSends = 0;
  retries = 0;
  /** Messages by the attempts they took in all ("1": no retry). */
  readonly byAttempts = new Tally();
  okFirstTry = 0;
  /** Ended ok after one failed attempt or more: the failures a success hid. */
  okAfterRetries = 0;
  hiddenFailures = 0;
  readonly hiddenBy = new Tally();
  /** Failed on every attempt (the last failure retryable, no attempt left). */
  exhausted = 0;
  /** Ended with a class not retried (a 400, …). */
  notRetryable = 0;
  /** Ended with a retryable class after the retries stopped (the fault's stop, the run's abort). */
  cutOff = 0;
  /** Retries by the outcome that caused them. */
  readonly retriedOn = new Tally();
  /** Retries sent before their backoff ended (the engine's flush at the end). */
  cutShort = 0;
  /** Messages retried at least once. */
  retriedMessages = 0;

  /** A message ended after `attempts` sends; `failures`: the classes of its failed attempts before the last. */
  ended(attempts: number, failures: Tally | undefined, why: EndReason): void {
    this.byAttempts.add(String(attempts));
    if (why === 'ok') {
      if (attempts === 1) this.okFirstTry++;
      else {
        this.okAfterRetries++;
        this.hiddenFailures += attempts - 1;
        if (failures) for (const [k, v] of Object.entries(failures.toJSON())) this.hiddenBy.add(k, v);
      }
    } else if (why === 'exhausted') this.exhausted++;
    else if (why === 'not-retryable') this.notRetryable++;
    else this.cutOff++;
  }
}

/** A retry waiting for its backoff: `timer` undefined once due (or when sent at once). */
interface Waiting {
  timer: unknown;
  job: SendJob;
  outcome: string;
  responded: boolean;
}

/**
 * The `retry-storm` fault: client retries of failed sends. While active, each picked message
 * going out for the first time is owned by it; an attempt that ends with a class in `on` and
 * attempts left is NOT reported to the engine: the message is sent again after the backoff (on
 * the run's clock; jitter from a PRNG seeded by the run's seed and the fault's name), so the
 * engine's latency from the intended time covers every attempt. The outcome of the last attempt
 * is the message's.
 * - stop: no new retries from then on (an attempt ending later is reported as it is); retries
 *   already waiting for their backoff are sent at their time, and end there.
 * - the engine's flush (schedule end, a stop): retries still waiting go now (counted `cutShort`).
 * - the run's abort: retries waiting end with their last outcome, unsent; none after.
 * Effect: `messages` = messages retried at least once; details in `effectDetails`.
 */
export function retryStormFault(cfg: RetryStormConfig, ctx: FaultRunContext, path: SendPath): RunFault {
  const storm = new RetryStorm(cfg, ctx, path);
  return stageFault(cfg, path, storm.stage, {
    onStart: () => storm.start(),
    onStop: () => storm.stop(),
    effect: () => storm.effect(),
  });
}

/** One retry-storm fault's state: its stage on the send path, the retries waiting, and its book. */
class RetryStorm {
  readonly stage: SendStage;
  private readonly s: RetryStormSettings;
  private readonly picks: JobPicker;
  private readonly retryable: ReadonlySet<string>;
  private readonly draw: (max: number) => number;
  private readonly book = new RetryBook();
  private readonly original: RateWindow;
  private readonly offered: RateWindow;
  private readonly examples = new Examples();
  private readonly failuresOf = new WeakMap<SendJob, Tally>();
  private readonly waiting = new Set<Waiting>();
  private readonly owner: RetryOwner = { ended: (job, outcome, responded) => this.ended(job, outcome, responded) };
  private active = false;

  constructor(cfg: RetryStormConfig, private readonly ctx: FaultRunContext, private readonly path: SendPath) {
    this.s = cfg.retry;
    const salt = faultSalt(ctx.seed, cfg.name);
    this.picks = jobPicker(cfg.select, salt, ctx);
    this.retryable = retryableClasses(this.s.on);
    const rng = xoroshiro128plus(salt | 0);
    this.draw = (max) => uniformInt(rng, 0, Math.max(0, max));
    this.original = new RateWindow(ctx.clock);
    this.offered = new RateWindow(ctx.clock);
    this.stage = {
      order: path.orderFor(RANK.retry),
      sending: (job) => this.sending(job),
      flush: () => this.flush(),
      abort: () => this.abort(),
    };
  }

  /** The fault's start: retries allowed, the rate windows counting. */
  start(): void {
    this.active = true;
    this.original.start();
    this.offered.start();
  }

  /** The fault's stop: no new retries (those waiting still go at their time). */
  stop(): void {
    this.active = false;
    this.original.stop();
    this.offered.stop();
  }

  /** `messages` = messages retried at least once; details as `effectDetails`. */
  effect(): Omit<FaultEffect, 'name' | 'kind'> {
    return { messages: this.book.retriedMessages, examples: [...this.examples.ids], details: effectDetails(this.s, this.book, this.original, this.offered, this.waiting.size) };
  }

  /** A first send of a picked message: the storm owns its retries. */
  private sending(job: SendJob): void {
    if (job.retry !== undefined || !this.picks(job)) return;
    job.retry = this.owner;
    this.book.firstSends++;
    this.original.add();
    this.offered.add();
  }

  /** An owned attempt ended; true: it is retried (the engine is not told). */
  private ended(job: SendJob, outcome: string, responded: boolean): boolean {
    const why: EndReason | null = outcome === OK ? 'ok'
      : !this.retryable.has(outcome) ? 'not-retryable'
      : job.attempts >= this.s.attempts ? 'exhausted'
      : !this.active || this.path.aborted ? 'cut-off'
      : null;
    if (why !== null) {
      this.finish(job, why);
      return false;
    }
    this.retryLater(job, outcome, responded);
    return true;
  }

  private retryLater(job: SendJob, outcome: string, responded: boolean): void {
    const failures = this.failuresOf.get(job) ?? new Tally();
    this.failuresOf.set(job, failures);
    failures.add(outcome);
    if (job.attempts === 1) {
      this.book.retriedMessages++;
      this.examples.add(job.msg.messageId);
    }
    this.book.retriedOn.add(outcome);
    const w: Waiting = { timer: undefined, job, outcome, responded };
    const wait = backoffMs(this.s, job.attempts, this.draw);
    this.waiting.add(w);
    if (wait === 0) this.sendAgain(w);
    else w.timer = this.ctx.clock.setTimer(() => this.sendAgain(w), wait);
  }

  private sendAgain(w: Waiting): void {
    this.waiting.delete(w);
    this.book.retries++;
    this.offered.add();
    this.path.resend(w.job);
  }

  private finish(job: SendJob, why: EndReason): void {
    this.book.ended(job.attempts, this.failuresOf.get(job), why);
    this.failuresOf.delete(job);
  }

  /** The engine's flush: retries still waiting for their backoff go now. */
  private flush(): void {
    for (const w of [...this.waiting]) {
      if (w.timer === undefined) continue;
      this.ctx.clock.clearTimer(w.timer);
      this.book.cutShort++;
      this.sendAgain(w);
    }
  }

  /** The run's abort: retries waiting end with their last outcome, unsent. */
  private abort(): void {
    for (const w of [...this.waiting]) {
      if (w.timer !== undefined) this.ctx.clock.clearTimer(w.timer);
      this.waiting.delete(w);
      this.finish(w.job, 'cut-off');
      this.path.endNow(w.job, w.outcome, w.responded, (fn) => this.ctx.clock.defer(fn));
    }
  }
}

/**
 * The figures of summary.json's retry-storm entry: settings; first sends and retries; attempts
 * per message (mean, and messages by attempts); how messages ended — ok at once, ok after
 * retries (and the failures that hid, by class), exhausted, not retryable, cut off; and the
 * offered against the original send rate (per second, mean and peak over the active window).
 */
export function effectDetails(s: RetryStormSettings, b: RetryBook, original: RateWindow, offered: RateWindow, stillWaiting: number): Record<string, unknown> {
  const o = original.perSecond();
  const f = offered.perSecond();
  const sends = b.firstSends + b.retries;
  return {
    attempts: s.attempts, backoff: s.backoff, baseMs: s.baseMs, capMs: s.capMs, jitter: s.jitter, on: s.on,
    firstSends: b.firstSends,
    retriedMessages: b.retriedMessages,
    retries: b.retries,
    attemptsPerMessage: b.firstSends > 0 ? Math.round((sends / b.firstSends) * 1000) / 1000 : 0,
    byAttempts: b.byAttempts.toJSON(),
    retriedOn: b.retriedOn.toJSON(),
    okFirstTry: b.okFirstTry,
    okAfterRetries: b.okAfterRetries,
    hiddenFailures: b.hiddenFailures,
    hiddenBy: b.hiddenBy.toJSON(),
    exhausted: b.exhausted,
    notRetryable: b.notRetryable,
    cutOff: b.cutOff,
    cutShort: b.cutShort,
    stillWaiting,
    rate: {
      activeMs: Math.round(original.activeForMs),
      originalPerSec: { mean: round1(o.mean), peak: o.peak },
      offeredPerSec: { mean: round1(f.mean), peak: f.peak },
      amplification: o.mean > 0 ? Math.round((f.mean / o.mean) * 100) / 100 : null,
    },
    finding: b.okAfterRetries > 0
      ? `success after retries hid ${b.hiddenFailures.toLocaleString('en-US')} failure(s): ${b.okAfterRetries.toLocaleString('en-US')} message(s) ended ok only after retrying`
      : 'no success needed a retry',
  };
}
