import { countAboveUs, type Histogram } from '../metrics/histogram.js';
import type { ThresholdResult, ThresholdSpec } from '../metrics/thresholds.js';
import type { Journal } from '../results/journal-reader.js';
import type { Summary } from '../results/summary.js';
import { formatDuration } from '../util/units.js';

/**
 * The report's "Hypothesis and SLOs": each threshold with the window it is judged over, whether
 * it is a guardrail, its result, its first live breach, and the error budget it burned. Pure.
 *
 * Error budget: what a threshold allows to go wrong over the whole run, and how much of it the
 * run spent — `error_rate < 1%` allows 1 % of the due arrivals to fail; `p99 < 300ms` allows 1 %
 * of them to take longer than 300 ms (arrivals still waiting past the bound and arrivals never
 * answered count as slower); `ok_rate >= 99%` allows 1 % not to end ok; `lost == 0` allows none. `burned` = spent /
 * allowed (1 = the whole budget; above 1 = overspent). Only ceilings on failures and latency and
 * floors on success shares and on lost / unexpected messages have a budget; the others (a DLQ's peak depth,
 * floors on latency, the achieved rate) have none.
 */
export interface SloRow {
  source: string;
  /** "the whole run" or "every 30 s window". */
  judgedOver: string;
  /** A guardrail's rule in words ("aborts the run when broken, after 10 s"); null for a plain threshold. */
  guardrail: string | null;
  result: ThresholdResult;
  /** The first breach the live checker journaled (ms from the start); null when none. */
  firstBreach: { tMs: number; at: string; aborts: boolean } | null;
  budget: ErrorBudget | null;
}

export interface ErrorBudget {
  /** What the budget counts, e.g. "arrivals slower than 300 ms". */
  what: string;
  /** How many the threshold allows over the run (may be fractional: a share of the count). */
  allowed: number;
  spent: number;
  /** spent / allowed; null when nothing was allowed (then any spend breaks it). */
  burned: number | null;
}

/** The run's histograms a budget reads (merged over the run, from the hlog). */
export interface BudgetHistograms {
  latency: Histogram;
  /** The arrivals still waiting at the end, at their age. */
  waiting: Histogram;
  serviceTime: Histogram;
  e2e: Histogram;
}

const FAILURE_COUNT: Record<string, (s: Summary) => number> = {
  error_rate: (s) => s.counts.failed,
  drop_rate: (s) => s.counts.dropped,
  unfinished_rate: (s) => s.counts.unfinished,
};
const FAILURE_WHAT: Record<string, string> = { error_rate: 'failed arrivals', drop_rate: 'dropped arrivals', unfinished_rate: 'unfinished arrivals' };
const SUCCESS_COUNT: Record<string, (s: Summary) => number> = {
  ok_rate: (s) => s.counts.ok,
  answered_rate: (s) => s.counts.answered,
};
const PERCENT: Record<string, number> = { p50: 50, p75: 75, p90: 90, p95: 95, p99: 99, p999: 99.9 };

export function sloRows(summary: Summary, specs: readonly ThresholdSpec[], journal: Pick<Journal, 'thresholdEvents'>, h: BudgetHistograms): SloRow[] {
  return summary.thresholds.map((result, i) => {
    const spec = specs[i];
    const breach = journal.thresholdEvents.find((e) => e.index === i && e.state === 'breach');
    return {
      source: result.source,
      judgedOver: spec?.windowMs !== undefined ? `every ${formatDuration(spec.windowMs)} window` : 'the whole run',
      guardrail: spec?.abortOnFail ? `aborts the run when broken${spec.delayMs ? `, after ${formatDuration(spec.delayMs)}` : ''}` : null,
      result,
      firstBreach: breach ? { tMs: breach.tMs, at: breach.at, aborts: breach.aborts === true } : null,
      budget: spec ? errorBudget(spec, summary, h) : null,
    };
  });
}

/** The error budget of one threshold over the run; null when it has none (see SloRow). */
export function errorBudget(spec: Pick<ThresholdSpec, 'metric' | 'op' | 'value'>, s: Summary, h: BudgetHistograms): ErrorBudget | null {
  const ceiling = spec.op === '<' || spec.op === '<=';
  const floor = spec.op === '>' || spec.op === '>=';
  const due = s.counts.due;
  if (ceiling && FAILURE_COUNT[spec.metric]) {
    return budget(FAILURE_WHAT[spec.metric], spec.value * due, FAILURE_COUNT[spec.metric](s));
  }
  if (floor && SUCCESS_COUNT[spec.metric]) {
    return budget(`arrivals not ${spec.metric === 'ok_rate' ? 'ok' : 'answered'}`, (1 - spec.value) * due, due - SUCCESS_COUNT[spec.metric](s));
  }
  if ((ceiling || spec.op === '==') && (spec.metric === 'lost' || spec.metric === 'unexpected')) {
    if (!s.delivery) return null;
    return budget(`${spec.metric} messages`, spec.op === '<' ? Math.max(0, Math.ceil(spec.value) - 1) : spec.value, s.delivery[spec.metric]);
  }
  if (!ceiling) return null;
  const [prefix, key] = spec.metric.includes('_') ? spec.metric.split('_', 2) : ['', spec.metric];
  const p = PERCENT[key];
  if (p === undefined) return null;
  const boundUs = spec.value * 1000;
  const what = `${prefix === 'service' ? 'requests' : prefix === 'e2e' ? 'messages' : 'arrivals'} slower than ${spec.value} ms`;
  if (prefix === '') {
    const count = s.latency.count;
    const spent = countAboveUs(h.latency, boundUs) + countAboveUs(h.waiting, boundUs) + s.latency.neverAnswered;
    return budget(what, ((100 - p) / 100) * count, spent);
  }
  const series = prefix === 'service' ? h.serviceTime : prefix === 'e2e' ? h.e2e : null;
  if (!series || series.totalCount === 0) return null;
  return budget(what, ((100 - p) / 100) * series.totalCount, countAboveUs(series, boundUs));
}

function budget(what: string, allowed: number, spent: number): ErrorBudget {
  const a = Math.round(allowed * 1000) / 1000;
  return { what, allowed: a, spent, burned: a > 0 ? Math.round((spent / a) * 10_000) / 10_000 : null };
}

/** A budget in words: "37 % burned (37 of 100 failed arrivals allowed)". */
export function budgetText(b: ErrorBudget | null): string {
  if (!b) return '–';
  const allowed = Number.isInteger(b.allowed) ? b.allowed.toLocaleString('en-US') : b.allowed.toFixed(1);
  if (b.burned === null) return b.spent === 0 ? `none allowed, none spent` : `none allowed, ${b.spent.toLocaleString('en-US')} spent`;
  const pct = b.burned * 100;
  return `${pct >= 10 ? Math.round(pct).toLocaleString('en-US') : pct.toFixed(1)} % burned (${b.spent.toLocaleString('en-US')} of ${allowed} ${b.what} allowed)`;
}
