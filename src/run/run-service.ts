import { Engine } from '../engine/engine.js';
import type { RunControl } from '../engine/engine-types.js';

export type { RunControl } from '../engine/engine-types.js';
import type { EventListener, WarmupResult } from '../engine/events.js';
import { unreachableClass } from '../engine/warmup.js';
import { ControlledSchedule } from '../load/controlled-schedule.js';
import { createSchedule } from '../load/pacers.js';
import type { Summary } from '../results/summary.js';
import { ResultsWriter } from '../results/journal-writer.js';
import { prepareResultsDir, removeIfEmpty } from '../results/results-dir.js';
import { estimatePlanCost } from '../scenario/describe-plan.js';
import type { RunPlan } from '../scenario/run-plan.js';
import { costLine, formatUsd } from '../targets/cost.js';
import { checkSamples, openingNote, openTarget, shapeOptions } from '../targets/registry.js';
import { startFaultControl } from './fault-control.js';
import { SendPath } from '../faults/send-path.js';
import { combineWatches } from './completion-watches.js';
import { ColdStartWatch } from './cold-start-watch.js';
import { createRunFaults, followMessages, needsSendPath, publishFaultEffects, releaseFaults } from './fault-setup.js';
import { createProbes } from './probe-setup.js';
import { ProbeStream } from './probe-stream.js';
import { RunBus } from './run-bus.js';
import { unreachableError } from '../targets/unreachable.js';
import { systemClock } from '../util/clock.js';
import { UserError } from '../util/user-error.js';
import { IDENTITY_SAMPLES, type MessageIdentity } from '../payload/identity.js';
import { createShapedSource, planIdentity, sampleBodies, type ShapeOptions } from '../payload/sources.js';
import { finalizeResults } from './finalize-results.js';
import { ThresholdChecker } from './threshold-checker.js';

export interface RunOptions {
  plan: RunPlan;
  outDir: string;
  /** Consumers of the run's events besides the results writer (loggers, live view), subscribed to its bus in this order. */
  listeners: EventListener[];
  /** Called once the engine exists, so the caller can wire signals to `stop` and the live view's keys to the rest. */
  onStarted?: (control: RunControl) => void;
  /** Called with a line of progress before the clock starts (e.g. "starting the sandbox"). */
  note?: (line: string) => void;
  /** Run even when the cost estimate is above the scenario's budget. */
  overBudgetOk?: boolean;
}

export interface RunOutcome {
  summary: Summary;
  dir: string;
}

/** Seed salt for the warm-up messages, so they never repeat the run's own message ids. */
const WARMUP_SEED_SALT = 0x7f4a7c15;

/**
 * Runs a plan end to end: results directory, target (and sandbox), engine with its consumers,
 * then summary.json and report.md derived from the results directory. The target is always
 * disposed, whatever happens.
 */
