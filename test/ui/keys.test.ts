import { afterEach, describe, expect, it, vi } from 'vitest';
import { keyCommand } from '../../src/ui/live/keys.js';
import { LiveStore, MAX_REDRAWS_PER_S } from '../../src/ui/live/live-store.js';
import { pickOutputMode } from '../../src/ui/output-mode.js';
import { end, faultStart, interval, pause, plan, rate, run, start } from './live-events.js';

const running = run([start(plan()), interval(0)]);
const faults = run([{ type: 'ui-mode', mode: 'faults' }], running);

describe('keys → commands (the game-day buttons; a key that does not apply says why)', () => {
  it.each([
    ['p', running, true, { kind: 'pause' }],
    ['p', run([pause(1500)], running), true, { kind: 'resume' }],
    ['+', running, true, { kind: 'pace', factor: 1.1 }],
    ['=', running, true, { kind: 'pace', factor: 1.1 }],
    ['-', run([rate(2000, 1.1)], running), true, { kind: 'pace', factor: 1 }],
    ['q', running, true, { kind: 'stop' }],
    ['?', running, true, { kind: 'mode', mode: 'help' }],
    ['f', running, true, { kind: 'mode', mode: 'faults' }],
    ['f', faults, true, { kind: 'mode', mode: 'main' }],
    ['1', faults, true, { kind: 'start-fault', name: 'poison-0' }],
    ['1', run([faultStart(2000, 'poison-0', 'manual')], faults), true, { kind: 'stop-fault', name: 'poison-0' }],
    ['3', faults, true, { kind: 'start-fault', name: 'dup-2' }],
    ['4', faults, true, { kind: 'notice', text: '4: no fault has this key (the library holds 3)' }],
    ['1', running, true, { kind: 'notice', text: '1: press f first to open the fault library' }],
    ['p', running, false, { kind: 'notice', text: 'p: cannot pause — the clock has not started yet (warm-up)' }],
    ['+', run([end(9000, 'completed')], running), true, { kind: 'notice', text: '+: cannot change the rate — the run has ended' }],
    ['1', run([end(9000, 'completed')], faults), true, { kind: 'notice', text: '1: cannot start poison-0 — the run has ended' }],
    ['x', running, true, { kind: 'notice', text: 'x: not a key here — ? shows the keys' }],
  ] as const)('%j', (input, state, controllable, expected) => {
    expect(keyCommand(input, {}, state, controllable)).toEqual(expected);
  });

  it('Ctrl-C stops; esc closes an open box and does nothing in the main view', () => {
    expect(keyCommand('c', { ctrl: true }, running, true)).toEqual({ kind: 'stop' });
    expect(keyCommand('', { escape: true }, faults, true)).toEqual({ kind: 'mode', mode: 'main' });
    expect(keyCommand('', { escape: true }, running, true)).toEqual({ kind: 'none' });
  });
});

describe('the output mode (one facade picks ink, plain, jsonl or silent)', () => {
  it.each([
    [{ json: false, stdoutIsTTY: true, ci: false }, 'ink'],
    [{ json: false, stdoutIsTTY: true, ci: true }, 'plain'],
    [{ json: false, stdoutIsTTY: false, ci: false }, 'plain'],
    [{ log: 'ink', json: false, stdoutIsTTY: false, ci: true }, 'ink'],
    [{ log: 'jsonl', json: false, stdoutIsTTY: true, ci: false }, 'jsonl'],
    [{ log: 'none', json: false, stdoutIsTTY: true, ci: false }, 'none'],
    [{ json: true, stdoutIsTTY: true, ci: false }, 'none'],
    [{ log: 'plain', json: true, stdoutIsTTY: false, ci: true }, 'plain'],
    [{ log: 'ink', json: true, stdoutIsTTY: true, ci: false }, 'plain'],
  ] as const)('%j → %s', (o, mode) => {
    expect(pickOutputMode(o)).toBe(mode);
  });
});

describe('the live store (events reduced as they come, redraws at most 10 a second)', () => {
  afterEach(() => vi.useRealTimers());

  it('folds a burst of events into one redraw, and never redraws more often than MAX_REDRAWS_PER_S', () => {
    vi.useFakeTimers(); // Date.now moves with the timers
    const store = new LiveStore();
    let redraws = 0;
    store.subscribe(() => redraws++);
    store.dispatch(start(plan()));
    expect(redraws).toBe(1); // the first one at once
    for (let i = 0; i < 50; i++) store.dispatch(interval(i)); // a burst within the same instant
    expect(redraws).toBe(1);
    vi.advanceTimersByTime(1000 / MAX_REDRAWS_PER_S);
    expect(redraws).toBe(2);
    expect(store.state.last).not.toBeNull();
    // 10 s of events every 10 ms: about 100 redraws, never more than 10 a second
    for (let t = 0; t < 1000; t++) {
      store.dispatch(interval(60 + t));
      vi.advanceTimersByTime(10);
    }
    expect(redraws - 2).toBeLessThanOrEqual(MAX_REDRAWS_PER_S * 10 + 1);
    expect(redraws - 2).toBeGreaterThanOrEqual(MAX_REDRAWS_PER_S * 10 - 1);
    store.dispatch(end(20_000, 'completed'));
    expect(store.printed.at(-1)?.text).toMatch(/ended/);
    store.close();
  });
});
