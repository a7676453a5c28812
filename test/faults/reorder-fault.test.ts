import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/util/clock.js';
import { FakeClock } from '../support/fake-clock.js';
import { httpRig } from './send-http-support.js';
import { message, rig, startedFault } from './send-path-support.js';

describe('reorder on the send path (fake target, fake clock)', () => {
  it('a held message goes right after `by` later messages of its vehicle; other vehicles do not count', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5);
    const f = startedFault({ kind: 'reorder', count: 1, by: 2 }, clock, path, 2);
    // two vehicles taking turns: m0 (V0 seq 1) is held; V1's m1, m3 do not count; V0's m2, m4 do
    for (let n = 0; n < 6; n++) engine.send(message(n, 2));
    await clock.runUntilIdle();
    expect(inner.seen.map((s) => s.messageId)).toEqual(['m1', 'm2', 'm3', 'm4', 'm0', 'm5']);
    expect(engine.done.size).toBe(6);
    expect(f.effect()).toMatchObject({ messages: 1, examples: ['m0'], details: { by: 2, held: 1, released: { afterLater: 1, maxHold: 0, atStop: 0 }, stillHeld: 0 } });
  });

  it('a vehicle that sends nothing more: the held message goes after maxHold; the fault\'s stop releases what is held', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5);
    const f = startedFault({ kind: 'reorder', by: 5, maxHold: '50ms' }, clock, path);
    engine.send(message(0));
    clock.advanceTo(40);
    engine.send(message(1));
    clock.advanceTo(60);
    expect(inner.seen.map((s) => [s.messageId, s.atMs])).toEqual([['m0', 50]]);
    f.scheduled.apply.stop();
    expect(inner.seen.map((s) => [s.messageId, s.atMs])).toEqual([['m0', 50], ['m1', 60]]);
    await clock.runUntilIdle();
    expect(engine.done.size).toBe(2);
    expect(f.effect().details).toMatchObject({ held: 2, released: { afterLater: 0, maxHold: 1, atStop: 1 }, longestHoldMs: 50 });
    expect(path.load).toEqual({ pending: 0, inInner: 0, queued: 0 });
  });

  it('the engine\'s flush releases every hold (nothing waits for maxHold at the end)', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 8, 5);
    startedFault({ kind: 'reorder', by: 3, maxHold: '10m' }, clock, path);
    for (let n = 0; n < 4; n++) engine.send(message(n, 4));
    path.flush();
    expect(inner.seen.length).toBe(4);
    await clock.runUntilIdle();
    expect(engine.done.size).toBe(4);
  });
});

describe('reorder against a real loopback HTTP server', () => {
  it('the server receives each held message after the later one of its vehicle', async () => {
    const r = await httpRig(() => 202, 1); // one connection: the server's order is the send order
    try {
      const f = startedFault({ kind: 'reorder', fraction: '25%', by: 1, maxHold: '5s' }, systemClock, r.path, 1);
      for (let n = 0; n < 40; n++) r.engine.send(message(n, 1));
      r.path.flush();
      await r.settle();
      const e = f.effect();
      expect(e.messages).toBeGreaterThan(3);
      expect(r.ids.length).toBe(40);
      const seqs = r.ids.map((id) => Number(id.slice(1)) + 1);
      const outOfOrder = seqs.filter((s, i) => i > 0 && s < Math.max(...seqs.slice(0, i))).length;
      expect(outOfOrder).toBeGreaterThan(0);
      expect(outOfOrder).toBeLessThanOrEqual(e.messages);
    } finally {
      await r.close();
    }
  });
});
