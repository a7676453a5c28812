import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as hdr from 'hdr-histogram-js';
import { createHistogram, type Histogram } from './histogram.js';
import { TAG_SERIES, type SeriesName } from './series.js';

/** Called for each interval histogram read, in the log's (time) order; each line decodes a fresh histogram, which the visitor may keep. */
export type HlogVisitor = (series: SeriesName, startSec: number, endSec: number, histogram: Histogram) => void;
/** The same for the probes' end-to-end series (tag `e2e`). */
export type E2eVisitor = (startSec: number, endSec: number, histogram: Histogram) => void;

export interface HlogTotals {
  /** Start of the run (epoch ms) from the log's StartTime comment; 0 if absent. */
  startEpochMs: number;
  /** Merged over the run, except `waiting`: the last interval's (the arrivals without an answer when the log ends). */
  cumulative: Record<SeriesName, Histogram>;
  /** Lines that could not be decoded (e.g. the last line of a killed run). */
  skippedLines: number;
  /** End-to-end latency (tag `e2e`, written when a probe read the pipeline's output), merged over the run and the drain. */
  e2e: Histogram;
}

/**
 * Reads `latency.hlog` line by line in constant memory (a one-hour soak has ~11,000 lines):
 * each interval histogram is decoded, shown to `visit`, folded into the cumulative one and
 * dropped. A missing file reads as empty; a corrupt or cut line is skipped and counted.
 */
export async function readHlogFile(path: string, visit?: HlogVisitor, visitE2e?: E2eVisitor): Promise<HlogTotals> {
  const totals: HlogTotals = {
    startEpochMs: 0,
    cumulative: { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram(), waiting: createHistogram() },
    skippedLines: 0,
    e2e: createHistogram(),
  };
  if (!existsSync(path)) return totals;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) readLine(line, totals, visit, visitE2e);
  return totals;
}

function readLine(line: string, totals: HlogTotals, visit?: HlogVisitor, visitE2e?: E2eVisitor): void {
  if (line.startsWith('#[StartTime: ')) {
    totals.startEpochMs = Number.parseFloat(line.slice('#[StartTime: '.length)) * 1000 || 0;
    return;
  }
  if (line === '' || line.startsWith('#') || line.startsWith('"')) return;
  const fields = line.split(',');
  const tag = fields[0].startsWith('Tag=') ? fields.shift()!.slice(4) : '';
  const series = TAG_SERIES[tag];
  if (tag === E2E_TAG && fields.length === 4) return readE2e(fields, totals, visitE2e);
  if (!series || fields.length !== 4) {
    totals.skippedLines++;
    return;
  }
  const startSec = Number.parseFloat(fields[0]);
  const endSec = startSec + Number.parseFloat(fields[1]);
  let h: Histogram;
  try {
    h = hdr.decodeFromCompressedBase64(fields[3], 32, false);
  } catch {
    totals.skippedLines++;
    return;
  }
  if (series === 'waiting') totals.cumulative.waiting = h;
  else totals.cumulative[series].add(h);
  visit?.(series, startSec, endSec, h);
}

/** The hlog tag of the probes' end-to-end latency series. */
export const E2E_TAG = 'e2e';

function readE2e(fields: string[], totals: HlogTotals, visit?: E2eVisitor): void {
  let h: Histogram;
  try {
    h = hdr.decodeFromCompressedBase64(fields[3], 32, false);
  } catch {
    totals.skippedLines++;
    return;
  }
  totals.e2e.add(h);
  const startSec = Number.parseFloat(fields[0]);
  visit?.(startSec, startSec + Number.parseFloat(fields[1]), h);
}
