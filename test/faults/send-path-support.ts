import type { FaultRunContext } from '../../src/faults/message-fault.js';
import { sendFault, type SendFaultConfig } from '../../src/faults/send-faults.js';
import { SendPath } from '../../src/faults/send-path.js';
import { faultsSchema } from '../../src/scenario/faults-schema.js';
import type { SendSink, Target, TargetContext } from '../../src/targets/target.js';
import type { MessageSource } from '../../src/telemetry/message-source.js';
import type { MessageBody } from '../../src/telemetry/payload.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import type { Clock } from '../../src/util/clock.js';
import type { FakeClock } from '../support/fake-clock.js';

/** Message n of `vehicles` vehicles taking turns (vehicle n % vehicles, seq n / vehicles + 1), id `m<n>`. */
export function message(n: number, vehicles = 1): OutMessage {
  const v = n % vehicles;
  const seq = Math.floor(n / vehicles) + 1;
  const fields = { messageId: `m${n}`, vehicleId: `V${v}`, seq, sentAt: 1_000 + n, kind: 'telemetry' } as unknown as MessageBody;
  return { messageId: `m${n}`, vehicleId: `V${v}`, vehicleIndex: v, seq, kind: 'telemetry', partitionKey: `V${v}`, body: JSON.stringify(fields), fields };
}

/** A fault of the scenario's `faults:` list, parsed as a scenario is (defaults filled in). */
export function faultConfig(raw: Record<string, unknown>): SendFaultConfig {
  return faultsSchema.parse([raw])[0] as SendFaultConfig;
}

export function faultContext(clock: Clock, sendPath: SendPath, fleetSize = 10): FaultRunContext {
  return { source: {} as MessageSource, seed: 3, fleetSize, maxBytes: 1 << 20, textOnly: false, idPath: null, clock, sendPath };
}

/** A send fault on `path`, started. */
export function startedFault(raw: Record<string, unknown>, clock: Clock, path: SendPath, fleetSize = 10) {
  const f = sendFault(faultConfig(raw), faultContext(clock, path, fleetSize));
  f.scheduled.apply.start();
  return f;
}

/**
 * The engine's side for tests: hands messages to a target under slots 0, 1, …, records every
 * done (and fails the test on a second done for a slot, or a done from inside send).
 */
export class EngineSide {
  readonly done = new Map<number, { outcome: string; atMs: number }>();
  readonly written: number[] = [];
  requests = 0;
  problems: string[] = [];
  private inSend = false;
  private next = 0;

  constructor(private readonly target: Target, private readonly clock: Clock) {}

  readonly sink: SendSink = {
    written: (slot) => void this.written.push(slot),
    done: (slot, outcome) => {
      if (this.inSend) this.problems.push(`done for slot ${slot} from inside send`);
      if (slot < 0) this.problems.push(`done for the path's own slot ${slot}`);
      if (this.done.has(slot)) this.problems.push(`second done for slot ${slot}`);
      this.done.set(slot, { outcome, atMs: this.clock.now() });
    },
    request: () => void this.requests++,
  };

  /** Sends message n (its slot is its number); returns the slot. */
  send(msg: OutMessage): number {
    const slot = this.next++;
    this.inSend = true;
    this.target.send(msg, slot, '00-0-0-01', this.sink);
    this.inSend = false;
    return slot;
  }

  get sent(): number {
    return this.next;
  }
}

/** What a scripted target saw of one send. */
export interface Seen {
  messageId: string;
  slot: number;
  atMs: number;
}

/**
 * A target on a FakeClock with a capacity: each send is answered `serviceMs` later with the
 * outcome `answer(msg, nth)` picks (nth: 1 for the first send of that message id, 2 for the
 * second, …). Records what it saw and the most it held at once.
 */
export class ScriptedTarget implements Target {
  readonly description = 'scripted';
  readonly endpoint = 'scripted:0';
  readonly seen: Seen[] = [];
  held = 0;
  maxHeld = 0;
  flushes = 0;
  private readonly sends = new Map<string, number>();
  private readonly inUse = new Set<number>();
  problems: string[] = [];

  constructor(
    private readonly clock: FakeClock,
    readonly capacity: number,
    private readonly serviceMs: number,
    private readonly answer: (msg: OutMessage, nth: number) => string = () => '2xx',
  ) {}

  async open(_ctx?: TargetContext): Promise<void> {}

  send(msg: OutMessage, slot: number, _traceparent: string, sink: SendSink): void {
    if (this.inUse.has(slot)) this.problems.push(`slot ${slot} sent twice at once`);
    this.inUse.add(slot);
    this.held++;
    this.maxHeld = Math.max(this.maxHeld, this.held);
    if (this.held > this.capacity) this.problems.push(`held ${this.held} > capacity ${this.capacity}`);
    const nth = (this.sends.get(msg.messageId) ?? 0) + 1;
    this.sends.set(msg.messageId, nth);
    this.seen.push({ messageId: msg.messageId, slot, atMs: this.clock.now() });
    const outcome = this.answer(msg, nth);
    this.clock.setTimer(() => sink.written(slot), 0);
    this.clock.setTimer(() => {
      this.held--;
      this.inUse.delete(slot);
      sink.done(slot, outcome, true);
    }, this.serviceMs);
  }

  flush(): void {
    this.flushes++;
  }

  async close(): Promise<void> {}

  /** Sends of `id` so far. */
  sendsOf(id: string): number {
    return this.sends.get(id) ?? 0;
  }
}

/** A send path over a scripted target, with the engine's side. */
export function rig(clock: FakeClock, capacity: number, serviceMs: number, answer?: (msg: OutMessage, nth: number) => string) {
  const inner = new ScriptedTarget(clock, capacity, serviceMs, answer);
  const path = new SendPath(inner);
  const engine = new EngineSide(path, clock);
  return { inner, path, engine };
}
