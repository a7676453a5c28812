import { formatBounded, formatFigure, type LatencyFigures } from '../metrics/latency-figures.js';
import { expectsFailure, type ThresholdResult, type ThresholdSpec } from '../metrics/thresholds.js';
import { COUNT_METRICS, RATIO_METRICS } from '../scenario/thresholds.js';
import { formatMs } from '../util/units.js';
import { ExitCode } from '../util/user-error.js';

export type Verdict = 'PASS' | 'FAIL' | 'NO THRESHOLDS' | 'INTERRUPTED' | 'INCOMPLETE' | 'ABORTED';

/** The fate of the run's due arrivals: due = ok + failed + dropped + unfinished. */
export interface Fate {
  due: number;
  ok: number;
  failed: number;
  dropped: number;
  unfinished: number;
  /** Failed by class. */
  errors: Record<string, number>;
}

export interface VerdictInputs {
  status: 'completed' | 'interrupted' | 'incomplete' | 'aborted';
  fate: Fate;
  /** aborted: the guardrail that stopped the run and what it measured ("p99 < 300ms over 2s (≥ 1.20s)"). */
  abortedBy?: string;
  latency: LatencyFigures;
  specs: ThresholdSpec[];
  thresholds: ThresholdResult[];
}

export interface Decision {
  verdict: Verdict;
  exitCode: number;
  /** One sentence of what happened, for the top of the summary and the report. */
  headline: string;
}

/**
 * The verdict and the exit code, from the data (pure). No answers, no pass: a run in which no due
 * arrival got an ok answer fails (exit 1) unless one of the user's thresholds expects a failing
 * pipeline; a run without thresholds is NO THRESHOLDS (exit 0), never PASS.
 */
export function decideVerdict(x: VerdictInputs): Decision {
  const fate = fateSentence(x.fate, x.latency);
  if (x.status === 'interrupted') return { verdict: 'INTERRUPTED', exitCode: ExitCode.interrupted, headline: `interrupted: ${fate}` };
  if (x.status === 'aborted') {
    return { verdict: 'ABORTED', exitCode: ExitCode.guardrailAbort, headline: `aborted by a guardrail${x.abortedBy ? `: ${x.abortedBy} broke` : ''}; up to the stop: ${fate}` };
  }
  if (x.status === 'incomplete') return { verdict: 'INCOMPLETE', exitCode: ExitCode.interrupted, headline: `the run was killed; up to its last record: ${fate}` };
  const failedThresholds = x.thresholds.filter((t) => !t.pass);
  const noOk = x.fate.due > 0 && x.fate.ok === 0;
  if (noOk && !x.specs.some(expectsFailure)) {
    return { verdict: 'FAIL', exitCode: ExitCode.thresholdsFailed, headline: `the target never answered successfully: ${breakdown(x.fate)}` };
  }
  if (x.thresholds.length === 0) return { verdict: 'NO THRESHOLDS', exitCode: ExitCode.ok, headline: `no thresholds set, so nothing decided pass or fail: ${fate}` };
  if (failedThresholds.length > 0) {
    const which = failedThresholds.map((t) => `${t.source} (${thresholdActual(t)})`).join(', ');
    return { verdict: 'FAIL', exitCode: ExitCode.thresholdsFailed, headline: `${failedThresholds.length} of ${x.thresholds.length} threshold(s) failed: ${which}; ${fate}` };
  }
  return { verdict: 'PASS', exitCode: ExitCode.ok, headline: `all ${x.thresholds.length} threshold(s) held: ${fate}` };
}

/** The guardrail breach that stopped the run, for the headline: `{ abortedBy: "p99 < 300ms over 2s (≥ 1.20s)" }`, or nothing. */
export function abortedBy(breach: Pick<ThresholdResult, 'source' | 'metric' | 'actual' | 'bound'> | undefined): { abortedBy?: string } {
  return breach ? { abortedBy: `${breach.source} (${thresholdActual(breach)})` } : {};
}

/** "9,800 of 10,000 due arrivals ok (98.00%), p99 4.80ms" */
function fateSentence(f: Fate, latency: LatencyFigures): string {
  if (f.due === 0) return 'no arrivals were due';
  const rest = f.ok === f.due ? '' : ` — ${breakdown(f)}`;
  return `${count(f.ok)} of ${count(f.due)} due arrivals ok (${share(f.ok, f.due)})${rest}, p99 ${formatFigure(latency, 'p99', formatMs)}`;
}

/** What became of the arrivals that were not ok: "32 timeout, 4,968 unfinished (no answer when the run ended), 5,000 dropped (in-flight cap)". */
export function breakdown(f: Fate): string {
  const parts = Object.entries(f.errors).sort((a, b) => b[1] - a[1]).map(([cls, n]) => `${count(n)} ${cls}`);
  if (f.unfinished > 0) parts.push(`${count(f.unfinished)} unfinished (no answer when the run ended)`);
  if (f.dropped > 0) parts.push(`${count(f.dropped)} dropped (in-flight cap)`);
  return parts.length > 0 ? parts.join(', ') : 'nothing was answered';
}

/** A threshold's measured value for people: "12.0ms", "≥ 12.0s", "never", "2.00%", or "no data". */
export function thresholdActual(t: Pick<ThresholdResult, 'metric' | 'actual' | 'bound'>): string {
  if (t.bound === 'none') return 'no data';
  if (RATIO_METRICS.includes(t.metric)) return percent(t.actual as number);
  if (COUNT_METRICS.includes(t.metric)) return t.actual === null ? '–' : count(t.actual);
  return formatBounded(t.actual, t.bound, formatMs);
}

export function count(n: number): string {
  return n.toLocaleString('en-US');
}

export function percent(x: number): string {
  return `${(x * 100).toFixed(x < 0.001 && x > 0 ? 4 : 2)}%`;
}

export function share(n: number, of: number): string {
  return of === 0 ? '–' : percent(n / of);
}
