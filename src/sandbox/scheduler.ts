/**
 * One timer for the whole model. Every delayed step (an init finishing, a function's work
 * ending, a query returning, a visibility timeout running out) is an entry in a binary min-heap
 * keyed by its due time; a single Node timer is armed for the earliest entry. At 20,000
 * requests/s this costs a heap push/pop per step instead of a Node timer per step.
 *
 * Contract:
 * - `at(t, task)` runs `task` once, at or after monotonic time `t` (ms), never synchronously
 *   inside `at`. Entries with the same due time run in the order they were added.
 * - `atWith(t, fn, arg)` runs `fn(arg)`: with a long-lived `fn`, the hot path allocates no closure.
 * - Resolution is about 1 ms (Node timers); a task may run up to `SLACK_MS` early.
 * - A task scheduled while tasks are running runs in a later tick, even if it is already due,
 *   so a task that reschedules itself cannot starve I/O.
 * - A task that throws is reported on stderr; the others still run.
 * - After `close()` nothing runs again.
 */

export type Task = () => void;

interface Entry {
  at: number;
  order: number;
  task: (arg: unknown) => void;
  arg: unknown;
}

/** Entries due this close to now run in the current tick rather than re-arming a 0 ms timer. */
export const SLACK_MS = 0.5;

export class Scheduler {
  private readonly heap: Entry[] = [];
  private order = 0;
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;
  private closed = false;

  constructor(private readonly now: () => number) {}

  /** Number of tasks waiting. */
  get pending(): number {
    return this.heap.length;
  }

  at(atMs: number, task: Task): void {
    this.atWith(atMs, task, undefined);
  }

  after(delayMs: number, task: Task): void {
    this.atWith(this.now() + delayMs, task, undefined);
  }

  atWith<T>(atMs: number, fn: (arg: T) => void, arg: T): void {
    if (this.closed) return;
    this.push({ at: atMs, order: this.order++, task: fn as (arg: unknown) => void, arg });
    if (atMs < this.armedAt) this.arm(atMs);
  }

  afterWith<T>(delayMs: number, fn: (arg: T) => void, arg: T): void {
    this.atWith(this.now() + delayMs, fn, arg);
  }

  /** Runs every task due at `now` that was added before this call. Public for tests with a fake clock. */
  runDue(now: number): void {
    const cutoff = this.order;
    const heap = this.heap;
    while (heap.length > 0 && heap[0].at <= now + SLACK_MS && heap[0].order < cutoff) {
      const entry = this.pop();
      try {
        entry.task(entry.arg);
      } catch (err) {
        process.stderr.write(`sandbox: scheduled task failed: ${(err as Error).stack ?? String(err)}\n`);
      }
    }
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.heap.length = 0;
  }

  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.armedAt = Infinity;
    this.runDue(this.now());
    if (!this.closed && this.heap.length > 0) this.arm(this.heap[0].at);
  };

  private arm(atMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedAt = atMs;
    this.timer = setTimeout(this.onTimer, Math.max(0, atMs - this.now()));
    this.timer.unref();
  }

  private push(entry: Entry): void {
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(entry, heap[parent])) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = entry;
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop() as Entry;
    if (heap.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && before(heap[r], heap[l]) ? r : l;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
