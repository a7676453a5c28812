import { createHistogram, percentilesMs, type Histogram } from './histogram.js';
import type { Counts } from './interval-snapshot.js';
import { latencyFigures, type FigureBound } from './latency-figures.js';
import type { ProbeReadings } from './probe-readings.js';
import { metricFigure, provenBroken, type ThresholdInputs, type ThresholdResult, type ThresholdSpec } from './thresholds.js';

/**
 * The live view of the thresholds (pure: no clock, no I/O). At each interval close every
 * threshold is judged over its window — a sliding one (`over 30s`: the intervals that lie inside
 * the last 30 s, at least the one just closed) or, without `over`, the run so far — from the
 * merged histograms of those intervals (percentiles are never averaged), their counts, and the
 * probes' readings. A window's latency counts the arrivals still waiting at the close at their
 * age (lower bounds), so a pipeline that hangs breaks a latency bound as soon as its requests
 * have waited longer than the bound; dropped and unanswered arrivals count as never answered.
 *
 * Only a proven breach counts (provenBroken): a lower bound below the value, or no samples,
 * breaks nothing. Memory is bounded by the longest window: one copy of each series per interval.
 */

/** One closed interval as the checker sees it (copies: the engine resets its histograms after the call). */
export interface WindowInterval {
  startMs: number;
  endMs: number;
  latency: Histogram;
  serviceTime: Histogram;
  scheduleLag: Histogram;
  /** Ages of every arrival still without an answer at the close (lower bounds of their latency). */
  waiting: Histogram;
  /** End-to-end latencies of the messages first seen in the interval (an output probe). */
  e2e?: Histogram;
  counts: Counts;
  probes?: ProbeReadings;
}

/** A threshold judged over one window at one close. */
export interface WindowCheck {
  /** Index of the threshold in the plan's list. */
  index: number;
  source: string;
  /** The window's length, ms; null: the run so far. */
  windowMs: number | null;
  windowStartMs: number;
  windowEndMs: number;
  actual: number | null;
  bound: FigureBound;
  broken: boolean;
}

/** A change of a threshold's state at a close: it broke, or it holds again. */
export interface ThresholdTransition extends WindowCheck {
  state: 'breach' | 'recovery';
}

/** What the journal records of a threshold (the `threshold` run event, less `type`, `at`, `tMs`). */
export interface ThresholdEventBody {
  /** breach / recovery at an interval close; final: a windowed threshold's verdict over every window of the run (just before `end`). */
  state: 'breach' | 'recovery' | 'final';
  index: number;
  source: string;
  metric: string;
  op: ThresholdSpec['op'];
  value: number;
  windowMs: number | null;
  windowStartMs: number;
  windowEndMs: number;
  actual: number | null;
  bound: FigureBound;
  /** final only: the threshold held in every window. */
  pass?: boolean;
  /** breach only: this breach stopped the run (a guardrail past its delay). */
  aborts?: boolean;
}

const RATE_METRICS = new Set(['ok_rate', 'error_rate', 'drop_rate', 'unfinished_rate', 'answered_rate', 'achieved_rate']);

/** One window length's intervals, and what it adds up to. */
class Window {
  private readonly pieces: WindowInterval[] = [];
  /** Probe readings at the close just before the window (delivery counters are since the run's start). */
  private before: ProbeReadings | undefined;
  private readonly merged = { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram(), e2e: createHistogram() };
  private readonly sums: Counts = zero();
  private dlqPeak: number | undefined;

  /** `lengthMs`: Infinity for the run so far (nothing is kept but the sums). */
  constructor(readonly lengthMs: number) {}

  add(iv: WindowInterval): void {
    if (this.lengthMs === Infinity) {
      this.fold(iv);
      this.last = iv;
      return;
    }
    this.pieces.push(iv);
    while (this.pieces.length > 1 && this.pieces[0].startMs < iv.endMs - this.lengthMs) this.before = this.pieces.shift()!.probes ?? this.before;
    for (const h of Object.values(this.merged)) h.reset();
    Object.assign(this.sums, zero());
    this.dlqPeak = undefined;
    for (const p of this.pieces) this.fold(p);
    this.last = iv;
  }

  private last: WindowInterval | undefined;

  get startMs(): number {
    return this.lengthMs === Infinity ? 0 : (this.pieces[0]?.startMs ?? 0);
  }

  /** The window's figures in the shape the thresholds read. */
  inputs(): ThresholdInputs & { due: number } {
    const c = this.sums;
    const due = c.due;
    const share = (n: number) => (due === 0 ? 0 : n / due);
    const last = this.last;
    const latency = latencyFigures(this.merged.latency, last?.waiting, c.dropped + c.unanswered);
    const x: ThresholdInputs & { due: number } = {
      due, latency, serviceTime: percentilesMs(this.merged.serviceTime), scheduleLag: percentilesMs(this.merged.scheduleLag),
      okRate: share(c.ok), errorRate: share(c.failed), dropRate: share(c.dropped), unfinishedRate: share(Math.max(0, due - c.ok - c.failed - c.dropped)),
      answeredRate: share(c.answered), achievedRatio: due === 0 ? 1 : c.written / due,
    };
    const d = last?.probes?.delivery;
    if (d) {
      const b = this.lengthMs === Infinity ? undefined : this.before?.delivery;
      const minus = (k: 'lost' | 'unexpected' | 'accepted' | 'seen' | 'duplicated' | 'reordered') => d[k] - (b?.[k] ?? 0);
      x.delivery = {
        lost: minus('lost'), unexpected: minus('unexpected'), accepted: minus('accepted'), seen: minus('seen'),
        duplicated: minus('duplicated'), reordered: minus('reordered'), e2eLatency: percentilesMs(this.merged.e2e),
      };
    }
    if (this.dlqPeak !== undefined) x.dlqPeakDepth = this.dlqPeak;
    return x;
  }

