import type { ColdStartTax } from '../metrics/cold-start-tax.js';
import type { FaultEffect } from '../metrics/fault-types.js';
import { existsSync } from 'node:fs';
import type { WarmupResult } from '../engine/events.js';
import type { Counts, IntervalSnapshot, SlowRequest } from '../metrics/interval-snapshot.js';
import type { CohortOutcome } from '../metrics/outcome-ledger.js';
import type { DeliveryTotals, ProbeReadings } from '../metrics/probe-readings.js';
import type { ThresholdEventBody } from '../metrics/threshold-windows.js';
import type { RunPlan } from '../scenario/run-plan.js';
import { readLinesSync } from '../util/read-lines.js';
import { UserError } from '../util/user-error.js';
import { resultPath } from './results-dir.js';

export interface JournalStart {
  type: 'start';
  version: number;
  at: string;
  startEpochMs: number;
  plan: RunPlan;
  warmup: WarmupResult;
  /** The target as described when the run started (no secrets). */
  target?: string;
}

export interface JournalEnd {
  type: 'end';
  at: string;
  tMs: number;
  reason: 'completed' | 'interrupted' | 'aborted';
  totals: Counts;
  errors: Record<string, number>;
  unfinished: number;
  /** CPU time of the generator process while the clock ran, ms (absent in older journals). */
  generatorCpuMs?: number;
}

export interface JournalWarning {
  type: 'warning';
  at: string;
  tMs: number;
  code: string;
  message: string;
}

export interface JournalPhase {
  type: 'phase';
  at: string;
  tMs: number;
  index: number;
  name: string;
  kind: string;
}

export interface JournalDrain {
  type: 'drain';
  at: string;
  tMs: number;
  probes: ProbeReadings;
}

export interface JournalDelivery {
  type: 'delivery';
  at: string;
  tMs: number;
  drainMs: number;
  window: number;
  totals: DeliveryTotals;
}

/** A fault started or stopped (the engine's timeline), as the journal holds it. */
export interface JournalFault {
  type: 'fault-start' | 'fault-stop';
  at: string;
  tMs: number;
  name: string;
  kind: string;
  by: string;
  /** fault-stop only: how long it was active, ms. */
  activeMs?: number;
}

/** The live threshold checker's word (src/run/threshold-checker.ts): a breach or recovery at an interval close, or a windowed threshold's final verdict. */
export type JournalThreshold = { type: 'threshold'; at: string; tMs: number } & ThresholdEventBody;

/** A hand on the load (the live view's keys): a pause, a resume (with how long it was paused), a new pace relative to the plan. */
export type JournalControl =
  | { type: 'pause'; at: string; tMs: number; by: string }
  | { type: 'resume'; at: string; tMs: number; by: string; pausedMs: number }
  | { type: 'rate'; at: string; tMs: number; by: string; factor: number };

export interface Journal {
  start: JournalStart;
  phases: JournalPhase[];
  /** Every fault start and stop, in order. */
  faults: JournalFault[];
  /** What each fault did (recorded just before `end`); absent without faults, or when killed. */
  faultEffects?: FaultEffect[];
  /** The cold-start tax after each idle gap (recorded just before `end`); absent without idle gaps, in older journals, or when killed. */
  coldStartTax?: ColdStartTax[];
  intervals: (IntervalSnapshot & { at: string })[];
  warnings: JournalWarning[];
  /** Absent when the run was killed before it ended. */
  end?: JournalEnd;
  /** The probes' readings while they drained after the load, one per interval. */
  drains: JournalDrain[];
  /** The delivery matcher's totals; absent without an output consumer (or when killed before the drain ended). */
  delivery?: JournalDelivery;
  /**
   * The fate of the arrivals due in each interval, by interval index: the last state the journal
   * holds of each. What is still `pending` in it stayed unfinished (no answer when the run ended,
   * or when the process was killed). due = ok + failed + dropped + pending in every one.
   */
  outcomes: CohortOutcome[];
  /** Every threshold breach, recovery and final verdict, in order (empty without thresholds, or in older journals). */
  thresholdEvents: JournalThreshold[];
  /** Every pause, resume and pace change, in order (empty when nobody touched the load, or in older journals). */
  controls: JournalControl[];
  /** The slowest requests of the whole run (at most SLOWEST_KEPT), slowest first; the intervals' own lists are folded into it. */
  slowest: SlowRequest[];
  /** Lines that could not be parsed (e.g. the last line of a killed run). */
  skippedLines: number;
}

/** How many of the slowest requests the reader keeps. */
export const SLOWEST_KEPT = 10;

