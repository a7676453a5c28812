import { closeSync, openSync, writeSync } from 'node:fs';
import type { RunEvent } from '../engine/events.js';
import { E2E_TAG } from '../metrics/hlog-stream.js';
import { HlogWriter } from '../metrics/hlog.js';
import { maskProbes } from '../scenario/probes-schema.js';
import type { RunPlan } from '../scenario/run-plan.js';
import { maskTarget } from '../targets/registry.js';
import { eventRecord } from './event-record.js';
import { resultPath } from './results-dir.js';

/** 2: interval snapshots carry `outcomes` (the fate of arrivals by the interval they were due in) and censored latency. */
export const JOURNAL_VERSION = 2;

/** The plan as it is stored and shown: every secret of the target masked by its kind. */
export function publicPlan(plan: RunPlan): RunPlan {
  // journals of older runs have no probes block
  return { ...plan, target: maskTarget(plan.target), ...(plan.probes ? { probes: maskProbes(plan.probes) } : {}) };
}

/**
 * Consumer of engine events that writes the results directory as the run goes:
 * `journal.jsonl` (one JSON object per line: start, phase, interval, warning, … every run event
 * as it is, e.g. `fault-effects` and `cold-start-tax` before `end`) and
 * `latency.hlog`. Every line is written synchronously, so a killed run keeps all closed intervals.
 */
export class ResultsWriter {
  private journalFd: number | undefined;
  private hlog: HlogWriter | undefined;
  private hlogFd: number | undefined;

  /** `startExtras` are merged into the start record (e.g. the target's description, sandbox URLs). */
  constructor(private readonly dir: string, private readonly startExtras: Record<string, unknown> = {}) {}

  readonly listener = (e: RunEvent): void => {
    switch (e.type) {
      case 'start':
        this.journalFd = openSync(resultPath(this.dir, 'journal'), 'a');
        this.hlogFd = openSync(resultPath(this.dir, 'hlog'), 'a');
        this.hlog = new HlogWriter(this.hlogFd, e.startEpochMs);
        this.line({ ...eventRecord(e), ...this.startExtras });
        break;
      case 'interval':
        this.line(eventRecord(e));
        this.hlog?.writeInterval(e.histograms, e.snapshot.startMs / 1000, e.snapshot.endMs / 1000);
        if (e.e2e) this.hlog?.writeTagged(e.e2e, E2E_TAG, e.snapshot.startMs / 1000, e.snapshot.endMs / 1000);
        break;
      case 'drain':
        this.line(eventRecord(e));
        if (e.e2e) this.hlog?.writeTagged(e.e2e, E2E_TAG, e.startMs / 1000, e.tMs / 1000);
        break;
      case 'end':
        this.line(e);
        this.close();
        break;
      default:
        this.line(e);
    }
  };

  close(): void {
    for (const fd of [this.journalFd, this.hlogFd]) if (fd !== undefined) closeSync(fd);
    this.journalFd = undefined;
    this.hlogFd = undefined;
    this.hlog = undefined;
  }

  private line(record: object): void {
    if (this.journalFd === undefined) return;
    writeSync(this.journalFd, JSON.stringify(record) + '\n');
  }
}
