import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../../src/load/phase.js';
import { countAboveUs, createHistogram } from '../../src/metrics/histogram.js';
import type { ThresholdSpec } from '../../src/metrics/thresholds.js';
import { throughputPoints } from '../../src/reports/charts/chart-data.js';
import { detect, detectionLines } from '../../src/reports/detection.js';
import { renderMarkdownReport } from '../../src/reports/markdown-report.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { budgetText, errorBudget, type BudgetHistograms } from '../../src/reports/slo-model.js';
import { percentileSpectrum } from '../../src/reports/spectrum.js';
import type { Journal } from '../../src/results/journal-reader.js';
import type { Summary } from '../../src/results/summary.js';
import { parseThreshold } from '../../src/scenario/thresholds.js';
import { recordedRun } from '../support/recorded-run.js';

function histogramOfMs(values: number[]) {
  const h = createHistogram();
  for (const v of values) h.recordValue(Math.round(v * 1000));
  return h;
}

const spec = (text: string) => {
  const s = parseThreshold(text);
  if ('error' in s) throw new Error(s.error);
  return s as ThresholdSpec;
};

describe('countAboveUs (values above a bound, read from a histogram)', () => {
  const h = histogramOfMs([1, 2, 3, 4, 5, 100, 200, 300, 400, 500]);
  it.each([
    [0.5, 10], [1, 9], [4.5, 6], [5, 5], [99, 5], [250, 3], [500, 0], [1000, 0],
  ])('above %s ms: %s', (ms, expected) => {
    expect(countAboveUs(h, ms * 1000)).toBe(expected);
  });
  it('an empty histogram has none above anything', () => expect(countAboveUs(createHistogram(), 0)).toBe(0));
});

describe('error budgets (what an SLO allows to go wrong over the run, and what the run spent)', () => {
  const summary = {
    counts: { due: 1000, ok: 950, failed: 30, dropped: 15, unfinished: 5, answered: 960 },
    latency: { count: 1000, neverAnswered: 15 },
    delivery: { lost: 2, unexpected: 0 },
  } as unknown as Summary;
  // 1000 arrivals: 970 recorded (960 at 10 ms, 10 at 900 ms), 15 waiting at 2 s, 15 never answered
  const h: BudgetHistograms = {
    latency: histogramOfMs([...Array(960).fill(10), ...Array(10).fill(900)]),
    waiting: histogramOfMs(Array(15).fill(2000)),
    serviceTime: histogramOfMs([...Array(990).fill(5), ...Array(10).fill(700)]),
    e2e: createHistogram(),
  };
  it.each([
    ['error_rate < 5%', 50, 30, 0.6],
    ['error_rate < 1%', 10, 30, 3],
    ['drop_rate <= 2%', 20, 15, 0.75],
    ['ok_rate >= 90%', 100, 50, 0.5],
    ['answered_rate > 99%', 10, 40, 4],
    // slower than 500 ms: 10 recorded + 15 waiting + 15 never answered = 40; p99 allows 1 % of 1000
    ['p99 < 500ms', 10, 40, 4],
    ['p90 < 500ms', 100, 40, 0.4],
    ['service_p99 < 500ms', 10, 10, 1],
    ['lost == 0', 0, 2, null],
    ['lost < 5', 4, 2, 0.5],
  ])('%s: %s allowed, %s spent, burned %s', (text, allowed, spent, burned) => {
    const b = errorBudget(spec(text), summary, h)!;
    expect(b).not.toBeNull();
    expect(b.allowed).toBeCloseTo(allowed, 6);
    expect(b.spent).toBe(spent);
    if (burned === null) expect(b.burned).toBeNull();
    else expect(b.burned).toBeCloseTo(burned, 4);
  });
  it.each(['p99 > 1ms', 'achieved_rate >= 99%', 'dlq_depth == 0', 'e2e_p99 < 1s', 'max < 1s'])('%s has no budget', (text) => {
    expect(errorBudget(spec(text), summary, h)).toBeNull();
  });
  it('says it in words', () => {
    expect(budgetText({ what: 'failed arrivals', allowed: 50, spent: 30, burned: 0.6 })).toBe('60 % burned (30 of 50 failed arrivals allowed)');
    expect(budgetText({ what: 'lost messages', allowed: 0, spent: 2, burned: null })).toBe('none allowed, 2 spent');
    expect(budgetText(null)).toBe('–');
  });
});