export async function executeRun(o: RunOptions): Promise<RunOutcome> {
  const { plan, outDir } = o;
  checkBudget(plan, o.overBudgetOk ?? false);
  // A payload module that does not load is a user error before anything is created or recorded.
  const shape = shapeOptions(plan.target);
  const source = await createShapedSource(plan.fleet, plan.seed, plan.payload, shape);
  const warmupSeed = (plan.seed ^ WARMUP_SEED_SALT) >>> 0;
  const warmupSource = await createShapedSource(plan.fleet, warmupSeed, plan.payload, shape);
  const identity = await checkShape(plan, shape, o.note);
  const created = prepareResultsDir(outDir);
  // the live view's keys may pause the load or nudge its pace: every reader of the schedule sees the same warped times
  const schedule = new ControlledSchedule(createSchedule(plan.phases));
  const note = openingNote(plan.target);
  if (note) o.note?.(note);
  // Aborted when the run is stopped: batching targets stop retrying and send what they hold.
  const stopping = new AbortController();
  const opened = await openTarget(plan.target, { clock: systemClock, signal: stopping.signal, shapedBodies: plan.payload !== undefined });
  for (const w of opened.warnings ?? []) o.note?.(w);
  try {
    const writer = new ResultsWriter(outDir, { target: opened.description, ...opened.info, identity: { idPath: identity.idPath ?? null, seqPath: identity.seqPath ?? null } });
    const checkWarmup = (w: WarmupResult) => {
      const cls = unreachableClass(w);
      if (cls !== undefined) throw unreachableError(cls, opened.target.endpoint, opened.url, w.requests);
    };
    const followed = followMessages(plan);
    const { probes, tracker } = createProbes(plan, opened, source, schedule, warmupSeed, identity, followed?.hooks);
    const sendPath = needsSendPath(plan) ? new SendPath(opened.target) : undefined;
    const target = sendPath ?? opened.target;
    const faults = beforeAnyRecord(created ? outDir : undefined, () => createRunFaults(plan, source, identity, shape.textOnly !== undefined, {
      clock: systemClock, ...(sendPath ? { sendPath } : {}), ...(opened.pipeline ? { sandboxUrl: opened.pipeline.baseUrl } : {}), ...(followed ? { trace: followed.trace } : {}),
    }));
    const taxWatch = ColdStartWatch.forRun(plan.phases, schedule);
    const completions = combineWatches([followed?.watch, taxWatch]);
    // A guardrail's breach stops the run like Ctrl-C, but the probes still drain (set once the engine exists).
    let abortRun = (): void => {};
    const bus = new RunBus();
    for (const consumer of [writer.listener, ...o.listeners]) bus.subscribe(consumer);
    // before `end`, in this order: the windowed thresholds' final verdicts, the cold-start tax, the faults' effects
    new ThresholdChecker(plan.thresholds, () => abortRun()).attach(bus);
    taxWatch?.attach(bus);
    publishFaultEffects(bus, faults);
    const stream = new ProbeStream(probes, tracker, bus.publish, { drainMs: plan.probes.drainMs, intervalMs: plan.engine.intervalMs, window: plan.probes.window });
    const engine = new Engine({ plan, schedule, source, warmupSource, target, checkWarmup, faults: faults.map((f) => f.scheduled), ...(tracker ? { delivery: tracker } : {}), ...(completions ? { completions } : {}) });
    engine.on(stream.listener);
    abortRun = () => {
      sendPath?.abort();
      engine.stop('aborted');
    };
    const control = plan.faults.length > 0 ? await startFaultControl(outDir, engine) : undefined;
    o.onStarted?.({
      stop: () => {
        sendPath?.abort(); // no more retries; what is held goes on
        engine.stop();
        stream.stop();
        stopping.abort();
      },
      pause: () => engine.pause(),
      resume: () => engine.resume(),
      setPace: (factor) => engine.setPace(factor),
      startFault: (name) => engine.startFault(name),
      stopFault: (name) => engine.stopFault(name),
    });
    try {
      await stream.start();
      await engine.run();
      await releaseFaults(faults);
      await control?.close();
      await stream.done(); // the probes' drain; then the end event closes the journal and the hlog
    } catch (e) {
      // Failed before the clock (the target is unreachable): nothing was recorded, leave no empty directory.
      await releaseFaults(faults);
      await control?.close();
      await stream.close();
      if (created) removeIfEmpty(outDir);
      throw e;
    }
    await opened.dispose(); // stop the sandbox before the summary is derived, not after
    const summary = await finalizeResults(outDir, opened.description);
    return { summary, dir: outDir };
  } finally {
    await opened.dispose();
  }
}

/** Runs `make`; when it throws (a user error in the faults, e.g. a missing ${ENV}), the results directory it created is removed again if still empty. */
function beforeAnyRecord<T>(createdDir: string | undefined, make: () => T): T {
  try {
    return make();
  } catch (e) {
    if (createdDir !== undefined) removeIfEmpty(createdDir);
    throw e;
  }
}

/**
 * The shaped messages before any load: where their id and seq are (for the journal), a refusal
 * when a payload module fails on every sample, and warnings (no id kept, the sandbox's schema).
 */
async function checkShape(plan: RunPlan, shape: ShapeOptions, note: ((line: string) => void) | undefined): Promise<MessageIdentity> {
  const identity = await planIdentity(plan, shape);
  if (identity.everyMessageFails !== undefined) {
    throw new UserError(`payload.module fails on every message, so the run would send nothing: ${identity.everyMessageFails}`, { hint: 'see it with: rushhour validate SCENARIO --sample 3' });
  }
  for (const w of identity.warnings) note?.(`WARNING: ${w}`);
  for (const w of checkSamples(plan.target, await sampleBodies(plan, IDENTITY_SAMPLES, shape)).warnings) note?.(`WARNING: ${w}`);
  return identity;
}

/** A run estimated above its scenario's budget does not start (nothing is sent or recorded) unless the user said yes. */
function checkBudget(plan: RunPlan, overBudgetOk: boolean): void {
  const budget = plan.cost?.budgetUsd;
  if (budget === undefined) return;
  const c = estimatePlanCost(plan);
  if (!c || c.usd <= budget || overBudgetOk) return;
  throw new UserError(`the run is estimated to cost ${formatUsd(c.usd)} on AWS, above the scenario's budget of ${formatUsd(budget)} (${costLine(c, plan.cost!.prices)})`, {
    hint: 'pass --yes to run it anyway, raise cost.budget, or shorten the run (--duration) or lower its rate (--rate)',
  });
}
