import { describe, expect, it } from 'vitest';
import { HISTORY_LINES, SPARK_POINTS, initialLiveState, isSaturated, historyAfter, pausedTotalMs, reduceLive, type LiveState } from '../../src/ui/live/live-state.js';
import { sparkline } from '../../src/ui/live/sparkline.js';
import { upcomingFaults } from '../../src/ui/live/components/Faults.js';
import { timeLeft, verdictOf } from '../../src/ui/live/components/Header.js';
import { formatHistoryLine } from '../../src/ui/live/live-history.js';
import {
  breach, end, fault, faultStart, faultStop, interval, intervals, pause, phase, plan, rate, resume, run, shards, start, threshold, warning,
} from './live-events.js';

const base = (): LiveState => run([start(), ...intervals(12)]);

describe('reduceLive: start', () => {
  it('takes the plan: name, target label, phases, faults with keys, thresholds with guardrails', () => {
    const s = run([start()]);
    expect(s.name).toBe('gameday');
    expect(s.target).toBe('http https://api.example.com/ingest');
    expect(s.totalMs).toBe(120_000);
    expect(s.phase).toMatchObject({ index: 0, name: 'warm' });
    expect(s.faults.map((f) => [f.name, f.key, f.atMs])).toEqual([['poison-0', '1', 10_000], ['storm-1', '2', 70_000], ['dup-2', '3', null]]);
    expect(s.thresholds.map((t) => [t.source, t.guardrail, t.breached])).toEqual([['p99 < 250ms', false, false], ['error_rate < 1%', true, false]]);
  });

  it('keys only the first nine faults', () => {
    const faults = Array.from({ length: 11 }, (_, i) => fault(`f-${i}`, 'poison', null));
    expect(run([start(plan({ faults }))]).faults.map((f) => f.key)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', null, null]);
  });
});

describe('reduceLive: timeline events', () => {
  it.each([
    ['phase', [phase(30_000, 1, 'steady', 'constant')], (s: LiveState) => expect(s.phase).toMatchObject({ index: 1, name: 'steady', startMs: 30_000 })],
    ['pause', [pause(13_000)], (s: LiveState) => expect(s.paused).toEqual({ sinceMs: 13_000 })],
    ['resume', [pause(13_000), resume(16_000, 3_000)], (s: LiveState) => expect([s.paused, s.pausedMs]).toEqual([null, 3_000])],
    ['rate', [rate(13_000, 1.1)], (s: LiveState) => expect(s.pace).toBe(1.1)],
    ['rate back to plan', [rate(13_000, 1.1), rate(14_000, 1)], (s: LiveState) => expect(s.pace).toBe(1)],
    ['fault-start', [faultStart(12_000, 'dup-2', 'manual')], (s: LiveState) => expect(s.active).toEqual([{ name: 'dup-2', kind: 'poison', sinceMs: 12_000, by: 'manual' }])],
    ['fault-stop', [faultStart(10_000, 'poison-0'), faultStop(30_000, 'poison-0', 20_000)], (s: LiveState) => expect([s.active, s.started]).toEqual([[], ['poison-0']])],
    ['breach', [breach(12_000, 0, 'p99 < 250ms', 'p99', 300)], (s: LiveState) => expect([s.thresholds[0].breached, s.aborted]).toEqual([true, false])],
    ['recovery', [breach(12_000, 0, 'p99 < 250ms', 'p99', 300), breach(20_000, 0, 'p99 < 250ms', 'p99', 200, 'recovery')], (s: LiveState) => expect([s.thresholds[0].breached, s.thresholds[0].everBreached]).toEqual([false, true])],
    ['guardrail breach aborts', [breach(12_000, 1, 'error_rate < 1%', 'error_rate', 0.2, 'breach', true)], (s: LiveState) => expect(s.aborted).toBe(true)],
    ['end aborted', [end(15_000, 'aborted')], (s: LiveState) => expect([s.ended, s.aborted]).toEqual(['aborted', true])],
    ['end completed', [end(15_000, 'completed')], (s: LiveState) => expect([s.ended, s.aborted]).toEqual(['completed', false])],
    ['generator-behind', [warning(12_500, 'generator-behind')], (s: LiveState) => expect(s.behindAtMs).toBe(12_500)],
    ['other warning', [warning(12_500, 'in-flight-cap')], (s: LiveState) => expect(s.behindAtMs).toBeNull()],
  ] as const)('%s', (_name, events, check) => {
    check(run([...events], base()));
  });

  it.each([
    ['fault start', faultStart(12_000, 'poison-0', 'manual'), '  12.0 s  fault poison-0 started (manual)'],
    ['fault stop', faultStop(32_000, 'poison-0', 20_000), '  32.0 s  fault poison-0 stopped after 20.0s'],
    ['pause', pause(13_000), '  13.0 s  load paused (manual)'],
    ['rate', rate(14_000, 1.1), '  14.0 s  pace ×1.10 of the plan (manual)'],
    ['breach', breach(15_000, 1, 'error_rate < 1%', 'error_rate', 0.2, 'breach', true), '  15.0 s  SLO error_rate < 1% BREACHED: 20.00% — guardrail: ABORTING the run'],
    ['phase', phase(30_000, 1, 'steady', 'constant'), '  30.0 s  phase 2: steady (constant)'],
    ['warning', warning(12_000, 'generator-behind', 'the generator is behind'), '  12.0 s  warning: the generator is behind'],
  ])('history line: %s', (_name, event, line) => {
    const s = run([event], base());
    expect(formatHistoryLine(s.history.at(-1)!)).toBe(line);
  });
});

describe('reduceLive: intervals', () => {
  it.each([
    ['lag p99 at 100 ms', [interval(12, { lagP99: 100 })], true],
    ['lag p99 under 100 ms', [interval(12, { lagP99: 99 })], false],
    ['generator-behind 4 s ago', [warning(9_000, 'generator-behind'), interval(12)], true],
    ['generator-behind 6 s ago', [warning(7_000, 'generator-behind'), interval(12)], false],
  ] as const)('saturation: %s → %s', (_name, events, saturated) => {
    expect(isSaturated(run([...events], base()))).toBe(saturated);
  });

  it('keeps 60 sparkline points and 200 history lines however long the run', () => {
    const events = Array.from({ length: 500 }, (_, i) => [interval(i), faultStart(i * 1000 + 500, `f-${i}`)]).flat();
    const s = run([start(), ...events]);
    expect(s.spark.achieved).toHaveLength(SPARK_POINTS);
    expect(s.spark.p99).toHaveLength(SPARK_POINTS);
    expect(s.history).toHaveLength(HISTORY_LINES);
    expect(s.historySeq).toBe(501);
    expect(s.history.at(-1)?.seq).toBe(501);
    expect(historyAfter(s, 499).map((l) => l.seq)).toEqual([500, 501]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it('copies the figures, not the snapshot (≥ for lower bounds; never-answered p99 is a sparkline gap)', () => {
    const s = run([interval(12, { p99: 400, atLeast: ['p99'], rate: 200, achieved: 150, dropped: 3, errors: { '5xx': 2 } }), interval(13, { dropped: 2, errors: { '5xx': 1, timeout: 4 } })], base());
    expect(s.last).toMatchObject({ index: 13, dropped: 2 });
    expect(s.totals).toEqual({ dropped: 5, errors: { '5xx': 3, timeout: 4 } });
    expect(run([interval(12, { p99: 400, atLeast: ['p99'] })], base()).last?.p99).toEqual({ value: 400, bound: 'atLeast' });
    expect(s.spark.achieved.slice(-2)).toEqual([150, 100]);
  });

  it.each([
    ['p99 well under 250', { p99: 100 }, 0, 'ok'],
    ['p99 within 20 % of 250', { p99: 210 }, 0, 'at-risk'],
    ['p99 over 250, not judged yet', { p99: 300 }, 0, 'at-risk'],
    ['lower bound under the margin', { p99: 100, atLeast: ['p99' as const] }, 0, null],
    ['error rate 0.9 % of a 1 % ceiling', { ok: 991, failed: 9, rate: 1000 }, 1, 'at-risk'],
    ['error rate 0.1 %', { ok: 999, failed: 1, rate: 1000 }, 1, 'ok'],
  ])('at risk: %s', (_name, opts, index, risk) => {
    expect(run([interval(12, opts)], base()).thresholds[index].risk).toBe(risk);
  });

  it.each([
    ['ok_rate > 99 %, at 99.1 %', threshold('ok', 'ok_rate', '>', 0.99), { ok: 991, failed: 9, rate: 1000 }, 'at-risk'],
    ['ok_rate > 99 %, at 100 %', threshold('ok', 'ok_rate', '>', 0.99), {}, 'ok'],
    ['lost == 0: a delivery metric', threshold('lost', 'lost', '==', 0), {}, null],
    ['e2e_p99: no snapshot figure', threshold('e2e', 'e2e_p99', '<', 1000), {}, null],
  ])('at risk: %s', (_name, t, opts, risk) => {
    expect(run([start(plan({ thresholds: [t] })), interval(0, opts)]).thresholds[0].risk).toBe(risk);
  });

  it.each([
    ['one hot shard', [100, 100, 400, 100], [], ['shardId-000000000002']],
    ['even shards', [100, 110, 95, 100], [], []],
    ['a throttled shard', [100, 100, 100, 100], [0, 7, 0, 0], ['shardId-000000000001']],
  ])('hot shard: %s', (_name, records, throttled, hot) => {
    const s = run([interval(12, { shards: shards(records, throttled) })], base());
    expect(s.shards.filter((c) => c.hot).map((c) => c.id)).toEqual(hot);
  });

  it('reads DLQ depth, delivery and iterator age from the probes', () => {
    const probes = {
      queues: [{ name: 'dlq', role: 'dlq' as const, visible: 3, notVisible: 1, delayed: 0 }, { name: 'q', role: 'queue' as const, visible: 50, notVisible: 0, delayed: 0 }],
      shards: [{ id: 's0', iteratorAgeMs: 1200, blocked: true }, { id: 's1', iteratorAgeMs: 0, blocked: false }],
      delivery: { accepted: 10, seen: 8, lost: 1, pending: 1, duplicated: 2, reordered: 0, unexpected: 0, late: 0, seenNotAccepted: 0, acceptedAfterWindow: 0, lagMs: 900, e2eP99Ms: 1500 },
    };
    expect(run([interval(12, { probes })], base()).pipeline).toEqual({ dlqDepth: 4, delivery: { lost: 1, duplicated: 2, reordered: 0, lagMs: 900, e2eP99Ms: 1500 }, iteratorAgeMs: 1200, blockedShards: 1 });
  });
});

describe('derived figures', () => {
  it('faults coming up: scheduled, not started, soonest first; manual ones never', () => {
    const s = run([faultStart(10_000, 'poison-0'), faultStop(30_000, 'poison-0', 20_000)], base());
    expect(upcomingFaults(s).map((f) => f.name)).toEqual(['storm-1']);
    expect(upcomingFaults(base()).map((f) => f.name)).toEqual(['poison-0', 'storm-1']);
  });

  it('time left adds the paused time, and the phase does not advance while paused', () => {
    const s = run([phase(30_000, 1, 'steady', 'constant'), interval(39), pause(40_000), interval(49), interval(59)], base());
    expect(pausedTotalMs(s)).toBe(20_000);
    expect(timeLeft(s)).toEqual({ phaseDone: 10_000 / 60_000, phaseLeftMs: 50_000, runLeftMs: 120_000 + 20_000 - 60_000 });
  });

  it.each([
    ['holding', [], 'holding'],
    ['two breached', [breach(12_000, 0, 'p', 'p99', 300), breach(12_000, 1, 'e', 'error_rate', 0.2)], 'BREACHED 2 SLOs'],
    ['aborted', [breach(12_000, 1, 'e', 'error_rate', 0.2, 'breach', true), end(13_000, 'aborted')], 'ABORTED · ended (aborted)'],
    ['paused', [pause(13_000)], 'holding · PAUSED'],
  ] as const)('verdict: %s', (_name, events, text) => {
    expect(verdictOf(run([...events], base())).text).toBe(text);
  });
});

describe('ui actions', () => {
  it.each([
    [{ type: 'ui-mode' as const, mode: 'faults' as const }, (s: LiveState) => expect(s.mode).toBe('faults')],
    [{ type: 'ui-notice' as const, text: 'p: cannot pause — the run is draining' }, (s: LiveState) => expect(s.notice).toEqual({ text: 'p: cannot pause — the run is draining', atMs: 12_000 })],
    [{ type: 'ui-size' as const, columns: 80, rows: 30 }, (s: LiveState) => expect(s.size).toEqual({ columns: 80, rows: 30 })],
  ])('%o', (action, check) => {
    check(reduceLive(base(), action));
  });

  it('starts empty and JSON-serializable', () => {
    expect(JSON.parse(JSON.stringify(initialLiveState()))).toEqual(initialLiveState());
  });
});

describe('sparkline', () => {
  it.each([
    [[0, 1, 2, 3, 4, 5, 6, 7], {}, '▁▂▃▄▅▆▇█'],
    [[1, null, 8, Number.NaN], {}, '▁ █ '],
    [[5, 5], {}, '▄▄'],
    [[], {}, ''],
    [[2, 4], { min: 0, max: 8 }, '▃▅'],
  ])('%o → %s', (values, opts, out) => {
    expect(sparkline(values, opts)).toBe(out);
  });
});

describe('repeated warnings in the history (a saturated generator warns every interval)', () => {
  it('prints the first of a code, holds back repeats within WARNING_REPEAT_MS, and says how many when it prints the next', () => {
    const seconds = Array.from({ length: 40 }, (_, i) => warning(1000 + i * 1000, 'generator-behind', 'behind'));
    const s = run([start(plan()), ...seconds, warning(5000, 'in-flight-cap', 'cap')]);
    const texts = s.history.map((l) => l.text).filter((t) => t.startsWith('warning'));
    expect(texts).toEqual(['warning: behind', 'warning: behind (29 more like it held back since 1.0 s)', 'warning: cap']);
    expect(s.warned['generator-behind']).toEqual({ atMs: 31_000, held: 9 });
    // the saturation line still follows every warning
    expect(s.behindAtMs).toBe(40_000);
  });
});
