import { Engine } from '../../src/engine/engine.js';
import { ControlledSchedule } from '../../src/load/controlled-schedule.js';
import { createSchedule } from '../../src/load/pacers.js';
import type { PhaseSpec } from '../../src/load/phase.js';
import { ResultsWriter } from '../../src/results/journal-writer.js';
import { prepareResultsDir } from '../../src/results/results-dir.js';
import type { RunPlan } from '../../src/scenario/run-plan.js';
import { tempDir } from './cli.js';
import { FakeClock, noLagProbe } from './fake-clock.js';
import { FakeTarget } from './fake-target.js';
import { fakeSource, testPlan } from './test-plan.js';

/** How the fake target answers request `n` (1-based) written at `t` ms: when, and with what. */
export type Respond = (n: number, t: number) => { atMs: number; outcome: string };

/**
 * A real results directory (journal.jsonl, latency.hlog) from an engine run on the fake clock
 * against a fake target — what report tests build their models from. `plan` adds to the test plan
 * (e.g. thresholds); `acts` are called at run times (ms) with the engine (e.g. to pause the load).
 */
export async function recordedRun(phases: PhaseSpec[], respond: Respond, plan: Partial<RunPlan> = {}, acts: [number, (e: Engine) => unknown][] = []): Promise<string> {
  const clock = new FakeClock();
  let n = 0;
  const target = new FakeTarget(clock, (t) => respond(++n, t));
  const full = { ...testPlan(phases, {}), ...plan };
  const dir = tempDir('rushhour-recorded-');
  prepareResultsDir(dir);
  const writer = new ResultsWriter(dir, { target: 'fake' });
  const engine = new Engine({ plan: full, schedule: new ControlledSchedule(createSchedule(phases)), source: fakeSource, warmupSource: fakeSource, target, clock, lagProbe: noLagProbe });
  engine.on(writer.listener);
  for (const [at, act] of acts) clock.setTimer(() => act(engine), at);
  const done = engine.run();
  await clock.runUntilIdle(1_000_000);
  await done;
  return dir;
}
