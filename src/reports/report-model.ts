import { ControlledSchedule } from '../load/controlled-schedule.js';
import { createSchedule } from '../load/pacers.js';
import type { Schedule } from '../load/schedule.js';
import { readHlogFile } from '../metrics/hlog-stream.js';
import { comparisonWindows, WindowAccumulator, windowFigures, type PhaseSpan } from '../metrics/phase-stats.js';
import { readJournal, type Journal, type JournalControl } from '../results/journal-reader.js';
import { resultPath } from '../results/results-dir.js';
import { buildSummary, type Summary } from '../results/summary.js';
import { targetLabel } from '../targets/registry.js';
import { detect, type Detection } from './detection.js';
import { deriveFindings, type Finding } from './findings.js';
import { recoveryEvents } from './recovery.js';
import { sloRows, type SloRow } from './slo-model.js';
import { percentileSpectrum, type Spectrum } from './spectrum.js';
import { journalEvents, type TimelineEvent } from './timeline-events.js';
import { ThresholdReplay } from './threshold-replay.js';
import { TimelineBuckets, type TimelineBucket } from './timeline-buckets.js';

/**
 * Everything a report says about one run, built once from its results directory (journal.jsonl
 * and latency.hlog): the summary's figures (summary.json is this model's `summary`), the
 * timeline in buckets whose percentiles are merged from the hlog's interval histograms (never a
 * max or mean of interval percentiles), the journal's events in order, and the findings the data
 * supports. Every format (Markdown, JSON, JUnit, …) is a pure renderer of it; the run and
 * `rushhour report DIR` build it the same way, so they agree to the digit.
 */
export interface ReportModel {
  summary: Summary;
  timeline: TimelineBucket[];
  events: TimelineEvent[];
  findings: Finding[];
  /** Each threshold with its window, guardrail, first breach and error budget burned. */
  slos: SloRow[];
  /** The first threshold to fire, time to detect, and whether the pipeline's own signals moved first. */
  detection: Detection;
  /** The merged histograms read at many percentiles (the appendix). */
  spectrum: Spectrum;
  /** Unreadable lines skipped (a process killed mid-write): in the journal, in the hlog. */
  skipped: { journal: number; hlog: number };
  /** The journal as read (renderers needing more than the model's own fields read it here). */
  journal: Journal;
}

/** Most rows of the timeline; longer runs are folded into equal buckets of whole intervals. */
export const MAX_TIMELINE_BUCKETS = 60;

export async function buildReportModel(dir: string, targetDescription?: string): Promise<ReportModel> {
  const journal = readJournal(dir);
  const plan = journal.start.plan;
  const schedule = withControls(createSchedule(plan.phases), journal.controls, journal.end?.tMs ?? journal.intervals.at(-1)?.endMs ?? 0);
  const spans: PhaseSpan[] = plan.phases.map((p, i) => ({ index: i, name: p.name, kind: p.kind, startMs: schedule.phaseStartMs(i), endMs: schedule.phaseStartMs(i + 1) }));
  const windows = comparisonWindows(spans);
  const acc = new WindowAccumulator([...windows.phases, ...windows.afterGaps], windows.baselineExcludes);
  const buckets = new TimelineBuckets(journal.intervals, MAX_TIMELINE_BUCKETS);
  const replay = new ThresholdReplay(plan.thresholds, journal.intervals);
  const hlog = await readHlogFile(resultPath(dir, 'hlog'), (series, startSec, endSec, h) => {
    acc.visit(series, startSec, endSec, h);
    buckets.visit(series, startSec, endSec, h);
    replay.visit(series, startSec, endSec, h);
  }, replay.visitE2e);
  const summary = buildSummary({
    journal,
    cumulative: hlog.cumulative,
    planned: { arrivals: schedule.count, durationMs: schedule.durationMs, peakRate: Math.round(schedule.peakRate() * 1000) / 1000 },
    targetDescription: targetDescription ?? journal.start.target ?? targetLabel(plan.target),
    windows: windowFigures(spans, acc, windows.afterGaps),
    windowed: replay.results(),
  });
  const histograms = { ...hlog.cumulative, e2e: hlog.e2e };
  return {
    summary, timeline: buckets.rows(journal.outcomes), events: journalEvents(journal, recoveryEvents(journal)), findings: deriveFindings(summary),
    slos: sloRows(summary, plan.thresholds, journal, histograms), detection: detect(journal), spectrum: percentileSpectrum(histograms),
    skipped: { journal: journal.skippedLines, hlog: hlog.skippedLines }, journal,
  };
}


/** The schedule as the run played it: the journal's pauses, resumes and pace changes replayed over the plan (the plan itself when nobody touched the load); a pause still on at the end is closed there. */
function withControls(plan: Schedule, controls: readonly JournalControl[], endMs: number): Schedule {
  if (controls.length === 0) return plan;
  const s = new ControlledSchedule(plan);
  for (const c of controls) {
    if (c.type === 'pause') s.pause(c.tMs);
    else if (c.type === 'resume') s.resume(c.tMs);
    else s.setPace(c.tMs, c.factor);
  }
  if (s.paused) s.resume(endMs); // stopped while paused: nothing was due after the pause
  return s;
}
