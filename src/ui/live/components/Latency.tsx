import type { ReactElement } from 'react';
import type { LiveState } from '../live-state.js';
import { sparkline } from '../sparkline.js';
import { formatMs } from '../../../util/units.js';
import { fmtFigure, gutter, Line } from './line.js';

/** Latency from the intended time (≥: a lower bound), service time p99, end-to-end p99 when probes deliver it; then a row with p99's sparkline. */
export function latencyLines(s: LiveState): ReactElement[] {
  const l = s.last;
  const e2e = s.pipeline.delivery?.e2eP99Ms;
  const text = l
    ? `p50 ${fmtFigure(l.p50)}  p99 ${fmtFigure(l.p99)}  p99.9 ${fmtFigure(l.p999)}  service p99 ${formatMs(l.serviceP99Ms)}${e2e != null ? `  e2e p99 ${formatMs(e2e)}` : ''}`
    : '–';
  const lines = [<Line key="l1">{gutter('latency')}{text}</Line>];
  lines.push(<Line key="l2" color="cyan">{`${gutter()}${sparkline(s.spark.p99, { min: 0 })}  p99 (blank: none or never answered)`}</Line>);
  return lines;
}
