import { parseDuration } from '../util/units.js';
import type { ThresholdSpec } from './run-plan.js';

/**
 * Thresholds as written in a scenario (`p99 < 250ms`, `error_rate < 1%`), parsed into a
 * ThresholdSpec. Latency metrics take a duration (value stored in ms); ratio metrics take a
 * percentage (`1%`) or a fraction (`0.01`), stored as a ratio (0.01); count metrics (`lost == 0`)
 * a whole number of messages. `duplicated` and `reordered` are shares of the messages seen,
 * `lost_rate` of those accepted; `e2e_p99` is end-to-end latency (the probes' output consumer).
 * A trailing `over WINDOW` (`p99 < 300ms over 30s`) makes it a sliding-window threshold: judged at
 * each interval close over the intervals inside the last WINDOW (src/metrics/threshold-windows.ts).
 */

const PERCENTILES = ['p50', 'p75', 'p90', 'p95', 'p99', 'p999', 'max', 'mean'] as const;

/** Latency from the intended time (`p99`), service time (`service_p99`) and schedule lag (`lag_p99`). */
export const LATENCY_METRICS: readonly string[] = [
  ...PERCENTILES,
  ...PERCENTILES.map((p) => `service_${p}`),
  ...PERCENTILES.map((p) => `lag_${p}`),
  ...PERCENTILES.map((p) => `e2e_${p}`),
];

/** Counts of messages from the delivery checks (probes): lost, never sent by this run, the DLQ's peak depth. */
export const COUNT_METRICS: readonly string[] = ['lost', 'unexpected', 'dlq_depth'];

/** Shares of the due arrivals (ok, failed, dropped, unfinished, answered), and achieved rate / target rate. */
export const RATIO_METRICS: readonly string[] = ['ok_rate', 'error_rate', 'drop_rate', 'unfinished_rate', 'answered_rate', 'achieved_rate', 'lost_rate', 'duplicated', 'reordered'];

const SHAPE = /^\s*([A-Za-z0-9_]+)\s*(<=|>=|==|<|>)\s*(\S(?:.*\S)?)\s*$/;
const PERCENT = /^(\d+(?:\.\d+)?)\s*%$/;
const FRACTION = /^\d+(?:\.\d+)?$/;

const EXAMPLE = 'such as "p99 < 250ms" or "error_rate < 1%"';

const OVER = /^(.*\S)\s+over\s+(\S+)\s*$/;

/** Parse one threshold; on failure `error` says what was expected (no field path, the caller adds it). */
export function parseThreshold(text: string): ThresholdSpec | { error: string } {
  const over = OVER.exec(text);
  if (!over) return parseCheck(text);
  const windowMs = parseDuration(over[2]);
  if (windowMs === undefined || windowMs <= 0) {
    return { error: `expected a window length after "over", such as 30s or 1m, got ${JSON.stringify(over[2])}` };
  }
  const spec = parseCheck(over[1]);
  if ('error' in spec) return spec;
  return { ...spec, source: `${spec.source} over ${over[2]}`, windowMs };
}

/** A threshold as the scenario holds it: the text, or `{ check, abortOnFail, delay }` (a guardrail), parsed (delay in ms). */
export function thresholdFromEntry(check: ThresholdSpec, options: { abortOnFail?: boolean; delayMs?: number }): ThresholdSpec {
  return { ...check, ...(options.abortOnFail ? { abortOnFail: true } : {}), ...(options.delayMs !== undefined ? { delayMs: options.delayMs } : {}) };
}

function parseCheck(text: string): ThresholdSpec | { error: string } {
  const m = SHAPE.exec(text);
  if (!m) return { error: `expected "<metric> <op> <value>" ${EXAMPLE}, got ${JSON.stringify(text)}` };
  const [, metric, op, valueText] = m;
  const source = `${metric} ${op} ${valueText}`;
  if (LATENCY_METRICS.includes(metric)) {
    const value = parseDuration(valueText);
    if (value === undefined) {
      return { error: `expected a duration with a unit after "${metric} ${op}", such as 250ms or 1.5s, got ${JSON.stringify(valueText)}` };
    }
    return { source, metric, op: op as ThresholdSpec['op'], value };
  }
  if (RATIO_METRICS.includes(metric)) {
    const value = parseRatio(valueText, metric);
    if (typeof value !== 'number') return value;
    return { source, metric, op: op as ThresholdSpec['op'], value };
  }
  if (COUNT_METRICS.includes(metric)) {
    if (!/^\d+$/.test(valueText)) return { error: `expected a whole number of messages after "${metric} ${op}", such as 0, got ${JSON.stringify(valueText)}` };
    return { source, metric, op: op as ThresholdSpec['op'], value: Number(valueText) };
  }
  return { error: `unknown metric ${JSON.stringify(metric)}; expected one of ${[...LATENCY_METRICS, ...RATIO_METRICS, ...COUNT_METRICS].join(', ')}` };
}

/** `1%` → 0.01, `0.01` → 0.01. A bare number above 1 is ambiguous and rejected. */
function parseRatio(text: string, metric: string): number | { error: string } {
  const pct = PERCENT.exec(text);
  const value = pct ? Number(pct[1]) / 100 : FRACTION.test(text) ? Number(text) : undefined;
  const bad = { error: `expected a percentage such as 1% or a fraction such as 0.01 for ${metric}, got ${JSON.stringify(text)}` };
  if (value === undefined) return bad;
  if (!pct && value > 1) return { error: `expected a percentage or a fraction 0..1 for ${metric}; ${text} is ambiguous: write ${text}% or ${value / 100}` };
  // achieved_rate may exceed 100% (a pacer running slightly ahead); the others are shares of a whole.
  if (metric !== 'achieved_rate' && value > 1) return { error: `expected at most 100% for ${metric}, got ${text}` };
  return value;
}
