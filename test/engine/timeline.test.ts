import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { Timeline, type ScheduledFault } from '../../src/engine/timeline.js';
import { createSchedule } from '../../src/load/pacers.js';
import { readJournal } from '../../src/results/journal-reader.js';
import { ResultsWriter } from '../../src/results/journal-writer.js';
import { createPlainLogger } from '../../src/ui/plain-logger.js';
import { tempDir } from '../support/cli.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeTarget } from '../support/fake-target.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

/** A fault whose start and stop are recorded, so a test sees exactly what the timeline applied. */
function fault(name: string, atMs: number | null, forMs: number | null, log: string[]): ScheduledFault {
  return { name, kind: 'test', atMs, forMs, apply: { start: () => log.push(`+${name}`), stop: () => log.push(`-${name}`) } };
}

function timeline(faults: (log: string[]) => ScheduledFault[]) {
  const clock = new FakeClock();
  const log: string[] = [];
  const events: EngineEvent[] = [];
  const phases = [constant(100, 1000), constant(100, 1000)];
  const t = new Timeline(testPlan(phases), createSchedule(phases), faults(log), { clock, emit: (e) => events.push(e), iso: (ms) => new Date(ms).toISOString(), elapsed: () => clock.now() });
  const faultEvents = () => events.flatMap((e) => (e.type === 'fault-start' || e.type === 'fault-stop' ? [`${e.type === 'fault-start' ? '+' : '-'}${e.name}@${e.tMs}:${e.by}`] : []));
  return { clock, log, events, t, faultEvents };
}

describe('Timeline: faults on the clock (pure, fake clock)', () => {
  it.each([
    // [name, faults (at, for), advance to, expected fault events]
    ['a fault from 200 ms for 300 ms', [['a', 200, 300]], 1000, ['+a@200:schedule', '-a@500:schedule']],
    ['a fault without for lasts to the end', [['a', 100, null]], 1000, ['+a@100:schedule']],
    ['a fault at 0 starts with the clock', [['a', 0, 50]], 100, ['+a@0:schedule', '-a@50:schedule']],
    ['two overlapping faults, each on its own times', [['a', 100, 400], ['b', 300, 100]], 1000, ['+a@100:schedule', '+b@300:schedule', '-b@400:schedule', '-a@500:schedule']],
    ['a manual fault waits for a trigger', [['m', null, 100]], 1000, []],
  ] as const)('%s', (_name, spec, until, want) => {
    const { clock, t, faultEvents, log } = timeline((l) => spec.map(([n, at, len]) => fault(n, at, len, l)));
    t.begin();
    clock.advanceTo(until);
    expect(faultEvents()).toEqual(want);
    expect(log).toEqual(want.map((w) => w.split('@')[0]));
  });

  it('a fault at 0 is active when begin() returns: the first arrival (taken right after) is already under it', () => {
    const { t, log } = timeline((l) => [fault('a', 0, null, l), fault('b', 1, null, l)]);
    t.begin();
    expect(log).toEqual(['+a']);
  });

  it('a manual trigger starts and stops a fault by name, and says why when it cannot', () => {
    const { clock, t, faultEvents } = timeline((l) => [fault('m', null, 300, l), fault('s', 100, null, l)]);
    t.begin();
    clock.advanceTo(50);
    expect(t.startFault('nope')).toEqual({ ok: false, reason: 'no fault named nope in this run (its faults: m, s)' });
    expect(t.stopFault('m')).toEqual({ ok: false, reason: 'fault m is not active' });
    expect(t.startFault('m')).toEqual({ ok: true });
    expect(t.startFault('m')).toEqual({ ok: false, reason: 'fault m is already active' });
    clock.advanceTo(200);
    expect(t.stopFault('s')).toEqual({ ok: true });
    clock.advanceTo(1000);
    expect(faultEvents()).toEqual(['+m@50:manual', '+s@100:schedule', '-s@200:manual', '-m@350:schedule']);
    expect(t.status()).toEqual([
      { name: 'm', kind: 'test', manual: true, active: false, startedMs: 50, stoppedMs: 350 },
      { name: 's', kind: 'test', manual: false, active: false, startedMs: 100, stoppedMs: 200 },
    ]);
  });

  it('end() stops every active fault, naming why, and nothing starts after it', () => {
    const { clock, t, faultEvents, log } = timeline((l) => [fault('a', 100, null, l), fault('later', 800, 10, l)]);
    t.begin();
    clock.advanceTo(300);
    t.end('interrupted');
    t.end('end');
    clock.advanceTo(2000);
    expect(faultEvents()).toEqual(['+a@100:schedule', '-a@300:interrupted']);
    expect(log).toEqual(['+a', '-a']);
    expect(t.startFault('a')).toEqual({ ok: false, reason: 'the run is over' });
  });

  it('an interval names every fault active at some point of it (even one that ended inside it), by the faults\' own times', () => {
    const { clock, t } = timeline((l) => [fault('a', 100, 200, l), fault('b', 900, null, l)]);
    t.begin();
    clock.advanceTo(500);
    expect(t.takeIntervalFaults(0, 500)).toEqual(['a']);
    // a close that runs late (at 1,200 for the interval ending at 800) goes by the faults' times, not its own
    clock.advanceTo(1200);
    expect(t.takeIntervalFaults(500, 800)).toEqual([]);
    expect(t.takeIntervalFaults(800, 1300)).toEqual(['b']);
    expect(t.takeIntervalFaults(1300, 1800)).toEqual(['b']);
  });

  it('phases: one event when the phase playing changes', () => {
    const { t, events } = timeline(() => []);
    for (const ms of [0, 10, 999, 1000, 1500]) t.at(ms);
    expect(events.flatMap((e) => (e.type === 'phase' ? [[e.index, e.tMs]] : []))).toEqual([[0, 0], [1, 1000]]);
  });
});