type DetectJournal = Parameters<typeof detect>[0];
const at = (ms: number) => new Date(Date.UTC(2027, 0, 15, 8) + ms).toISOString();
function journalOf(opts: { faultAt?: number; breachAt?: number; dlq?: readonly number[]; ages?: readonly number[] }): DetectJournal {
  const n = Math.max(opts.dlq?.length ?? 0, opts.ages?.length ?? 0);
  const intervals = Array.from({ length: n }, (_, i) => ({
    startMs: i * 1000, endMs: (i + 1) * 1000,
    probes: { ...(opts.dlq ? { queues: [{ name: 'dlq', role: 'dlq', visible: opts.dlq[i], notVisible: 0, delayed: 0 }] } : {}), ...(opts.ages ? { shards: [{ id: 's-0', iteratorAgeMs: opts.ages[i], blocked: false }] } : {}) },
  }));
  return {
    faults: opts.faultAt === undefined ? [] : [{ type: 'fault-start', at: at(opts.faultAt), tMs: opts.faultAt, name: 'stall', kind: 'poison', by: 'schedule' }],
    thresholdEvents: opts.breachAt === undefined ? [] : [{ state: 'breach', tMs: opts.breachAt, at: at(opts.breachAt), index: 0, source: 'p99 < 200ms over 2s' } as Journal['thresholdEvents'][number]],
    intervals: intervals as unknown as Journal['intervals'],
    drains: [],
  };
}

describe('detection (time to detect; did the pipeline\'s own signals move before the SLO?)', () => {
  it.each([
    // fault at 3 s, DLQ rises at the 5 s close, breach at 7 s: detected 4 s after the fault, the DLQ 2 s ahead
    [{ faultAt: 3000, breachAt: 7000, dlq: [0, 0, 0, 0, 2, 5, 9, 9] }, 4000, 'DLQ depth', 5000, 2000],
    // the signal after the SLO: negative lead
    [{ faultAt: 3000, breachAt: 4000, dlq: [1, 1, 1, 1, 1, 1, 3, 3] }, 1000, 'DLQ depth', 7000, -3000],
    // iterator age must double and rise by at least 1 s: 800 → 1,500 is not a move, 2,500 is
    [{ faultAt: 2000, breachAt: 6000, ages: [800, 800, 1500, 1500, 2500, 2600] }, 4000, 'iterator age', 5000, 1000],
    // no breach: the signal moved with no SLO noticing
    [{ faultAt: 2000, dlq: [0, 0, 0, 4, 4] }, null, 'DLQ depth', 4000, null],
  ] as const)('%j', (opts, ttd, name, movedAt, lead) => {
    const d = detect(journalOf(opts));
    expect(d.timeToDetectMs).toBe(ttd);
    const g = d.signals.find((x) => x.name === name)!;
    expect(g.movedAtMs).toBe(movedAt);
    expect(g.leadMs).toBe(lead);
  });

  it('a signal that never moves, a breach without a fault, and no probes at all are each said', () => {
    const flat = detect(journalOf({ faultAt: 1000, breachAt: 2000, dlq: [0, 0, 0, 0] }));
    expect(flat.signals[0].movedAtMs).toBeNull();
    expect(detectionLines(flat).join('\n')).toContain('DLQ depth: did not move (0 before the fault, peak 0).');
    const noFault = detect(journalOf({ breachAt: 2000 }));
    expect(noFault.timeToDetectMs).toBeNull();
    expect(detectionLines(noFault)[0]).toContain('no fault ran: the load alone broke it');
    expect(detectionLines(noFault).join('\n')).toContain('whether they moved first is unknown');
    expect(detectionLines(detect(journalOf({ faultAt: 2000, dlq: [0, 0, 0, 4] }))).join('\n')).toContain('no SLO noticed: alarm on it');
  });
});

describe('percentile spectrum', () => {
  it('reads each percentile from the merged histogram and leaves out the ones too few samples support', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i + 1);
    const sp = percentileSpectrum({ latency: histogramOfMs(values), serviceTime: histogramOfMs([5]), e2e: createHistogram() });
    const row = (p: number) => sp.rows.find((r) => r.percentile === p)!;
    expect(row(50).latencyMs).toBeCloseTo(500, -1);
    expect(row(99.9).latencyMs).toBeCloseTo(999, -1);
    expect(row(99.99).latencyMs).toBeNull();
    expect(row(100).latencyMs).toBeCloseTo(1000, -1);
    expect(row(50).serviceMs).toBeNull();
    expect(row(100).serviceMs).toBeCloseTo(5, 1);
    expect(sp.rows.every((r) => r.e2eMs === null)).toBe(true);
  });
});

