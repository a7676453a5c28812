import { writeSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import { createHistogram, type Histogram } from './histogram.js';
import { SERIES, SERIES_TAG, TAG_SERIES, type SeriesName } from './series.js';

/**
 * Writes `latency.hlog` in the HdrHistogram interval log format (v1.3), one tagged line per
 * series per interval (Tag=latency|service|lag). Timestamps are seconds relative to the run's
 * StartTime comment; values are MICROSECONDS (the Interval_Max column is in ms: ratio 1000).
 * Lines are written synchronously so a run that is killed keeps every closed interval.
 */
export class HlogWriter {
  private readonly writer: hdr.HistogramLogWriter;

  constructor(private readonly fd: number, startEpochMs: number) {
    this.writer = new hdr.HistogramLogWriter((text) => writeSync(this.fd, text));
    this.writer.outputLogFormatVersion();
    this.writer.outputComment('rushhour latency log: values in microseconds; tags latency (from intended time), service (from actual send), lag (send - intended)');
    this.writer.outputStartTime(startEpochMs);
    this.writer.outputLegend();
  }

  /** startSec/endSec: interval bounds in seconds from the run's start. */
  writeInterval(hists: Record<SeriesName, Histogram>, startSec: number, endSec: number): void {
    for (const name of SERIES) {
      const h = hists[name];
      h.tag = SERIES_TAG[name];
      this.writer.outputIntervalHistogram(h, startSec, endSec, 1000);
    }
  }
}

export interface HlogInterval {
  startSec: number;
  endSec: number;
  histogram: Histogram;
}

export interface HlogContents {
  /** Start time of the run (epoch ms), 0 if the log has none. */
  startEpochMs: number;
  intervals: Record<SeriesName, HlogInterval[]>;
  cumulative: Record<SeriesName, Histogram>;
}

/** Called for each interval histogram read; the histogram may be reused after the call returns. */
export type HlogVisitor = (series: SeriesName, startSec: number, endSec: number, histogram: Histogram) => void;

/**
 * Reads a log written by HlogWriter. A truncated last line (a killed run) is skipped, not an error.
 * Interval histograms are kept only when `keepIntervals` is true (memory grows with run length);
 * `visit` sees every interval as it is read, in constant memory.
 */
export function readHlog(text: string, keepIntervals = false, visit?: HlogVisitor): HlogContents {
  const lines = text.split('\n');
  const complete = text.endsWith('\n') ? lines : lines.slice(0, -1);
  const reader = new hdr.HistogramLogReader(complete.join('\n'));
  const cumulative = { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram() };
  const intervals: Record<SeriesName, HlogInterval[]> = { latency: [], serviceTime: [], scheduleLag: [] };
  for (;;) {
    let h: Histogram | null;
    try {
      h = reader.nextIntervalHistogram();
    } catch {
      continue; // a corrupt line (e.g. cut by a kill) — skip it
    }
    if (h === null) break;
    const series = TAG_SERIES[h.tag];
    if (!series) continue;
    cumulative[series].add(h);
    const startSec = h.startTimeStampMsec / 1000 - reader.baseTimeSec;
    const endSec = h.endTimeStampMsec / 1000 - reader.baseTimeSec;
    visit?.(series, startSec, endSec, h);
    if (keepIntervals) intervals[series].push({ startSec, endSec, histogram: h });
  }
  return { startEpochMs: reader.startTimeSec * 1000, intervals, cumulative };
}
