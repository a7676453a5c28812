import type { SendSink, Target } from '../../src/targets/target.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import type { FakeClock } from './fake-clock.js';

/**
 * A target for engine unit tests, timed by a FakeClock. `respond(tMs)` decides, from the time
 * the request is written, when it completes and with which outcome.
 */
export class FakeTarget implements Target {
  readonly description = 'fake';
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
