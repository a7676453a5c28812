import type { SendSink, Target } from '../../src/targets/target.js';
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