  private fold(iv: WindowInterval): void {
    this.merged.latency.add(iv.latency);
    this.merged.serviceTime.add(iv.serviceTime);
    this.merged.scheduleLag.add(iv.scheduleLag);
    if (iv.e2e) this.merged.e2e.add(iv.e2e);
    for (const k of Object.keys(this.sums) as (keyof Counts)[]) this.sums[k] += iv.counts[k] ?? 0;
    const dlqs = iv.probes?.queues?.filter((q) => q.role === 'dlq') ?? [];
    if (dlqs.length > 0) this.dlqPeak = Math.max(this.dlqPeak ?? 0, ...dlqs.map((q) => q.visible));
  }
}

function zero(): Counts {
  return { due: 0, sent: 0, written: 0, completed: 0, answered: 0, unanswered: 0, ok: 0, failed: 0, dropped: 0 };
}

/** The worst window so far of a windowed threshold. */
interface Worst {
  check: WindowCheck;
  broken: boolean;
}

/**
 * Judges every threshold at each interval close; reports the changes (breach, recovery) and, for
 * the windowed ones, the worst window of the run (`final`).
 */
export class ThresholdWindows {
  private readonly windows = new Map<number, Window>();
  private readonly broken: boolean[];
  private readonly worst: (Worst | undefined)[];

  constructor(private readonly specs: readonly ThresholdSpec[]) {
    for (const s of specs) {
      const len = s.windowMs ?? Infinity;
      if (!this.windows.has(len)) this.windows.set(len, new Window(len));
    }
    this.broken = specs.map(() => false);
    this.worst = specs.map(() => undefined);
  }

  /** Takes one closed interval (its histograms are kept: pass copies); returns every threshold's check over its window at this close. */
  close(iv: WindowInterval): WindowCheck[] {
    for (const w of this.windows.values()) w.add(iv);
    const inputs = new Map([...this.windows].map(([len, w]) => [len, w.inputs()]));
    return this.specs.map((s, index) => {
      const len = s.windowMs ?? Infinity;
      const w = this.windows.get(len)!;
      const x = inputs.get(len)!;
      const { actual, bound } = RATE_METRICS.has(s.metric) && x.due === 0 ? { actual: null, bound: 'none' as const } : metricFigure(s.metric, x);
      const check: WindowCheck = {
        index, source: s.source, windowMs: s.windowMs ?? null, windowStartMs: w.startMs, windowEndMs: iv.endMs, actual, bound,
        broken: provenBroken(actual, bound, s.op, s.value),
      };
      if (s.windowMs !== undefined) this.keepWorst(s, check);
      return check;
    });
  }

  /** close(), then the changes of state it brought. */
  transitions(iv: WindowInterval): { checks: WindowCheck[]; transitions: ThresholdTransition[] } {
    const checks = this.close(iv);
    const transitions: ThresholdTransition[] = [];
    for (const c of checks) {
      if (c.broken !== this.broken[c.index]) transitions.push({ ...c, state: c.broken ? 'breach' : 'recovery' });
      this.broken[c.index] = c.broken;
    }
    return { checks, transitions };
  }

  /**
   * Each windowed threshold over every window of the run: it passes when no window proved it
   * broken and some window had data; `actual` is the worst window's figure. Indexed like the specs
   * (undefined for a threshold without a window).
   */
  final(): (ThresholdResult | undefined)[] {
    return this.specs.map((s, i) => {
      if (s.windowMs === undefined) return undefined;
      const w = this.worst[i];
      const base = { source: s.source, metric: s.metric, op: s.op, value: s.value, windowMs: s.windowMs };
      if (!w) return { ...base, actual: null, bound: 'none', pass: false };
      return { ...base, actual: w.check.actual, bound: w.check.bound, pass: !w.broken && w.check.bound !== 'none', windowEndMs: w.check.windowEndMs };
    });
  }

  private keepWorst(s: ThresholdSpec, c: WindowCheck): void {
    const w = this.worst[c.index];
    if (!w) {
      this.worst[c.index] = { check: c, broken: c.broken };
      return;
    }
    const broken = w.broken || c.broken;
    if (worse(s, c, w.check)) this.worst[c.index] = { check: c, broken };
    else w.broken = broken;
  }
}

/** Whether `a` is a worse figure than `b` for the threshold: a broken window beats one that holds, then the figure (higher for ceilings, lower for floors); a window with data beats one without. */
function worse(s: ThresholdSpec, a: WindowCheck, b: WindowCheck): boolean {
  if (a.broken !== b.broken) return a.broken;
  if (a.bound === 'none') return false;
  if (b.bound === 'none') return true;
  const score = (c: WindowCheck) => (c.bound === 'never' ? Infinity : (c.actual as number));
  const ceiling = s.op === '<' || s.op === '<=' || s.op === '==';
  return ceiling ? score(a) > score(b) : score(a) < score(b);
}

/** A window's label for people: "over 30s" (or "so far"). */
export function windowLabel(windowMs: number | null, formatDuration: (ms: number) => string): string {
  return windowMs === null ? 'run so far' : `over ${formatDuration(windowMs)}`;
}