describe('the Markdown report (inline snapshots of its postmortem sections, on a fake-clock run)', () => {
  it('writes the SLOs with windows and budgets, the impact, detection, factors, the review and the spectrum', async () => {
    const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: 4000, rate: 200 }];
    // requests written in [2 s, 3 s) stall until 3.2 s; every 50th answers 5xx (2 %)
    const dir = await recordedRun(phases, (n, t) => ({ atMs: t >= 2000 && t < 3000 ? 3200 : t + 4, outcome: n % 50 === 0 ? '5xx' : '2xx' }), {
      thresholds: ['p99 < 500ms', 'error_rate < 5%', 'p50 < 100ms over 1s'].map(spec),
    });
    const model = await buildReportModel(dir, 'fake');
    // no live checker ran here (no `final` in the journal): the windowed SLO is judged again from the hlog — its worst window is in the stall
    const windowed = model.summary.thresholds[2];
    expect(windowed).toMatchObject({ source: 'p50 < 100ms over 1s', bound: 'atLeast', pass: false, windowMs: 1000 });
    expect(windowed.actual).toBeGreaterThanOrEqual(100);
    expect(windowed.windowEndMs).toBeGreaterThan(2000);
    expect(windowed.windowEndMs).toBeLessThanOrEqual(4000);
    const md = renderMarkdownReport(model);
    const sectionOf = (title: string) => {
      const from = md.indexOf(`## ${title}\n`);
      expect(from, title).toBeGreaterThanOrEqual(0);
      const next = md.slice(from + 3).search(/\n## /);
      return md.slice(from, next < 0 ? undefined : from + 3 + next).trim();
    };
    expect(sectionOf('Hypothesis and SLOs')).toMatchInlineSnapshot(`
      "## Hypothesis and SLOs

      Hypothesis: under this load the pipeline holds every SLO below. 2 of 3 did not hold.

      A windowed SLO is judged at each interval close over the intervals inside its window, and at the end over its worst window; the others over the whole run. Error budget: what the SLO allows to go wrong over the run (e.g. \`p99 < 300ms\` lets 1 % of the arrivals be slower), and how much of it the run spent.

      | SLO | judged over | guardrail | actual | result | first breach (s) | error budget |
      |---|---|---|---|---|---:|---|
      | p99 < 500ms | the whole run | – | 1.16s | BROKEN | – | 1,750 % burned (140 of 8 arrivals slower than 500 ms allowed) |
      | error_rate < 5% | the whole run | – | 2.00% | held | – | 40 % burned (16 of 40 failed arrivals allowed) |
      | p50 < 100ms over 1s | every 1s window | – | ≥ 500ms | BROKEN | – | 50 % burned (200 of 400 arrivals slower than 100 ms allowed) |"
    `);
    expect(sectionOf('Impact')).toMatchInlineSnapshot(`
      "## Impact

      Every due arrival ends in exactly one of ok, failed, dropped or unfinished; shares are of the due arrivals unless the row says otherwise.

      | what | figure | share / note |
      |---|---:|---|
      | offered (arrivals due) | 800 | 200/s target, 200/s on the wire |
      | accepted (ok) | 784 | 98.00 % |
      | throttled | 0 | 0.00 % |
      | failed | 16 | 2.00 % |
      |   failed: 5xx | 16 | 2.00 % |
      | dropped (never sent: in-flight cap) | 0 | 0.00 % |
      | unfinished (no answer at the end) | 0 | 0.00 % |
      | latency from the intended time | p50 4.00ms · p90 800ms · p99 1.16s · p99.9 1.20s · max 1.20s |  |
      | service time | p50 4.00ms · p90 800ms · p99 1.16s · p99.9 1.20s · max 1.20s | what a closed-loop tool would report |
      | error budget: p99 < 500ms | 1,750 % burned (140 of 8 arrivals slower than 500 ms allowed) |  |
      | error budget: error_rate < 5% | 40 % burned (16 of 40 failed arrivals allowed) |  |
      | error budget: p50 < 100ms over 1s | 50 % burned (200 of 400 arrivals slower than 100 ms allowed) |  |"
    `);
    expect(sectionOf('Detection')).toMatchInlineSnapshot(`
      "## Detection

      No threshold fired.

      No probe read the pipeline's own signals (DLQ depth, iterator age, output lag): whether they moved first is unknown."
    `);
    expect(sectionOf('Contributing factors')).toMatchInlineSnapshot(`
      "## Contributing factors

      None the data supports: no finding."
    `);
    expect(sectionOf('What went well, what went wrong')).toMatchInlineSnapshot(`
      "## What went well, what went wrong

      - Went well: SLO \`error_rate < 5%\` held (2.00%).
      - Went well: every due arrival was sent and got an answer or a timeout.
      - Went wrong: SLO \`p99 < 500ms\` broke (1.16s).
      - Went wrong: SLO \`p50 < 100ms over 1s\` broke (≥ 500ms).
      - Ask: Did an alarm fire before the SLO broke — and who would have been paged?"
    `);
    expect(md.slice(md.indexOf('### Percentile spectrum'), md.indexOf('### Files of the run')).trim()).toMatchInlineSnapshot(`
      "### Percentile spectrum

      The run's merged histograms (HdrHistogram, 3 significant digits) read at each percentile: latency from the intended time of the 800 recorded arrivals (answered or timed out), service time of 800 requests. – : too few samples for that percentile.

      | percentile | latency | service time |
      |---:|---:|---:|
      | 50 | 4.00ms | 4.00ms |
      | 75 | 4.00ms | 4.00ms |
      | 90 | 800ms | 800ms |
      | 95 | 1.00s | 1.00s |
      | 99 | 1.16s | 1.16s |
      | 99.9 | – | – |
      | 99.99 | – | – |
      | 99.999 | – | – |
      | 100 (max) | 1.20s | 1.20s |

      ### Slowest requests (trace ids)

      The trace id is the W3C traceparent sent with the request: look it up in the pipeline's own tracing.

      | trace id | latency | intended at (s) | outcome |
      |---|---:|---:|---|
      | 5ea9ce6a185c50000000000000000190 | 1.20s | 2.000 | 2xx |
      | 5ea9ce6a185c50000000000000000191 | 1.20s | 2.005 | 2xx |
      | 5ea9ce6a185c50000000000000000192 | 1.19s | 2.010 | 2xx |
      | 5ea9ce6a185c50000000000000000193 | 1.19s | 2.015 | 2xx |
      | 5ea9ce6a185c50000000000000000194 | 1.18s | 2.020 | 2xx |
      | 5ea9ce6a185c50000000000000000000 | 4.00ms | 0.000 | 2xx |
      | 5ea9ce6a185c50000000000000000001 | 4.00ms | 0.005 | 2xx |
      | 5ea9ce6a185c50000000000000000002 | 4.00ms | 0.010 | 2xx |
      | 5ea9ce6a185c50000000000000000003 | 4.00ms | 0.015 | 2xx |
      | 5ea9ce6a185c50000000000000000004 | 4.00ms | 0.020 | 2xx |"
    `);
  });
});

