import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/load/pacers.js';
import { DeliveryTracker } from '../../src/probes/delivery-tracker.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { forwardedOrder, NO_INJECTION, STANDARD_INJECTION, type InjectionRule } from '../support/injected-pipeline.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

const START = Date.UTC(2026, 11, 1, 12);
const COUNT = 100_000;

/**
 * The tracker over the real id ↔ arrival mapping: 100,000 messages of a 1,000-vehicle fleet
 * through a "pipeline" that drops 1 %, duplicates 0.5 % and swaps neighbours by a seeded rule
 * (a hash of n, so the expected counts are known exactly), read back by messageId.
 */
function run(o: InjectionRule) {
  const fleet = fleetConfig({ vehicles: 1000 });
  const source = createMessageSource(fleet, 21);
  const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: COUNT / 10, rate: 10_000 }]);
  const tracker = new DeliveryTracker({ seed: 21, vehicles: 1000, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
  tracker.started(START);
  const { out, swaps } = forwardedOrder(o, source, COUNT);
  // The output trails the load by LAG arrivals (two messages of each vehicle): within the window.
  const LAG = 2000;
  let i = 0;
  for (let n = 0; n < COUNT + LAG; n++) {
    if (n < COUNT) {
      tracker.sent(n);
      tracker.accepted(n);
    }
    for (; i < out.length && out[i] <= n - LAG; i++) tracker.observe(source.next(out[i], 0).messageId, START + pacer.dueAt(out[i]) + 250);
  }
  for (; i < out.length; i++) tracker.observe(source.next(out[i], 0).messageId, START + pacer.dueAt(out[i]) + 250);
  return { ...tracker.finish('test'), swaps };
}


describe('DeliveryTracker: exact counts through the real fleet ids', () => {
  it('nothing injected: zero of each, every message seen, e2e as the pipeline delayed them', () => {
    const t = run(NO_INJECTION);
    expect(t).toMatchObject({ accepted: COUNT, seen: COUNT, lost: 0, duplicated: 0, reordered: 0, unexpected: 0, late: 0, pending: 0, swaps: 0 });
    expect(t.e2eLatency.count).toBe(COUNT);
    expect(t.e2eLatency.p50).toBeCloseTo(250, 0);
  });

  it('drops 1 %, duplicates 0.5 %, swaps a vehicle\'s neighbours: exactly those counts, with the lost ids', () => {
    const { drop, dup } = STANDARD_INJECTION;
    const dropped = Array.from({ length: COUNT }, (_, n) => n).filter(drop);
    const t = run(STANDARD_INJECTION);
    expect(t.lost).toBe(dropped.length);
    expect(t.duplicated).toBe(Array.from({ length: COUNT }, (_, n) => n).filter(dup).length);
    expect(t.swaps).toBeGreaterThan(100);
    expect(t.reordered).toBe(t.swaps);
    expect(t.unexpected).toBe(0);
    expect(t.seen + t.lost + t.pending).toBe(t.accepted);
    const source = createMessageSource(fleetConfig({ vehicles: 1000 }), 21);
    const droppedIds = new Set(dropped.map((n) => source.next(n, 0).messageId));
    expect(t.lostExamples).toHaveLength(20);
    for (const e of t.lostExamples) expect(droppedIds.has(e.messageId)).toBe(true);
  });

  it('ids of another run are unexpected; the warm-up\'s are ignored', () => {
    const fleet = fleetConfig({ vehicles: 10 });
    const source = createMessageSource(fleet, 5);
    const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: 1000, rate: 100 }]);
    const tracker = new DeliveryTracker({ seed: 5, vehicles: 10, schedule: source.schedule, pacer, window: 64, vehicleId: String, ignoreSeeds: [77] });
    tracker.observe(createMessageSource(fleet, 6).next(0, 0).messageId, START);
    tracker.observe(createMessageSource(fleet, 77).next(0, 0).messageId, START);
    tracker.observe('not-an-id', START);
    expect(tracker.counts()).toMatchObject({ unexpected: 2, seen: 0 });
  });
});
