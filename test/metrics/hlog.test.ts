import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogram, percentilesMs, recordMs } from '../../src/metrics/histogram.js';
import { HlogWriter } from '../../src/metrics/hlog.js';
import { readHlogFile } from '../../src/metrics/hlog-stream.js';
import { tempDir } from '../support/cli.js';

type Hists = { latency: ReturnType<typeof createHistogram>; serviceTime: ReturnType<typeof createHistogram>; scheduleLag: ReturnType<typeof createHistogram>; waiting: ReturnType<typeof createHistogram> };
const hists = (): Hists => ({ latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram(), waiting: createHistogram() });

/** Writes `intervals` one-second intervals with `fill(i, h)` and returns the file's path. */
function writeLog(intervals: number, fill: (i: number, h: Hists) => void): string {
  const path = join(tempDir(), 'latency.hlog');
  const fd = openSync(path, 'w');
  const w = new HlogWriter(fd, 1_800_000_000_000);
  for (let i = 0; i < intervals; i++) {
    const h = hists();
    fill(i, h);
    w.writeInterval(h, i, i + 1);
  }
  closeSync(fd);
  return path;
}

describe('latency.hlog (HdrHistogram interval log)', () => {
  it('round-trips interval histograms exactly and merges them into the cumulative one', async () => {
    const all = createHistogram();
    const path = writeLog(5, (i, h) => {
      for (let k = 1; k <= 1000; k++) {
        const v = (k * (i + 1)) / 10;
        recordMs(h.latency, v);
        recordMs(all, v);
        recordMs(h.serviceTime, v / 2);
        recordMs(h.scheduleLag, 0.01);
      }
    });
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^#\[Histogram log format version 1\.3\]/m);
    expect(text).toMatch(/^#\[StartTime: 1800000000\.000/m);
    expect(text.match(/^Tag=latency,/gm)).toHaveLength(5);
    const seen: string[] = [];
    const read = await readHlogFile(path, (series, start, end) => seen.push(`${series}@${start}-${end}`));
    expect(seen.filter((x) => x.startsWith('latency@'))).toEqual(['latency@0-1', 'latency@1-2', 'latency@2-3', 'latency@3-4', 'latency@4-5']);
    const got = percentilesMs(read.cumulative.latency);
    const want = percentilesMs(all);
    // Percentiles are exact; the max decodes as its bucket's highest equivalent value (0.1 % resolution).
    expect({ ...got, max: 0 }).toEqual({ ...want, max: 0 });
    expect(got.max!).toBeGreaterThanOrEqual(want.max!);
    expect(got.max!).toBeLessThanOrEqual(want.max! * 1.001);
    expect(read.cumulative.serviceTime.totalCount).toBe(5000);
    expect(read.startEpochMs).toBe(1_800_000_000_000);
    expect(read.skippedLines).toBe(0);
  });

  it('skips a line cut short by a killed process, and reads a missing file as empty', async () => {
    const path = writeLog(4, (i, h) => {
      for (let k = 1; k <= 500; k++) recordMs(h.latency, k * (i + 1));
      recordMs(h.serviceTime, 3);
    });
    const text = readFileSync(path, 'utf8');
    expect((await readHlogFile(path)).cumulative.latency.totalCount).toBe(2000);
    const cutPath = join(tempDir(), 'cut.hlog');
    writeFileSync(cutPath, text.slice(0, text.lastIndexOf('Tag=latency,') + 40)); // the last interval's latency line, cut mid-way
    const cut = await readHlogFile(cutPath);
    expect(cut.cumulative.latency.totalCount).toBe(1500);
    expect(cut.cumulative.serviceTime.totalCount).toBe(3);
    expect(cut.skippedLines).toBe(1);
    expect((await readHlogFile(join(tempDir(), 'missing.hlog'))).cumulative.latency.totalCount).toBe(0);
  });
});
