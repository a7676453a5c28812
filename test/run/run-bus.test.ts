import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../src/engine/events.js';
import { eventRecord } from '../../src/results/event-record.js';
import { RunBus } from '../../src/run/run-bus.js';
import type { RunPlan } from '../../src/scenario/run-plan.js';
import { createJsonlLogger } from '../../src/ui/jsonl-logger.js';
import { testPlan } from '../support/test-plan.js';

const at = '2027-01-15T08:00:00.000Z';
const phase = (tMs: number): RunEvent => ({ type: 'phase', at, tMs, index: 0, name: 'p', kind: 'constant' });
const warning = (tMs: number): RunEvent => ({ type: 'warning', at, tMs, code: 'generator-behind', message: 'late' });
const end: RunEvent = { type: 'end', at, tMs: 9000, reason: 'completed', totals: { due: 0, sent: 0, written: 0, completed: 0, answered: 0, unanswered: 0, ok: 0, failed: 0, dropped: 0 }, errors: {}, unfinished: 0, generatorCpuMs: 1 };

function planWithSecret(): RunPlan {
  const p = testPlan([{ kind: 'constant', name: 'p', durationMs: 1000, rate: 10 }]);
  return { ...p, target: { ...p.target, headers: { Authorization: 'Bearer s3cret' } } as RunPlan['target'] };
}

describe('the run bus (one stream of run events: producers publish, consumers subscribe)', () => {
  it('delivers in order to consumers in subscription order; a reactor\'s events come right after the one it reacted to', () => {
    const bus = new RunBus();
    const a: string[] = [];
    const b: string[] = [];
    bus.subscribe((e) => a.push(`${e.type}@${'tMs' in e ? e.tMs : ''}`));
    bus.subscribe((e) => b.push(e.type));
    bus.react((e) => {
      if (e.type === 'phase') bus.publish(warning(e.tMs + 1));
    });
    bus.publish(phase(1000));
    bus.publish(phase(2000));
    expect(a).toEqual(['phase@1000', 'warning@1001', 'phase@2000', 'warning@2001']);
    expect(b).toEqual(['phase', 'warning', 'phase', 'warning']);
  });

  it('lets each beforeEnd hook publish before end, in registration order; end is last and nothing after it is delivered', () => {
    const bus = new RunBus();
    const seen: string[] = [];
    bus.subscribe((e) => seen.push('tMs' in e ? `${e.type}@${e.tMs}` : e.type));
    bus.beforeEnd((e) => bus.publish(warning(e.tMs - 2)));
    bus.beforeEnd((e) => bus.publish(phase(e.tMs - 1)));
    bus.publish(end);
    bus.publish(phase(10_000));
    expect(seen).toEqual(['warning@8998', 'phase@8999', 'end@9000']);
  });

  it('publishes the start event with the public plan (secrets masked), never the raw one', () => {
    const bus = new RunBus();
    const seen: RunEvent[] = [];
    bus.subscribe((e) => seen.push(e));
    const plan = planWithSecret();
    bus.publish({ type: 'start', at, startEpochMs: 0, plan, warmup: { requests: 0, ok: 0, failed: 0, answered: 0, unanswered: 0, errors: {}, durationMs: 0, gaveUp: false } });
    const published = (seen[0] as Extract<RunEvent, { type: 'start' }>).plan;
    expect(JSON.stringify(published)).not.toContain('s3cret');
    expect((published.target as { headers: Record<string, string> }).headers.Authorization).not.toBe('Bearer s3cret');
    expect((plan.target as { headers: Record<string, string> }).headers.Authorization).toBe('Bearer s3cret');
  });

  it('--log jsonl prints exactly the journal\'s line for each event (one serialization)', () => {
    const lines: string[] = [];
    const log = createJsonlLogger((l) => lines.push(l));
    const events: RunEvent[] = [phase(0), warning(5), end, { type: 'pause', at, tMs: 100, by: 'manual' }, { type: 'rate', at, tMs: 200, by: 'manual', factor: 1.1 }];
    for (const e of events) log(e);
    expect(lines).toEqual(events.map((e) => JSON.stringify(eventRecord(e))));
    expect(JSON.parse(lines[4])).toEqual({ type: 'rate', at, tMs: 200, by: 'manual', factor: 1.1 });
  });
});
