/**
 * Keeps the K slowest requests of an interval without allocating per request: parallel typed
 * arrays, insertion only when a latency beats the current minimum.
 */
export class SlowestTracker {
  private readonly latency: Float64Array;
  private readonly arrival: Float64Array;
  private readonly due: Float64Array;
  private readonly outcome: string[];
  private size = 0;

  constructor(readonly k: number) {
    this.latency = new Float64Array(k);
    this.arrival = new Float64Array(k);
    this.due = new Float64Array(k);
    this.outcome = new Array<string>(k).fill('');
  }

  /** Smallest latency still needed to enter the list (ms). */
  get floor(): number {
    return this.size < this.k ? -1 : this.latency[this.size - 1];
  }

  offer(latencyMs: number, n: number, dueMs: number, outcome: string): void {
    if (latencyMs <= this.floor) return;
    let i = this.size < this.k ? this.size++ : this.k - 1;
    while (i > 0 && this.latency[i - 1] < latencyMs) {
      this.latency[i] = this.latency[i - 1];
      this.arrival[i] = this.arrival[i - 1];
      this.due[i] = this.due[i - 1];
      this.outcome[i] = this.outcome[i - 1];
      i--;
    }
    this.latency[i] = latencyMs;
    this.arrival[i] = n;
    this.due[i] = dueMs;
    this.outcome[i] = outcome;
  }

  /** Entries, slowest first; `traceIdOf` maps an arrival number to its trace id. */
  drain<T>(map: (latencyMs: number, n: number, dueMs: number, outcome: string) => T): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.size; i++) out.push(map(this.latency[i], this.arrival[i], this.due[i], this.outcome[i]));
    this.size = 0;
    return out;
  }
}
