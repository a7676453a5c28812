import { afterEach, describe, expect, it } from 'vitest';
import { Scheduler } from '../../src/sandbox/scheduler.js';

describe('Scheduler', () => {
  let s: Scheduler | undefined;
  afterEach(() => s?.close());

  it('runs due tasks in time order, ties in insertion order, never inside at()', () => {
    let now = 0;
    s = new Scheduler(() => now);
    const ran: string[] = [];
    for (const [t, name] of [[30, 'c'], [10, 'a'], [20, 'b1'], [20, 'b2'], [50, 'e']] as const) s.at(t, () => ran.push(name));
    expect(ran).toEqual([]);
    now = 25;
    s.runDue(now);
    expect(ran).toEqual(['a', 'b1', 'b2']);
    now = 100;
    s.runDue(now);
    expect(ran).toEqual(['a', 'b1', 'b2', 'c', 'e']);
    expect(s.pending).toBe(0);
  });

  it('defers a task added while running to a later tick', () => {
    s = new Scheduler(() => 0);
    let runs = 0;
    const again = (): void => {
      runs++;
      s!.at(0, again);
    };
    s.at(0, again);
    s.runDue(0);
    expect(runs).toBe(1);
    s.runDue(0);
    expect(runs).toBe(2);
  });

  it('passes the argument of atWith and keeps running after a task throws', () => {
    s = new Scheduler(() => 0);
    const got: number[] = [];
    const write = process.stderr.write;
    process.stderr.write = (() => true) as typeof process.stderr.write;
    try {
      s.at(1, () => {
        throw new Error('boom');
      });
      s.atWith(2, (n: number) => got.push(n), 42);
      s.runDue(5);
    } finally {
      process.stderr.write = write;
    }
    expect(got).toEqual([42]);
  });

  it('fires on its own timer with the real clock', async () => {
    s = new Scheduler(() => performance.now());
    const t0 = performance.now();
    const at = await new Promise<number>((resolve) => s!.after(20, () => resolve(performance.now())));
    expect(at - t0).toBeGreaterThanOrEqual(19);
  });

  it('runs nothing after close', () => {
    s = new Scheduler(() => 0);
    let ran = false;
    s.at(0, () => (ran = true));
    s.close();
    s.runDue(10);
    s.at(0, () => (ran = true));
    s.runDue(10);
    expect(ran).toBe(false);
  });
});
