import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { LiveState, LiveThreshold } from '../live-state.js';
import { RATIO_METRICS } from '../../../scenario/thresholds.js';
import { formatMs } from '../../../util/units.js';
import { fmtPercent, gutter, Line } from './line.js';

/** The last interval's figure in the threshold's unit: a percentage for rates, ms for latency. */
function lastText(t: LiveThreshold): string {
  if (t.lastActual === null) return t.risk === 'at-risk' ? 'never answered' : '';
  return `last ${RATIO_METRICS.includes(t.metric) ? fmtPercent(t.lastActual) : formatMs(t.lastActual)}`;
}

/** Status (BREACHED / holding), then the risk from the last interval: at risk, ok, or – (not computable). */
function sloRow(t: LiveThreshold, i: number): ReactElement {
  const status = t.breached ? 'BREACHED' : 'holding';
  const risk = t.breached ? '' : t.risk === 'at-risk' ? 'at risk' : t.risk === 'ok' ? 'ok' : '–';
  const window = t.windowMs === null ? '' : ` over ${formatMs(t.windowMs)}`;
  return (
    <Line key={`slo-${i}`}>
      {gutter()}{`${(t.source + window).padEnd(30)} `}
      <Text color={t.breached ? 'red' : 'green'} bold={t.breached}>{status.padEnd(9)}</Text>
      <Text color={t.risk === 'at-risk' && !t.breached ? 'yellow' : undefined}>{risk.padEnd(8)}</Text>
      {`${lastText(t).padEnd(16)}${t.guardrail ? ' [guardrail: aborts]' : ''}${t.everBreached && !t.breached ? ' (breached earlier)' : ''}`}
    </Line>
  );
}

/** A summary row, then one row per threshold, breached ones first (live-view.tsx drops rows past 3 on a short terminal). */
export function sloLines(s: LiveState): ReactElement[] {
  if (!s.thresholds.length) return [<Line key="slo">{gutter('SLOs')}none in the plan</Line>];
  const breached = s.thresholds.filter((t) => t.breached).length;
  const atRisk = s.thresholds.filter((t) => !t.breached && t.risk === 'at-risk').length;
  const summary = `${s.thresholds.length - breached} holding · ${breached} BREACHED · ${atRisk} at risk`;
  const order = s.thresholds.map((t, i) => ({ t, i })).sort((a, b) => Number(b.t.breached) - Number(a.t.breached) || Number(b.t.risk === 'at-risk') - Number(a.t.risk === 'at-risk') || a.i - b.i);
  return [
    <Line key="slo" color={breached ? 'red' : atRisk ? 'yellow' : undefined}>{gutter('SLOs')}{summary}</Line>,
    ...order.map(({ t, i }) => sloRow(t, i)),
  ];
}
