import type { SendSink, Target, TargetContext } from '../../src/targets/target.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import type { FakeClock } from './fake-clock.js';

/**
 * A target for engine unit tests, timed by a FakeClock. `respond(tMs)` decides, from the time
 * the request is written, when it completes and with which outcome.
 */
export class FakeTarget implements Target {
  readonly description = 'fake';
  readonly endpoint = 'fake:0';
  capacity = Infinity;
  sent: OutMessage[] = [];
  keepMessages = false;
  inFlight = 0;
  maxInFlight = 0;

  constructor(
    private readonly clock: FakeClock,
    private readonly respond: (writtenAtMs: number) => { atMs: number; outcome: string; responded?: boolean },
  ) {}

  async open(): Promise<void> {}

  flush(): void {}

  send(msg: OutMessage, slot: number, _traceparent: string, sink: SendSink): void {
    if (this.keepMessages) this.sent.push(msg);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    sink.written(slot);
    const r = this.respond(this.clock.now());
    this.clock.setTimer(() => {
      this.inFlight--;
      sink.done(slot, r.outcome, r.responded ?? true);
    }, Math.max(0, r.atMs - this.clock.now()));
  }

  async close(): Promise<void> {}
}

/**
 * A target with `connections` connections and no pipelining: requests beyond them wait in a
 * client-side queue (like undici's pool) and go on the wire only when a connection frees up.
 */
export class FakePoolTarget implements Target {
  readonly description = 'fake pool';
  readonly endpoint = 'fake:0';
  /** Infinity here on purpose: this target queues on its own, like a client pool would. */
  readonly capacity = Infinity;
  private busy = 0;
  private readonly queue: { slot: number; sink: SendSink }[] = [];

  constructor(private readonly clock: FakeClock, private readonly connections: number, private readonly serviceMs: number) {}

  async open(): Promise<void> {}

  flush(): void {}

  send(_msg: OutMessage, slot: number, _traceparent: string, sink: SendSink): void {
    this.queue.push({ slot, sink });
    this.pump();
  }

  private pump(): void {
    while (this.busy < this.connections && this.queue.length > 0) {
      const { slot, sink } = this.queue.shift()!;
      this.busy++;
      sink.written(slot);
      this.clock.setTimer(() => {
        this.busy--;
        sink.done(slot, '2xx', true);
        this.pump();
      }, this.serviceMs);
    }
  }

  async close(): Promise<void> {}
}

/**
 * A batching target for engine tests, timed by a FakeClock through its TargetContext: messages
 * gather into a batch of up to `maxBatch`, sent when full or `lingerMs` after its first message,
 * at most `concurrency` batch calls in flight, each taking `serviceMs`. Reports every message
 * (written when its batch goes out, done when the call ends) and each call's request facts.
 */
export class FakeBatchTarget implements Target {
  readonly description = 'fake batch';
  readonly endpoint = 'fake:0';
  readonly capacity: number;
  /** Messages held at once (filling + in flight), for checks against capacity. */
  held = 0;
  maxHeld = 0;
  batchSizes: number[] = [];
  private ctx!: TargetContext;
  private filling: { slot: number; sink: SendSink; bytes: number }[] = [];
  private ready: (typeof this.filling)[] = [];
  private inFlight = 0;
  private linger: unknown;

  constructor(private readonly o: { maxBatch: number; lingerMs: number; concurrency: number; serviceMs: number; outcome?: string }) {
    this.capacity = o.maxBatch * o.concurrency;
  }

  async open(ctx: TargetContext): Promise<void> {
    this.ctx = ctx;
  }

  send(msg: OutMessage, slot: number, _traceparent: string, sink: SendSink): void {
    this.held++;
    this.maxHeld = Math.max(this.maxHeld, this.held);
    this.filling.push({ slot, sink, bytes: msg.body.length });
    if (this.filling.length === 1) this.linger = this.ctx.clock.setTimer(() => this.flush(), this.o.lingerMs);
    if (this.filling.length >= this.o.maxBatch) this.flush();
  }

  flush(): void {
    if (this.filling.length === 0) return;
    if (this.linger !== undefined) this.ctx.clock.clearTimer(this.linger);
    this.linger = undefined;
    this.ready.push(this.filling);
    this.filling = [];
    this.pump();
  }

  private pump(): void {
    while (this.inFlight < this.o.concurrency && this.ready.length > 0) {
      const batch = this.ready.shift()!;
      this.inFlight++;
      this.batchSizes.push(batch.length);
      for (const m of batch) m.sink.written(m.slot);
      this.ctx.clock.setTimer(() => {
        this.inFlight--;
        const outcome = this.o.outcome ?? '2xx';
        batch[0].sink.request?.(batch.length, batch.reduce((a, m) => a + m.bytes, 0), outcome, 0);
        for (const m of batch) {
          this.held--;
          m.sink.done(m.slot, outcome, true);
        }
        this.pump();
      }, this.o.serviceMs);
    }
  }

  async close(): Promise<void> {}
}
