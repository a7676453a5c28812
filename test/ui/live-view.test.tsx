import { describe, expect, it } from 'vitest';
import { render } from 'ink-testing-library';
import { HistoryLines, LiveView } from '../../src/ui/live/live-view.js';
import type { LiveState } from '../../src/ui/live/live-state.js';
import {
  breach, fault, faultStart, interval, intervals, pause, phase, plan, rate, run, shards, start, threshold, warning,
} from './live-events.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function frame(state: LiveState, columns = 120, rows = 60): string[] {
  const { lastFrame, unmount } = render(<LiveView state={state} columns={columns} rows={rows} />);
  const out = (lastFrame() ?? '').replace(ANSI, '').split('\n');
  unmount();
  return out;
}

/** A game day in its steady phase: a manual fault on, one SLO breached, probes reading. */
function gameDay(extra: Parameters<typeof run>[0] = []): LiveState {
  return run([
    start(), phase(0, 0, 'warm', 'ramp'), ...intervals(30, 0, { rate: 50 }), phase(30_000, 1, 'steady', 'constant'),
    faultStart(32_000, 'dup-2', 'manual', 'duplicate'),
    ...intervals(10, 30, { rate: 100, p99: 300, errors: { '5xx': 3, timeout: 1 }, failed: 4, ok: 96 }),
    breach(40_000, 0, 'p99 < 250ms', 'p99', 300),
    ...extra,
  ]);
}

/** A plan with many faults and thresholds on a Kinesis stream: more rows than a short terminal has. */
function bigDay(): LiveState {
  const faults = Array.from({ length: 12 }, (_, i) => fault(`fault-${i}`, 'poison', i % 2 ? null : 60_000 + i * 1000, 10_000));
  const thresholds = Array.from({ length: 16 }, (_, i) => threshold(`p99 < ${200 + i}ms`, 'p99', '<', 200 + i));
  const p = plan({ faults, thresholds, target: { kind: 'kinesis', stream: 'telemetry' } as never });
  return run([start(p), ...intervals(20, 0, { shards: shards([100, 90, 480, 110, 95, 105]), probes: { queues: [{ name: 'dlq', role: 'dlq', visible: 2, notVisible: 0, delayed: 0 }] } })]);
}

const width = (line: string): number => [...line].length;

