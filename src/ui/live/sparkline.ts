const BARS = '▁▂▃▄▅▆▇█';

/**
 * A sparkline of `values`, one character each: ▁ (lowest) .. █ (highest), scaled between the
 * smallest and largest finite value (`min` / `max` override either end). null, NaN and ±∞ are
 * gaps, shown as a space. A flat series draws as ▄ (▁ when it is all zero or below). Pure.
 */
export function sparkline(values: readonly (number | null)[], opts: { min?: number; max?: number } = {}): string {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length === 0) return ' '.repeat(values.length);
  const lo = opts.min ?? Math.min(...finite);
  const hi = opts.max ?? Math.max(...finite);
  const span = hi - lo;
  let out = '';
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) out += ' ';
    else if (span <= 0) out += v > 0 ? BARS[3] : BARS[0];
    else out += BARS[Math.min(7, Math.max(0, Math.round(((v - lo) / span) * 7)))];
  }
  return out;
}

/** Appends `value` to a series kept at most `limit` long (oldest dropped); returns a new array, O(limit). */
export function pushBounded<T>(series: readonly T[], value: T, limit: number): T[] {
  const from = series.length + 1 > limit ? series.length + 1 - limit : 0;
  const next = series.slice(from);
  next.push(value);
  return next;
}
