import type { ProbeReadings } from '../metrics/probe-readings.js';
import { Poller } from './poller.js';
import { endCursor, readPages } from './sandbox-pages.js';
import type { Probe } from './probe.js';

/** How often the DLQ's entries are read, ms. */
const POLL_EVERY_MS = 1_000;
interface DlqItem {
  messageId: string | null;
  body: string;
  traceparent?: string;
}

/** Told of each DLQ entry moved during the run: the id the sandbox read from it (or null), its body (at most 2 KiB), the `traceparent` it came with (or null). */
export type DlqEntryListener = (messageId: string | null, body: string, traceparent: string | null) => void;

/**
 * Reads the entries of the sandbox's DLQ (its paged `GET /dlq`) moved after the run started, so
 * the messages a fault changed can be found there by id. Entries the sandbox's DLQ ring dropped
 * before they were read are counted in `missed`. It reports no readings of its own (the DLQ's
 * depth comes from /stats) and never holds the drain.
 */
export class SandboxDlqReader implements Probe {
  readonly name = 'sandbox /dlq';
  missed = 0;
  private cursor = 0;
  private readonly poller: Poller;

  /** `onMissed(count)`: entries the sandbox's DLQ ring dropped before they were read (they cannot be named). */
  constructor(private readonly baseUrl: string, private readonly onEntry: DlqEntryListener, private readonly onMissed: (count: number) => void = () => {}) {
    this.poller = new Poller((signal) => this.read(signal), POLL_EVERY_MS);
  }

  async start(): Promise<void> {
    this.cursor = await endCursor(this.baseUrl, '/dlq'); // after what is there: the warm-up's entries are not this run's
    this.poller.start();
  }

  readings(): ProbeReadings {
    return {};
  }

  settled(): boolean {
    return true;
  }

  stop(): Promise<void> {
    return this.poller.stop();
  }

  private async read(signal: AbortSignal): Promise<void> {
    this.cursor = await readPages<DlqItem>(this.baseUrl, '/dlq', this.cursor, signal, (page) => {
      this.missed += page.missed;
      if (page.missed > 0) this.onMissed(page.missed);
      for (const e of page.items) this.onEntry(e.messageId, e.body, e.traceparent ?? null);
    });
  }
}
