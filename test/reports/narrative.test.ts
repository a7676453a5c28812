import { describe, expect, it } from 'vitest';
import { rerunCommand, summaryParagraph } from '../../src/reports/narrative.js';
import type { Summary } from '../../src/results/summary.js';

const base = {
  rate: { target: 2000, achieved: 2000, answered: 2000, peakTarget: 2000 }, windowMs: 600_000, okRate: 0.9913, latency: { p99: 41 },
  counts: { due: 1_200_000, failed: 10_440, dropped: 0, unfinished: 0 }, errors: { '5xx': 10_000, timeout: 440 }, afterIdleGaps: [], baseline: { p99: 40 }, faults: null, delivery: null,
};
const s = (o: Record<string, unknown>) => ({ ...base, ...o }) as unknown as Summary;
const gap = (name: string, p99: number) => ({ gap: name, startMs: 0, endMs: 5000, latency: { p99 }, p99VsBaseline: p99 / 40 });
const dest = { injected: 312, rejected: 0, dlq: 300, accepted: 12, unaccounted: 0 };

describe('the report\'s opening paragraph, from the data (pure)', () => {
  it.each([
    ['a plain run', s({ counts: { due: 1_200_000, failed: 0, dropped: 0, unfinished: 0 }, errors: {}, okRate: 1 }), 'At 2,000 msg/s for 10 min the pipeline accepted 100 % of 1,200,000 messages (p99 41.0ms from the intended time).'],
    ['failures by class, never rounded up to 100 %', s({ okRate: 0.99996 }), 'At 2,000 msg/s for 10 min the pipeline accepted 99.99 % of 1,200,000 messages (p99 41.0ms from the intended time); 10,440 failed (5xx ×10,000, timeout ×440).'],
    ['idle gaps and poison', s({ afterIdleGaps: [gap('gap-1', 2100), gap('gap-2', 1900)], faults: [{ name: 'poison-0', kind: 'poison', details: {}, destinations: dest }] }),
      'At 2,000 msg/s for 10 min the pipeline accepted 99.13 % of 1,200,000 messages (p99 41.0ms from the intended time); 10,440 failed (5xx ×10,000, timeout ×440); p99 rose from 40.0ms to 2.10s in the 5 s after each idle gap; 312 poisoned messages (poison-0): 300 reached the DLQ, 12 were accepted silently.'],
    ['retries that hid failures', s({ okRate: 0.714, faults: [{ name: 'retry-0', kind: 'retry-storm', details: { hiddenFailures: 6019 } }] }), 'At 2,000 msg/s for 10 min the pipeline accepted 71.4 % of 1,200,000 messages (p99 41.0ms from the intended time); 10,440 failed (5xx ×10,000, timeout ×440); retry-0\'s retries hid 6,019 failure(s) behind a success.'],
    ['a hang: the p99 is a lower bound, and says so', s({ okRate: 1, counts: { due: 1_200_000, failed: 0, dropped: 0, unfinished: 0 }, errors: {}, latency: { p99: 12_000, atLeast: ['p99'], never: [] } }), 'At 2,000 msg/s for 10 min the pipeline accepted 100 % of 1,200,000 messages (p99 ≥ 12.0s from the intended time).'],
    ['never answered', s({ okRate: 1, counts: { due: 1_200_000, failed: 0, dropped: 0, unfinished: 0 }, errors: {}, latency: { p99: null, atLeast: [], never: ['p99'] } }), 'At 2,000 msg/s for 10 min the pipeline accepted 100 % of 1,200,000 messages (p99 never from the intended time).'],
  ])('%s', (_label, summary, text) => {
    expect(summaryParagraph(summary)).toBe(text);
  });
});

describe('how to rerun it', () => {
  it.each([
    [{ scenario: 'scenarios/poison-pill.yaml', seed: 17 }, 'npx rushhour run scenarios/poison-pill.yaml --seed 17'],
    [{ scenario: null, seed: 5 }, 'npx rushhour run --target URL --rate R --duration D --seed 5   (a quick-mode run: the same flags, this seed)'],
  ])('%j', (s, cmd) => {
    expect(rerunCommand(s)).toBe(cmd);
  });
});