describe('LiveView', () => {
  it('shows a normal run: header, rates, latency, load, faults, SLOs and keys', () => {
    const out = frame(gameDay()).join('\n');
    expect(out).toMatch(/rushhour gameday → http https:\/\/api\.example\.com\/ingest\s+BREACHED 1 SLO/);
    expect(out).toMatch(/phase 2\/3 steady \(constant\)\s+\[█{2}░{10}\] 17%\s+50\.0 s left · run 40\.0 s, 1m20s left/);
    expect(out).toContain('target 100/s  achieved 100/s  answered 100/s');
    expect(out).toMatch(/p50 12\.0ms\s+p99 300ms\s+p99\.9 120ms\s+service p99 40\.0ms/);
    expect(out).toMatch(/in flight 20 · 0 awaiting a connection · dropped 0 \(0 in all\) · errors 5xx 30, timeout 10/);
    expect(out).toContain('active: dup-2 since 32.0 s (manual)');
    expect(out).toContain('coming up: poison-0 at 10.0 s');
    expect(out).toMatch(/p99 < 250ms\s+BREACHED/);
    expect(out).toMatch(/error_rate < 1%\s+holding\s+at risk\s+last 4\.0%\s+\[guardrail: aborts\]/);
    expect(out).toContain('f faults  p pause  + / - rate ±10%  q quit  ? keys');
    expect(out).not.toContain('saturated');
  });

  it.each([80, 60])('fits %i columns: no line is longer', (columns) => {
    const lines = frame(bigDay(), columns, 60);
    expect(lines.length).toBeGreaterThan(10);
    expect(Math.max(...lines.map(width))).toBeLessThanOrEqual(columns);
    expect(Math.max(...frame(bigDay(), 200, 60).map(width))).toBeGreaterThan(columns);
  });

  it.each([40, 24, 12])('fits %i rows, giving up the least important panes first', (rows) => {
    const tall = frame(bigDay(), 120, 200);
    expect(tall.length).toBeGreaterThan(40);
    const lines = frame(bigDay(), 120, rows);
    expect(lines.length).toBeLessThanOrEqual(rows);
    const out = lines.join('\n');
    expect(out).toContain('rushhour gameday');
    expect(out).toContain('? keys');
    expect(out).toMatch(/SLOs\s+16 holding/);
    expect(out).not.toContain('fault library');
  });

  it('marks the hot shard so it shows without colour', () => {
    const out = frame(bigDay()).join('\n');
    expect(out).toMatch(/shards\s+(\S[ ▲]){2}█▲/);
    expect(out).toMatch(/▲ hot: 2 4\d\.\d%/);
    expect(out).toContain('dlq 2');
  });

  it('puts a saturated generator first, in its own row', () => {
    const lines = frame(run([interval(40, { lagP99: 250 })], gameDay()));
    expect(lines[0]).toMatch(/^!! the generator is saturated: figures understate the load \(schedule lag p99 250ms/);
    expect(frame(run([warning(40_500, 'generator-behind'), interval(41)], gameDay()))[0]).toContain('generator-behind warning');
  });

  it('mode faults: the library is the focus, with keys 1–9', () => {
    const out = frame(run([{ type: 'ui-mode', mode: 'faults' }], bigDay()), 120, 30).join('\n');
    expect(out).toContain('fault library — press 1–9 to start/stop, esc to close');
    expect(out).toMatch(/\[1\] fault-0\s+poison/);
    expect(out).toMatch(/\[9\] fault-8/);
    expect(out).toMatch(/ {3} fault-9\s/);
    expect(out).toContain('1–9 start/stop  esc close');
  });

  it('mode help: a box lists every key', () => {
    const out = frame(run([{ type: 'ui-mode', mode: 'help' }], gameDay())).join('\n');
    for (const k of ['f ', '1–9', 'p ', '+ / -', 'q, Ctrl-C', '? ', 'esc']) expect(out).toMatch(new RegExp(`│ ${k.replace(/[+?]/g, '\\$&')}\\s*\\S`));
    expect(out).toContain('pause the load / resume it');
    expect(frame(gameDay()).join('\n')).not.toContain('pause the load / resume it');
  });

  it('shows the latest notice', () => {
    const state = run([{ type: 'ui-notice', text: 'f: no faults' }, { type: 'ui-notice', text: 'p: cannot pause — the run is draining' }], gameDay());
    const lines = frame(state);
    expect(lines.at(-2)).toBe('» p: cannot pause — the run is draining');
    expect(lines.join('\n')).not.toContain('f: no faults');
  });

  it('shows a paused run and the pace', () => {
    const out = frame(run([rate(40_200, 1.1), pause(40_500), interval(44)], gameDay())).join('\n');
    expect(out).toMatch(/BREACHED 1 SLO · PAUSED/);
    expect(out).toMatch(/answered 100\/s\s+pace ×1\.10\s+PAUSED/);
    // 15 s into the phase, 4.5 s of it paused.
    expect(out).toContain('49.5 s left');
  });
});

describe('HistoryLines', () => {
  it('prints each line with its run time', () => {
    const state = gameDay();
    const { lastFrame, frames } = render(<HistoryLines lines={state.history} />);
    const out = [...frames, lastFrame() ?? ''].join('\n').replace(ANSI, '');
    expect(out).toContain('  32.0 s  fault dup-2 started (manual)');
    expect(out).toContain('  40.0 s  SLO p99 < 250ms BREACHED: 300ms');
    expect(out).toContain('  30.0 s  phase 2: steady (constant)');
  });
});
