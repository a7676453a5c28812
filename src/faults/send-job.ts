import type { OutMessage } from '../telemetry/types.js';

/**
 * One message on its way through the send path while a send fault is active (allocated only
 * then): an engine message under the engine's slot (slot >= 0), or a copy the path sends on its
 * own under a slot of its own (slot < 0, never seen by the engine).
 */
export class SendJob {
  /** Order key of the last stage that let it pass (or held it); stages after it come next. */
  at = -Infinity;
  /** Sends to the inner target so far (1 after the first). */
  attempts = 0;
  /** The stage that decides, after each attempt, whether it is sent again (a retry storm). */
  retry: RetryOwner | undefined;
  /** Told the message's final outcome, before the engine is (a store-and-forward burst). */
  onEnd: JobEndListener | undefined;
  /** A copy's own end (slot < 0 only). */
  copyEnd: ((outcome: string) => void) | undefined;

  constructor(
    readonly msg: OutMessage,
    readonly slot: number,
    readonly traceparent: string,
  ) {}
}

/** Decides after each attempt: true when the job is sent again later (through SendPath.resend), false to report this outcome to the engine. */
export interface RetryOwner {
  ended(job: SendJob, outcome: string, responded: boolean): boolean;
}

export interface JobEndListener {
  ended(job: SendJob, outcome: string): void;
}

/** A FIFO of jobs on a ring that grows (amortized O(1) push and shift, no per-item allocation). */
export class JobQueue {
  private items: (SendJob | undefined)[] = new Array<SendJob | undefined>(16);
  private head = 0;
  length = 0;

  push(job: SendJob): void {
    if (this.length === this.items.length) this.grow();
    this.items[(this.head + this.length) % this.items.length] = job;
    this.length++;
  }

  shift(): SendJob {
    const job = this.items[this.head]!;
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.length--;
    return job;
  }

  private grow(): void {
    const next = new Array<SendJob | undefined>(this.items.length * 2);
    for (let i = 0; i < this.length; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
