/** A poll that failed, counted, with the last reason (probes never throw for one). */
export interface PollFailures {
  count: number;
  last?: string;
}

/** Each poll gives up after this long (ms): a hung endpoint never holds a probe. */
export const POLL_TIMEOUT_MS = 5_000;

/**
 * Runs `poll` every `everyMs` until stopped — never two at once, each bounded by POLL_TIMEOUT_MS
 * (via its signal). A rejected poll is counted in `failures`, never thrown. `stop()` waits for the
 * poll in progress, then runs one last poll, so what the pipeline emitted up to then is read.
 */
export class Poller {
  readonly failures: PollFailures = { count: 0 };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(private readonly poll: (signal: AbortSignal) => Promise<void>, private readonly everyMs: number) {}

  start(): void {
    this.schedule(0);
  }

  /** Safe to call twice: the second call waits for the first. */
  stop(): Promise<void> {
    this.stopping ??= this.stopNow();
    return this.stopping;
  }

  private async stopNow(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    await this.once();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.once().then(() => this.schedule(this.everyMs));
    }, ms);
  }

  private async once(): Promise<void> {
    try {
      await this.poll(AbortSignal.timeout(POLL_TIMEOUT_MS));
    } catch (e) {
      this.failures.count++;
      this.failures.last = (e as Error).message;
    }
  }
}
