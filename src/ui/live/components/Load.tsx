import type { ReactElement } from 'react';
import type { LiveState } from '../live-state.js';
import { gutter, Line } from './line.js';
import { count } from '../../../results/verdict.js';

/** Errors by class shown, the most frequent first. */
const TOP_ERRORS = 4;

/** In flight, waiting for a connection, dropped (last interval, and the run's total), errors by class since the start. */
export function loadLines(s: LiveState): ReactElement[] {
  const l = s.last;
  const errors = Object.entries(s.totals.errors).sort((a, b) => b[1] - a[1]);
  const errText = errors.length ? errors.slice(0, TOP_ERRORS).map(([k, v]) => `${k} ${count(v)}`).join(', ') + (errors.length > TOP_ERRORS ? `, +${errors.length - TOP_ERRORS} more` : '') : 'none';
  const text = `in flight ${count(l?.inFlight ?? 0)} · ${count(l?.awaitingConnection ?? 0)} awaiting a connection · dropped ${count(l?.dropped ?? 0)} (${count(s.totals.dropped)} in all) · errors ${errText}`;
  return [<Line key="load" color={errors.length || s.totals.dropped ? 'yellow' : undefined}>{gutter('load')}{text}</Line>];
}
