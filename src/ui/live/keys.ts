import type { LiveState } from './live-state.js';

/** The keys of the live view, as `run --help` and the `?` box list them. */
export const KEY_HELP: readonly [key: string, what: string][] = [
  ['f', 'open / close the fault library'],
  ['1–9', 'in the fault library: start or stop that fault (journaled as manual)'],
  ['p', 'pause the load / resume it where it stopped (journaled; the paused time is not counted as arrivals due)'],
  ['+ / -', 'nudge the rate by 10 % up / down (journaled; the report shows the actual rate curve)'],
  ['q, Ctrl-C', 'stop gracefully: in-flight requests drain, every result is written (again to quit at once)'],
  ['?', 'show / hide the keys'],
  ['esc', 'back to the main view'],
];

/** How much one `+` or `-` changes the pace. */
export const NUDGE = 1.1;

/** What a key asks for. `notice`: the key does not apply now, and why. */
export type KeyCommand =
  | { kind: 'mode'; mode: LiveState['mode'] }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'pace'; factor: number }
  | { kind: 'start-fault'; name: string }
  | { kind: 'stop-fault'; name: string }
  | { kind: 'stop' }
  | { kind: 'notice'; text: string }
  | { kind: 'none' };

/** ink's key flags the mapping reads. */
export interface KeyFlags {
  ctrl?: boolean;
  escape?: boolean;
}

/**
 * Maps one key press to a command, given what the view shows now (pure). `controllable`: the run
 * has started its clock and can take commands (before that, or once the load is over, keys say why).
 */
export function keyCommand(input: string, key: KeyFlags, state: LiveState, controllable: boolean): KeyCommand {
  if (key.ctrl && input === 'c') return { kind: 'stop' };
  if (key.escape) return state.mode === 'main' ? { kind: 'none' } : { kind: 'mode', mode: 'main' };
  if (input === 'q') return { kind: 'stop' };
  if (input === '?') return { kind: 'mode', mode: state.mode === 'help' ? 'main' : 'help' };
  if (input === 'f') return { kind: 'mode', mode: state.mode === 'faults' ? 'main' : 'faults' };
  if (state.mode === 'faults' && /^[1-9]$/.test(input)) return faultKey(input, state, controllable);
  if (input === 'p' || input === '+' || input === '=' || input === '-') return loadKey(input, state, controllable);
  if (input === '' || (key.ctrl ?? false)) return { kind: 'none' };
  if (/^[1-9]$/.test(input)) return { kind: 'notice', text: `${input}: press f first to open the fault library` };
  return { kind: 'notice', text: `${input}: not a key here — ? shows the keys` };
}

function loadKey(input: string, state: LiveState, controllable: boolean): KeyCommand {
  const what = input === 'p' ? (state.paused ? 'resume' : 'pause') : 'change the rate';
  const why = notNow(state, controllable);
  if (why) return { kind: 'notice', text: `${input}: cannot ${what} — ${why}` };
  if (input === 'p') return { kind: state.paused ? 'resume' : 'pause' };
  const pace = input === '-' ? state.pace / NUDGE : state.pace * NUDGE;
  return { kind: 'pace', factor: Math.round(pace * 1000) / 1000 };
}

function faultKey(input: string, state: LiveState, controllable: boolean): KeyCommand {
  const fault = state.faults.find((f) => f.key === input);
  if (!fault) return { kind: 'notice', text: `${input}: no fault has this key (${state.faults.length === 0 ? 'the scenario has no faults' : `the library holds ${Math.min(9, state.faults.length)}`})` };
  const active = state.active.some((a) => a.name === fault.name);
  const why = notNow(state, controllable);
  if (why && !active) return { kind: 'notice', text: `${input}: cannot start ${fault.name} — ${why}` };
  return { kind: active ? 'stop-fault' : 'start-fault', name: fault.name };
}

/** Why the load cannot be touched now; null when it can. */
function notNow(state: LiveState, controllable: boolean): string | null {
  if (state.ended) return 'the run has ended';
  if (state.draining) return 'the load is over: the run is draining';
  if (!controllable) return 'the clock has not started yet (warm-up)';
  return null;
}
