import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { LiveState } from '../live-state.js';
import { sparkline } from '../sparkline.js';
import { fmtRate, fmtSpan, gutter, Line } from './line.js';

/** Target vs achieved vs answered per second, the pace when nudged, PAUSED; then a row with the achieved rate's sparkline. */
export function ratesLines(s: LiveState): ReactElement[] {
  const l = s.last;
  const figures = l ? `target ${fmtRate(l.targetRate)}/s  achieved ${fmtRate(l.achievedRate)}/s  answered ${fmtRate(l.answeredRate)}/s` : 'waiting for the first interval';
  const lines = [
    <Line key="r1">
      {gutter('rates')}{figures}
      {s.pace !== 1 ? <Text color="yellow">{`  pace ×${s.pace.toFixed(2)}`}</Text> : null}
      {s.paused ? <Text color="yellow" bold>{'  PAUSED'}</Text> : null}
    </Line>,
  ];
  lines.push(<Line key="r2" color="cyan">{`${gutter()}${sparkline(s.spark.achieved, { min: 0 })}  achieved, last ${fmtSpan(s.spark.achieved.length * s.intervalMs)}`}</Line>);
  return lines;
}
