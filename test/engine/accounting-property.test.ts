import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import type { EngineResult } from '../../src/engine/engine-types.js';
import { createSchedule } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { readJournal } from '../../src/results/journal-reader.js';
import { ResultsWriter } from '../../src/results/journal-writer.js';
import { prepareResultsDir } from '../../src/results/results-dir.js';
import type { Summary } from '../../src/results/summary.js';
import { finalizeResults } from '../../src/run/finalize-results.js';
import { seededRandom } from '../../src/sandbox/random.js';
import { tempDir } from '../support/cli.js';
import { FakeClock, noLagProbe } from '../support/fake-clock.js';
import { FakeTarget } from '../support/fake-target.js';
import { fakeSource, testPlan } from '../support/test-plan.js';

/** How the target treats one request: answers (ok or 5xx), fails before answering, times out, or never answers. */
const BEHAVIOURS = ['ok', '5xx', 'refused', 'reset', 'timeout', 'hang'] as const;

const scenario = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  rate: fc.integer({ min: 5, max: 800 }),
  durationMs: fc.integer({ min: 200, max: 4000 }),
  intervalMs: fc.constantFrom(100, 250, 1000),
  maxInFlight: fc.integer({ min: 1, max: 400 }),
  capacity: fc.oneof(fc.constant(Infinity), fc.integer({ min: 1, max: 64 })),
  weights: fc.array(fc.integer({ min: 0, max: 10 }), { minLength: BEHAVIOURS.length, maxLength: BEHAVIOURS.length }),
  maxLatencyMs: fc.integer({ min: 0, max: 3000 }),
  drainTimeoutMs: fc.integer({ min: 0, max: 2000 }),
  stopAtMs: fc.option(fc.integer({ min: 0, max: 4000 }), { nil: undefined }),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Runs the engine under the fake clock against a target that behaves at random, writing a real results directory. */
async function run(s: Scenario): Promise<{ result: EngineResult; summary: Summary; dir: string }> {
  const rnd = seededRandom(s.seed);
  const total = s.weights.reduce((a, w) => a + w, 0) || 1;
  const pick = () => {
    let u = rnd() * total;
    for (let i = 0; i < BEHAVIOURS.length; i++) if ((u -= s.weights[i]) < 0) return BEHAVIOURS[i];
    return 'ok';
  };
  const clock = new FakeClock();
  const target = new FakeTarget(clock, (t) => {
    const b = pick();
    const at = t + rnd() * s.maxLatencyMs;
    if (b === 'hang') return { atMs: Infinity, outcome: '2xx' };
    if (b === 'ok') return { atMs: at, outcome: '2xx' };
    if (b === '5xx') return { atMs: at, outcome: '5xx' };
    if (b === 'timeout') return { atMs: t + s.maxLatencyMs, outcome: 'timeout' };
    return { atMs: t + rnd() * 5, outcome: b, responded: false };
  });
  target.capacity = s.capacity;
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: s.durationMs, rate: s.rate }];
  const plan = testPlan(phases, { maxInFlight: s.maxInFlight, intervalMs: s.intervalMs, drainTimeoutMs: s.drainTimeoutMs });
  const dir = tempDir('rushhour-prop-');
  prepareResultsDir(dir);
  const writer = new ResultsWriter(dir, { target: 'fake' });
  const engine = new Engine({ plan, schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
  engine.on(writer.listener);
  if (s.stopAtMs !== undefined) clock.setTimer(() => engine.stop(), s.stopAtMs);
  const done = engine.run();
  await clock.runUntilIdle(1_000_000);
  const result = await done;
  const summary = await finalizeResults(dir, 'fake');
  return { result, summary, dir };
}

describe('every due arrival ends in exactly one outcome (property, fake clock)', () => {
  it('due = ok + failed + dropped + unfinished in every interval and for the run; every rate within 0..1; latency describes every due arrival', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const { result, summary, dir } = await run(s);
        const journal = readJournal(dir);
        // every interval that had arrivals due has a final fate, and it adds up
        for (const o of journal.outcomes) {
          expect(o.ok + o.failed + o.dropped + o.pending, `interval ${o.index}`).toBe(o.due);
          for (const v of [o.ok, o.failed, o.dropped, o.pending]) expect(v).toBeGreaterThanOrEqual(0);
          expect(Object.values(o.errors).reduce((a, v) => a + v, 0)).toBe(o.failed);
        }
        const c = summary.counts;
        expect(c.ok + c.failed + c.dropped + c.unfinished).toBe(c.due);
        expect(journal.outcomes.reduce((a, o) => a + o.due, 0)).toBe(c.due);
        expect(c.unfinished).toBe(result.unfinished);
        expect(c.due).toBeLessThanOrEqual(c.planned);
        if (s.stopAtMs === undefined) expect(c.due).toBe(c.planned);
        for (const r of [summary.okRate, summary.errorRate, summary.dropRate, summary.unfinishedRate, summary.answeredRate, summary.latency.answeredFraction]) {
          expect(r).toBeGreaterThanOrEqual(0);
          expect(r).toBeLessThanOrEqual(1);
        }
        expect(summary.okRate + summary.errorRate + summary.dropRate + summary.unfinishedRate).toBeCloseTo(c.due === 0 ? 0 : 1, 5);
        // latency: every due arrival, as a recorded value, a lower bound, or never answered
        expect(summary.latency.count).toBe(c.due);
        expect(summary.latency.waiting).toBe(c.unfinished);
        expect(summary.latency.censored).toBe(c.unfinished + c.dropped + (c.completed - summary.latency.recorded) > 0);
        // the engine's own totals agree with what the results directory says
        expect(result.totals).toMatchObject({ ok: c.ok, failed: c.failed, dropped: c.dropped, sent: c.sent });
        // no PASS without answers: nothing ok means exit 1
        if (c.due > 0 && c.ok === 0 && result.reason === 'completed') expect(summary.exitCode).toBe(1);
        if (c.ok > 0 && result.reason === 'completed') expect(summary.verdict).toBe('NO THRESHOLDS');
      }),
      { numRuns: 60, seed: 20261201 },
    );
  }, 120_000);
});