describe('a run whose load was paused and nudged by hand (the live view\'s keys), in the report', () => {
  it('shows the pause, the resume and the pace in the timeline; the paused time has no arrivals due and the phase spans follow the real clock', async () => {
    const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: 4000, rate: 100 }];
    const dir = await recordedRun(phases, (_n, t) => ({ atMs: t + 3, outcome: '2xx' }), {}, [[1000, (e) => e.pause()], [3000, (e) => e.resume()], [3500, (e) => e.setPace(2)]]);
    const model = await buildReportModel(dir, 'fake');
    const texts = model.events.map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining([
      'the load paused (manual): nothing falls due until it resumes', 'the load resumed (manual) after 2.0 s paused', 'the pace set to ×2.00 the plan (manual)',
    ]));
    expect(model.summary.counts.due).toBe(400);
    expect(model.summary.counts.ok).toBe(400);
    const paused = model.timeline.filter((b) => b.startMs >= 1000 && b.endMs <= 3000);
    expect(paused.length).toBe(2);
    expect(paused.every((b) => b.due === 0)).toBe(true);
    // the phase runs 1 s, then 2 s paused, 0.5 s, then 2.5 s of plan at ×2 = 1.25 s: it ends at 4.75 s of run time
    expect(model.summary.phases[0].endMs).toBeCloseTo(4750, 0);
    // the throughput chart draws the actual target-rate curve: 100/s, 0 while paused, then 200/s after the nudge
    const target = throughputPoints(model).filter((p) => p.series === 'target').map((p) => Math.round(p.value));
    expect(target.slice(0, 3)).toEqual([100, 0, 0]);
    expect(target[3]).toBe(150); // 3–4 s: half at ×1, half at ×2
    expect(Math.max(...target.slice(4))).toBe(200);
  });
});