export type { SlowRequest };

/**
 * Reads `journal.jsonl` of a results directory, line by line (never the whole file at once);
 * tolerant of a truncated last line. What grows with the run's length is kept lean: each
 * interval's cohort outcomes are folded into the run's fate as they are read and its slowest
 * requests into the run's top SLOWEST_KEPT, so the intervals kept carry neither (`outcomes` and
 * `slowest` are empty in `journal.intervals`).
 */
export function readJournal(dir: string): Journal {
  const path = resultPath(dir, 'journal');
  if (!existsSync(path)) {
    throw new UserError(`${path} not found: ${dir} is not a rushhour results directory`, { hint: 'pass the directory a run wrote, e.g. runs/20261127T101500Z-smoke' });
  }
  const journal: Partial<Journal> & Pick<Journal, 'phases' | 'faults' | 'intervals' | 'warnings' | 'drains' | 'thresholdEvents' | 'controls' | 'slowest' | 'skippedLines'> = {
    phases: [], faults: [], intervals: [], warnings: [], drains: [], thresholdEvents: [], controls: [], slowest: [], skippedLines: 0,
  };
  const fate = new Map<number, CohortOutcome>();
  readLinesSync(path, (line) => {
    if (line.trim() === '') return;
    let rec: { type?: string };
    try {
      rec = JSON.parse(line) as { type?: string };
    } catch {
      journal.skippedLines++;
      return;
    }
    if (rec.type === 'interval') journal.intervals.push(leanInterval(rec as unknown as Journal['intervals'][number], fate, journal.slowest));
    else take(journal, rec);
  });
  if (!journal.start) {
    throw new UserError(`${path} has no start record; the run did not get past its start`, { hint: 'nothing to report on: run it again' });
  }
  journal.outcomes = [...fate.values()].sort((a, b) => a.index - b.index);
  return journal as Journal;
}

/** Keeps a record that is not an interval snapshot where the journal holds it. */
function take(journal: Partial<Journal> & Pick<Journal, 'phases' | 'faults' | 'warnings' | 'drains' | 'thresholdEvents' | 'controls'>, rec: { type?: string }): void {
  if (rec.type === 'start') journal.start = rec as JournalStart;
  else if (rec.type === 'phase') journal.phases.push(rec as JournalPhase);
  else if (rec.type === 'fault-start' || rec.type === 'fault-stop') journal.faults.push(rec as JournalFault);
  else if (rec.type === 'fault-effects') journal.faultEffects = (rec as { effects: FaultEffect[] }).effects;
  else if (rec.type === 'cold-start-tax') journal.coldStartTax = (rec as { taxes: ColdStartTax[] }).taxes;
  else if (rec.type === 'warning') journal.warnings.push(rec as JournalWarning);
  else if (rec.type === 'end') journal.end = rec as JournalEnd;
  else if (rec.type === 'drain') journal.drains.push(rec as JournalDrain);
  else if (rec.type === 'delivery') journal.delivery = rec as JournalDelivery;
  else if (rec.type === 'threshold') journal.thresholdEvents.push(rec as JournalThreshold);
  else if (rec.type === 'pause' || rec.type === 'resume' || rec.type === 'rate') journal.controls.push(rec as JournalControl);
}

/**
 * Folds an interval's cohort outcomes into `fate` (the last state journaled of each cohort wins;
 * journals older than the outcome ledger fall back to the interval's own counts) and its slowest
 * requests into `slowest`; returns the interval without either.
 */
function leanInterval(i: Journal['intervals'][number], fate: Map<number, CohortOutcome>, slowest: SlowRequest[]): Journal['intervals'][number] {
  if (i.outcomes === undefined) {
    const { due, ok, failed, dropped } = i.counts;
    fate.set(i.index, { index: i.index, due, ok, failed, dropped, pending: Math.max(0, due - ok - failed - dropped), errors: i.errors });
  } else for (const o of i.outcomes) fate.set(o.index, o);
  for (const r of i.slowest ?? []) {
    if (slowest.length === SLOWEST_KEPT && r.latencyMs <= slowest[SLOWEST_KEPT - 1].latencyMs) continue;
    slowest.push(r);
    slowest.sort((a, b) => b.latencyMs - a.latencyMs);
    if (slowest.length > SLOWEST_KEPT) slowest.pop();
  }
  return { ...i, outcomes: [], slowest: [] };
}

/** The guardrail breach that stopped the run, if one did. */
export function abortingBreach(journal: Journal): JournalThreshold | undefined {
  return journal.thresholdEvents.find((e) => e.state === 'breach' && e.aborts === true);
}

