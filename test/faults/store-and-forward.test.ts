import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/util/clock.js';
import { FakeClock } from '../support/fake-clock.js';
import { httpRig } from './send-http-support.js';
import { message, rig, startedFault } from './send-path-support.js';

describe('store-and-forward on the send path (fake target, fake clock)', () => {
  it('the selected vehicles send nothing while active; at stop their readings go in one burst, vehicle by vehicle, oldest first, as built', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 4, 5);
    const f = startedFault({ kind: 'store-and-forward', vehicles: 2, for: '10s' }, clock, path, 3);
    const silent = new Set<string>();
    for (let n = 0; n < 30; n++) {
      clock.advanceTo(n * 100);
      const m = message(n, 3);
      engine.send(m);
      if (!inner.seen.some((s) => s.messageId === m.messageId)) silent.add(m.vehicleId);
    }
    expect(silent.size).toBe(2); // the same two vehicles throughout
    expect(inner.seen.length).toBe(10); // only the third vehicle's
    clock.advanceTo(3000);
    expect(path.capacity).toBe(20 + 4); // the 20 buffered count for themselves: the engine still sees the full room
    f.scheduled.apply.stop();
    expect(path.load).toMatchObject({ inInner: 4, queued: 16 }); // the burst waits in the path's queue, the target holds 4
    await clock.runUntilIdle();
    expect(inner.problems).toEqual([]);
    const burst = inner.seen.slice(10).map((s) => s.messageId);
    const vehicleOf = (id: string) => Number(id.slice(1)) % 3;
    expect(burst.length).toBe(20);
    expect(new Set(burst.slice(0, 10).map(vehicleOf)).size).toBe(1); // one vehicle's backlog, then the other's
    expect(burst.slice(0, 10).map((id) => Number(id.slice(1)))).toEqual([...burst.slice(0, 10).map((id) => Number(id.slice(1)))].sort((a, b) => a - b));
    expect(engine.done.size).toBe(30);
    const e = f.effect();
    expect(e.messages).toBe(20);
    expect(e.details).toMatchObject({ vehicles: 2, buffered: 20, stillBuffered: 0, burstSize: 20, bursts: [{ size: 20, vehicles: 2, answered: 20, ok: 20 }] });
    expect((e.details as { longestSilenceMs: number }).longestSilenceMs).toBeGreaterThanOrEqual(2800);
    expect((e.details as { burstRatePerSec: number }).burstRatePerSec).toBeGreaterThan(100);
    expect(engine.problems).toEqual([]);
  });

  it('the engine\'s flush flushes the buffer too', async () => {
    const clock = new FakeClock();
    const { inner, path, engine } = rig(clock, 4, 5);
    startedFault({ kind: 'store-and-forward', vehicles: 3, for: '10m' }, clock, path, 3);
    for (let n = 0; n < 6; n++) engine.send(message(n, 3));
    expect(inner.seen.length).toBe(0);
    path.flush();
    await clock.runUntilIdle();
    expect(engine.done.size).toBe(6);
  });
});

describe('store-and-forward against a real loopback HTTP server', () => {
  it('the server sees nothing of the silent vehicles until the stop, then all of it with the original sentAt', async () => {
    const r = await httpRig(() => 202);
    try {
      const f = startedFault({ kind: 'store-and-forward', vehicles: 1, for: '1m' }, systemClock, r.path, 4);
      const sent = Array.from({ length: 40 }, (_, n) => message(n, 4));
      for (const m of sent) r.engine.send(m);
      await r.settle(() => r.ids.length === 30);
      expect(r.ids.length).toBe(30);
      f.scheduled.apply.stop();
      await r.settle();
      expect(r.ids.length).toBe(40);
      expect(r.engine.done.size).toBe(40);
      expect(f.effect().details).toMatchObject({ vehicles: 1, buffered: 10, burstSize: 10 });
    } finally {
      await r.close();
    }
  });
});