describe('Engine with faults (fake clock)', () => {
  async function run(faults: (log: string[]) => ScheduledFault[], hook?: (clock: FakeClock, e: Engine) => void) {
    const clock = new FakeClock();
    const phases = [constant(100, 3000)];
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 5, outcome: '2xx' }));
    const log: string[] = [];
    const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe, faults: faults(log) });
    const events: EngineEvent[] = [];
    e.on((ev) => events.push(ev));
    hook?.(clock, e);
    const done = e.run();
    await clock.runUntilIdle();
    return { result: await done, events, log };
  }

  it('every interval snapshot carries the faults active in it, and a fault still on at the end is stopped before the end event', async () => {
    const { events, log } = await run((l) => [fault('early', 500, 700, l), fault('tail', 2500, null, l)]);
    const intervals = events.flatMap((e) => (e.type === 'interval' ? [e.snapshot.faults ?? []] : []));
    expect(intervals).toEqual([['early'], ['early'], ['tail']]);
    expect(log).toEqual(['+early', '-early', '+tail', '-tail']);
    const types = events.map((e) => (e.type === 'fault-stop' ? `${e.type}:${e.name}:${e.by}` : e.type)).filter((x) => x.startsWith('fault-stop') || x === 'end');
    expect(types).toEqual(['fault-stop:early:schedule', 'fault-stop:tail:end', 'end']);
  });

  it('stop() mid-fault reverts it (by: interrupted) and the run still ends', async () => {
    const { result, events, log } = await run((l) => [fault('storm', 200, null, l)], (clock, e) => {
      clock.setTimer(() => e.stop(), 1200);
    });
    expect(result.reason).toBe('interrupted');
    expect(log).toEqual(['+storm', '-storm']);
    expect(events.find((e) => e.type === 'fault-stop')).toMatchObject({ name: 'storm', by: 'interrupted' });
  });

  it('a manual fault through the engine: startFault / stopFault while running, refused before and after', async () => {
    let before: unknown;
    const { events, log } = await run((l) => [fault('gd', null, null, l)], (clock, e) => {
      before = e.startFault('gd');
      clock.setTimer(() => e.startFault('gd'), 1000);
      clock.setTimer(() => e.stopFault('gd'), 1500);
    });
    expect(before).toEqual({ ok: false, reason: 'the run is not sending (idle)' });
    expect(log).toEqual(['+gd', '-gd']);
    expect(events.filter((e) => e.type === 'fault-start' || e.type === 'fault-stop').map((e) => (e as { by: string }).by)).toEqual(['manual', 'manual']);
  });
});

describe('fault events reach the journal and the plain lines', () => {
  it('the results writer records each start and stop; the reader gives them back in order; the plain logger names them', async () => {
    const dir = tempDir();
    const writer = new ResultsWriter(dir);
    const lines: string[] = [];
    const plain = createPlainLogger((l) => lines.push(l));
    const clock = new FakeClock();
    const phases = [constant(100, 2000)];
    const target = new FakeTarget(clock, (t) => ({ atMs: t + 5, outcome: '2xx' }));
    const f = (name: string, atMs: number | null, forMs: number | null): ScheduledFault => ({ name, kind: 'poison', atMs, forMs, apply: { start() {}, stop() {} } });
    const e = new Engine({ plan: testPlan(phases), schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe, faults: [f('p1', 300, 400), f('p2', 1500, null)] });
    e.on(writer.listener).on(plain);
    const done = e.run();
    await clock.runUntilIdle();
    await done;
    const j = readJournal(dir);
    expect(j.faults.map((x) => [x.type, x.name, x.tMs, x.by, x.activeMs ?? null])).toEqual([
      ['fault-start', 'p1', 300, 'schedule', null], ['fault-stop', 'p1', 700, 'schedule', 400],
      ['fault-start', 'p2', 1500, 'schedule', null], ['fault-stop', 'p2', 2000, 'end', 500],
    ]);
    expect(j.intervals.map((i) => i.faults ?? [])).toEqual([['p1'], ['p2']]);
    expect(lines).toContain('-- fault p1 (poison) started at 0.3s');
    expect(lines).toContain('-- fault p1 (poison) stopped at 0.7s after 400ms');
    expect(lines).toContain('-- fault p2 (poison) stopped at 2.0s after 500ms (the load ended)');
  });
});
