import type { ProbeReadings, QueueDepth, ShardAge } from '../metrics/probe-readings.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import { OutputConsumer } from './output-consumer.js';
import { Poller } from './poller.js';
import { endCursor, readPages } from './sandbox-pages.js';
import type { Probe } from './probe.js';

/** How often the sandbox probes poll, ms. */
const POLL_EVERY_MS = 250;
/** How often SandboxQueueProbe reads GET /stats, ms: its readings (and cold-start counts) may be this old. */
export const STATS_POLL_MS = POLL_EVERY_MS * 4;

interface OutputItem {
  messageId: string;
  processedAt: number;
}

/**
 * The sandbox's output, read from its paged `GET /output` from the run's start: each entry's
 * messageId and processedAt (epoch ms, when the processor's write completed) go to the tracker.
 * Entries the sandbox dropped before they were read (its output ring is bounded) are counted in
 * `missed` — they would otherwise show as lost.
 */
export class SandboxOutputProbe extends OutputConsumer {
  readonly name = 'sandbox /output';
  missed = 0;
  private cursor = 0;
  private readonly poller: Poller;

  constructor(private readonly baseUrl: string, tracker: DeliveryTracker, now: () => number = Date.now) {
    super(tracker, now);
    this.poller = new Poller((signal) => this.read(signal), POLL_EVERY_MS);
  }

  async start(): Promise<void> {
    this.cursor = await endCursor(this.baseUrl, '/output'); // after what is there: the warm-up's messages are not this run's
    this.poller.start();
  }

  protected stopNow(): Promise<void> {
    return this.poller.stop();
  }

  private async read(signal: AbortSignal): Promise<void> {
    this.cursor = await readPages<OutputItem>(this.baseUrl, '/output', this.cursor, signal, (page) => {
      this.missed += page.missed;
      for (const e of page.items) this.tracker.observe(e.messageId, e.processedAt);
    });
  }

}

interface SandboxStats {
  queue: { depth: number; inFlight: number };
  dlq: { depth: number };
  door?: string;
  stream?: { shards: ShardAge[] };
  ingestFunction?: { coldStarts: number };
  processorFunction?: { coldStarts: number };
}

/**
 * The sandbox's queue and DLQ depths from `GET /stats` (as SQS's ApproximateNumberOf… would say),
 * at the kinesis door each shard's iterator age (as Lambda's IteratorAge metric would), and its
 * functions' cold-start counters (for the cold-start tax after idle gaps).
 */
export class SandboxQueueProbe implements Probe {
  readonly name = 'sandbox /stats (queue, DLQ, shards, cold starts)';
  private latest: QueueDepth[] = [];
  private shards: ShardAge[] | undefined;
  private coldStarts: ProbeReadings['coldStarts'];
  private readonly poller: Poller;

  constructor(private readonly statsUrl: string) {
    this.poller = new Poller((signal) => this.read(signal), STATS_POLL_MS);
  }

  async start(): Promise<void> {
    await this.read(AbortSignal.timeout(5_000));
    this.poller.start();
  }

  readings(): ProbeReadings {
    const r: ProbeReadings = this.shards ? { queues: this.latest, shards: this.shards } : { queues: this.latest };
    if (this.coldStarts) r.coldStarts = this.coldStarts;
    return r;
  }

  /** A queue depth never blocks the drain. */
  settled(): boolean {
    return true;
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  private async read(signal: AbortSignal): Promise<void> {
    const s = (await (await fetch(this.statsUrl, { signal })).json()) as SandboxStats;
    const dlq: QueueDepth = { name: 'sandbox-dlq', role: 'dlq', visible: s.dlq.depth, notVisible: 0, delayed: 0 };
    // At the kinesis door the stream replaces the queue: its shards' iterator ages say what the queue depth would.
    this.latest = s.door === 'kinesis' ? [dlq] : [{ name: 'sandbox-queue', role: 'queue', visible: s.queue.depth, notVisible: s.queue.inFlight, delayed: 0 }, dlq];
    this.shards = s.stream?.shards.map((x) => ({ id: x.id, iteratorAgeMs: x.iteratorAgeMs, blocked: x.blocked }));
    if (s.ingestFunction) this.coldStarts = { ingest: s.ingestFunction.coldStarts, processor: s.processorFunction?.coldStarts ?? 0 };
  }
}
