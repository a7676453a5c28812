import { writeSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import type { Histogram } from './histogram.js';
import { SERIES, SERIES_TAG, type SeriesName } from './series.js';

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

  /**
   * One more series' interval (e.g. `e2e`, the probes' end-to-end latency: seen in the output −
   * intended time), tagged `tag`; startSec/endSec as for writeInterval.
   */
  writeTagged(h: Histogram, tag: string, startSec: number, endSec: number): void {
    h.tag = tag;
    this.writer.outputIntervalHistogram(h, startSec, endSec, 1000);
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
