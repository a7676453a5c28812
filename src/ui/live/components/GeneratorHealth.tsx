import type { ReactElement } from 'react';
import { isSaturated, SATURATED_LAG_MS, type LiveState } from '../live-state.js';
import { formatMs } from '../../../util/units.js';
import { Line } from './line.js';

/** The generator's health: one red row when it is saturated (see isSaturated), none otherwise. Shown first. */
export function generatorLines(s: LiveState): ReactElement[] {
  if (!isSaturated(s)) return [];
  const lag = s.last?.lagP99Ms;
  const why = lag != null && lag >= SATURATED_LAG_MS ? `schedule lag p99 ${formatMs(lag)}` : 'generator-behind warning';
  return [<Line key="gen" color="red" bold>{`!! the generator is saturated: figures understate the load (${why}, event loop ${formatMs(s.last?.eventLoopLagMs ?? null)})`}</Line>];
}
