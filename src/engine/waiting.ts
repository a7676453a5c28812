import type { LatencyRecorder } from '../metrics/recorder.js';
import type { EngineSchedule } from './engine-types.js';
import { SLOT_RUN, type InFlightSlots } from './slots.js';

/** Arrivals due but not yet taken whose exact age is recorded; the rest count at age 0 (a lower bound). */
const MAX_UNTAKEN_AGES = 10_000;

/** Arrivals due in interval `index` (by intended time), among the first `limit` arrivals of the schedule. */
export function dueInInterval(schedule: EngineSchedule, intervalMs: number, limit: number, index: number): number {
  return Math.min(schedule.countBefore((index + 1) * intervalMs), limit) - Math.min(schedule.countBefore(index * intervalMs), limit);
}

/**
 * Records the age at `nowMs` of every arrival of the run still without an answer into the
 * waiting histogram: those holding a slot (sent, or in the backlog), and those already due but
 * not yet taken by the dispatcher (arrivals `next` .. `limit` - 1 due before `nowMs`). Those
 * waiting `overdueFromMs` or more are also overdue (see LatencyRecorder).
 */
export function recordWaiting(rec: LatencyRecorder, slots: InFlightSlots, schedule: EngineSchedule, next: number, limit: number, nowMs: number, overdueFromMs: number): void {
  const { kind, dueMs, capacity } = slots;
  for (let i = 0; i < capacity; i++) if (kind[i] === SLOT_RUN) rec.recordWaiting(nowMs - dueMs[i], overdueFromMs);
  const untaken = Math.min(schedule.countBefore(nowMs), limit);
  let n = next;
  for (; n < untaken && n - next < MAX_UNTAKEN_AGES; n++) rec.recordWaiting(nowMs - schedule.dueAt(n), overdueFromMs);
  rec.recordWaiting(0, overdueFromMs, untaken - n);
}
