import type { ReactElement, ReactNode } from 'react';
import { Text } from 'ink';
import { formatBounded } from '../../../metrics/latency-figures.js';
import { formatMs } from '../../../util/units.js';
import type { Figure } from '../live-state.js';

/**
 * One terminal row: never wraps (cut at the container's width). Every pane is a list of these,
 * so the root can count rows exactly.
 */
export function Line({ children, color, bold }: { children?: ReactNode; color?: string; bold?: boolean }): ReactElement {
  return <Text wrap="truncate" color={color} bold={bold}>{children === undefined || children === '' ? ' ' : children}</Text>;
}

/** The pane's name in a fixed 10-column gutter ("rates     "); '' for a continuation row. */
export function gutter(name = ''): string {
  return name.padEnd(10).slice(0, 10);
}

/** Per second: "1,234" from 100 up, "12.5" below. */
export function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString('en-US') : r.toFixed(1);
}

/** A run time or duration, ms → "12.0 s", "2m05s", "1h02m". */
export function fmtSpan(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** A latency figure: "12.0ms", "≥ 250ms" (a lower bound), "never", "–". */
export function fmtFigure(f: Figure | undefined): string {
  return f ? formatBounded(f.value, f.bound, formatMs) : '–';
}

/** A ratio 0..1 as "12.5%". */
export function fmtPercent(x: number): string {
  return `${(x * 100).toFixed(x > 0 && x < 0.01 ? 2 : 1)}%`;
}

/** A bar of `width` cells, `done` 0..1 of it filled: "██████░░░░". */
export function bar(done: number, width: number): string {
  const n = Math.round(Math.min(1, Math.max(0, done)) * width);
  return '█'.repeat(n) + '░'.repeat(width - n);
}
