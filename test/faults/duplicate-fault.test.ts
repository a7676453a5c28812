import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/util/clock.js';
import { FakeClock } from '../support/fake-clock.js';
import { httpRig } from './send-http-support.js';
import { message, rig, startedFault } from './send-path-support.js';

describe('duplicate on the send path (fake target, fake clock)', () => {
  it('a picked message goes twice — the copy right after it, under the path\'s own slot — and the engine sees one done per message', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5, (_m, nth) => (nth === 2 ? '429' : '2xx'));
    const f = startedFault({ kind: 'duplicate', count: 3 }, clock, path);
    for (let n = 0; n < 5; n++) engine.send(message(n));
    await clock.runUntilIdle();
    expect(inner.seen.map((s) => `${s.messageId}${s.slot < 0 ? '*' : ''}`)).toEqual(['m0', 'm0*', 'm1', 'm1*', 'm2', 'm2*', 'm3', 'm4']);
    expect([...engine.done.keys()].sort()).toEqual([0, 1, 2, 3, 4]);
    expect([...engine.done.values()].every((d) => d.outcome === '2xx')).toBe(true);
    const e = f.effect();
    expect(e).toMatchObject({ messages: 3, examples: ['m0', 'm1', 'm2'] });
    expect(e.details).toEqual({ delayMs: 0, copies: 3, copiesAnswered: 3, copyOutcomes: { 429: 3 }, copiesSentEarly: 0 });
    expect(engine.problems).toEqual([]);
  });

  it('a delay: the copy goes that long after the original (on the clock); at stop the copies still waiting go at once', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5);
    const f = startedFault({ kind: 'duplicate', delay: '100ms' }, clock, path);
    engine.send(message(0));
    clock.advanceTo(150);
    expect(inner.seen.map((s) => [s.messageId, s.atMs])).toEqual([['m0', 0], ['m0', 100]]);
    engine.send(message(1));
    clock.advanceTo(160);
    f.scheduled.apply.stop();
    engine.send(message(2)); // after the stop: not copied
    await clock.runUntilIdle();
    expect(inner.seen.map((s) => [s.messageId, s.atMs])).toEqual([['m0', 0], ['m0', 100], ['m1', 150], ['m1', 160], ['m2', 160]]);
    expect(f.effect().details).toMatchObject({ copies: 2, copiesSentEarly: 1 });
  });

  it('a fraction picks by the seed: the same messages every time', () => {
    const picked = () => {
      const clock = new FakeClock();
      const { inner, path, engine } = rig(clock, 1000, 5);
      startedFault({ kind: 'duplicate', fraction: '20%' }, clock, path);
      for (let n = 0; n < 500; n++) engine.send(message(n, 10));
      return inner.seen.filter((s) => s.slot < 0).map((s) => s.messageId);
    };
    const a = picked();
    expect(a).toEqual(picked());
    expect(a.length).toBeGreaterThan(60);
    expect(a.length).toBeLessThan(140);
  });
});

describe('duplicate against a real loopback HTTP server', () => {
  it('the server receives every picked message twice, the others once', async () => {
    const r = await httpRig(() => 202);
    try {
      const f = startedFault({ kind: 'duplicate', fraction: '30%' }, systemClock, r.path);
      for (let n = 0; n < 50; n++) r.engine.send(message(n, 5));
      await r.settle(() => r.ids.length === 50 + f.effect().messages);
      const e = f.effect();
      const twice = [...new Set(r.ids)].filter((id) => r.ids.filter((x) => x === id).length === 2);
      expect(e.messages).toBeGreaterThan(5);
      expect(twice.length).toBe(e.messages);
      expect(r.ids.length).toBe(50 + e.messages);
      expect(e.details).toMatchObject({ copiesAnswered: e.messages, copyOutcomes: { '2xx': e.messages } });
      expect(r.engine.done.size).toBe(50);
      expect(r.engine.problems).toEqual([]);
    } finally {
      await r.close();
    }
  });
});
