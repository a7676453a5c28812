import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogram, percentilesMs, recordMs } from '../../src/metrics/histogram.js';
import { HlogWriter, readHlog } from '../../src/metrics/hlog.js';
import { readHlogFile } from '../../src/metrics/hlog-stream.js';
import { writeFileSync } from 'node:fs';
import { tempDir } from '../support/cli.js';

describe('latency.hlog (HdrHistogram interval log)', () => {
  it('round-trips interval histograms exactly and merges them into the cumulative one', () => {
    const path = join(tempDir(), 'latency.hlog');
    const fd = openSync(path, 'w');
    const w = new HlogWriter(fd, 1_800_000_000_000);
    const all = createHistogram();
    for (let i = 0; i < 5; i++) {
      const h = { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram() };
      for (let k = 1; k <= 1000; k++) {
        const v = (k * (i + 1)) / 10;
        recordMs(h.latency, v);
        recordMs(all, v);
        recordMs(h.serviceTime, v / 2);
        recordMs(h.scheduleLag, 0.01);
      }
      w.writeInterval(h, i, i + 1);
    }
    closeSync(fd);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(/^#\[Histogram log format version 1\.3\]/m);
    expect(text).toMatch(/^#\[StartTime: 1800000000\.000/m);
    expect(text.match(/^Tag=latency,/gm)).toHaveLength(5);
    const read = readHlog(text, true);
    expect(read.intervals.latency.map((i) => [i.startSec, i.endSec])).toEqual([[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
    const got = percentilesMs(read.cumulative.latency);
    const want = percentilesMs(all);
    // Percentiles are exact; the max decodes as its bucket's highest equivalent value (0.1 % resolution).
    expect({ ...got, max: 0 }).toEqual({ ...want, max: 0 });
    expect(got.max).toBeGreaterThanOrEqual(want.max);
    expect(got.max).toBeLessThanOrEqual(want.max * 1.001);
    expect(read.cumulative.serviceTime.totalCount).toBe(5000);
    expect(read.startEpochMs).toBe(1_800_000_000_000);
  });

  it('skips a line cut short by a killed process', () => {
    const path = join(tempDir(), 'latency.hlog');
    const fd = openSync(path, 'w');
    const w = new HlogWriter(fd, 1_800_000_000_000);
    const h = { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram() };
    recordMs(h.latency, 5);
    w.writeInterval(h, 0, 1);
    w.writeInterval(h, 1, 2);
    closeSync(fd);
    const text = readFileSync(path, 'utf8');
    const lastLatency = text.lastIndexOf('Tag=latency,');
    const cut = text.slice(0, lastLatency + 40); // the second interval's latency line, cut mid-way
    expect(readHlog(cut).cumulative.latency.totalCount).toBe(1);
    expect(readHlog(text).cumulative.latency.totalCount).toBe(2);
  });

  it('the streaming reader gives the same figures as the whole-file reader and skips a cut line', async () => {
    const path = join(tempDir(), 'latency.hlog');
    const fd = openSync(path, 'w');
    const w = new HlogWriter(fd, 1_800_000_000_000);
    for (let i = 0; i < 4; i++) {
      const h = { latency: createHistogram(), serviceTime: createHistogram(), scheduleLag: createHistogram() };
      for (let k = 1; k <= 500; k++) recordMs(h.latency, k * (i + 1));
      recordMs(h.serviceTime, 3);
      w.writeInterval(h, i, i + 1);
    }
    closeSync(fd);
    const text = readFileSync(path, 'utf8');
    const seen: string[] = [];
    const streamed = await readHlogFile(path, (series, start, end) => seen.push(`${series}@${start}-${end}`));
    expect(percentilesMs(streamed.cumulative.latency)).toEqual(percentilesMs(readHlog(text).cumulative.latency));
    expect(streamed.cumulative.serviceTime.totalCount).toBe(4);
    expect(streamed.startEpochMs).toBe(1_800_000_000_000);
    expect(seen.filter((x) => x.startsWith('latency@'))).toEqual(['latency@0-1', 'latency@1-2', 'latency@2-3', 'latency@3-4']);
    const cutPath = join(tempDir(), 'cut.hlog');
    writeFileSync(cutPath, text.slice(0, text.lastIndexOf('Tag=latency,') + 40));
    const cut = await readHlogFile(cutPath);
    expect(cut.cumulative.latency.totalCount).toBe(1500);
    expect(cut.skippedLines).toBe(1);
    expect((await readHlogFile(join(tempDir(), 'missing.hlog'))).cumulative.latency.totalCount).toBe(0);
  });
});
