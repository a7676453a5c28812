import { describe, expect, it } from 'vitest';
import { deriveFindings } from '../../src/reports/findings.js';
import { renderJunitReport } from '../../src/reports/junit-report.js';
import type { ReportModel } from '../../src/reports/report-model.js';
import type { Summary } from '../../src/results/summary.js';

/** The fields deriveFindings reads, quiet by default; each case changes one part. */
function summary(o: Partial<Summary> = {}): Summary {
  return {
    name: 'x', seed: 1, target: 't', status: 'completed', verdict: 'PASS', headline: 'h', startedAt: '2026-12-01T10:00:00.000Z', durationMs: 1000,
    generator: { maxEventLoopLagMs: 3, maxScheduleLagP99Ms: 2, warnings: 0, cpuMs: null, cpuUsPerRequest: null },
    warnings: [], faults: null, afterIdleGaps: [], queues: null, shards: null, delivery: null, thresholds: [], ...o,
  } as Summary;
}

const fault = (o: Record<string, unknown>) => ({ name: 'f', kind: 'poison', windows: [], activeMs: 0, messages: 1, examples: [], details: {}, comparison: null, acceptedSilently: null, ...o });
const dest = { injected: 10, rejected: 1, rejectedBy: {}, dlq: 4, accepted: 5, unaccounted: 0, unanswered: 0, lost: 0, acceptedAlsoInDlq: 0, untraced: 0, read: { output: true, dlq: true }, dlqUnidentified: 0 };

describe('findings from the data (pure)', () => {
  it.each([
    ['a quiet run: nothing', summary(), []],
    ['the generator fell behind: said first', summary({ generator: { maxEventLoopLagMs: 300, maxScheduleLagP99Ms: 250, warnings: 1, cpuMs: null, cpuUsPerRequest: null }, queues: [{ name: 'd', role: 'dlq', peakDepth: 3, finalDepth: 3 }] }), ['generator-saturated:problem', 'dlq:problem']],
    ['poison accepted silently and dead-lettered', summary({ faults: [fault({ destinations: dest, acceptedSilently: 5 })] as Summary['faults'] }), ['f-accepted-silently:problem', 'f-dlq:note']],
    ['retries that hid failures', summary({ faults: [fault({ kind: 'retry-storm', details: { hiddenFailures: 7, finding: 'success after retries hid 7 failure(s)' } })] as Summary['faults'] }), ['f-hidden:problem']],
    ['a storm the server refused', summary({ faults: [fault({ kind: 'connection-storm', details: { refused: { '53300 sorry, too many clients already': 4 } } })] as Summary['faults'] }), ['f-refused:note']],
    ['a DLQ with a dlq_depth threshold is a note', summary({ queues: [{ name: 'd', role: 'dlq', peakDepth: 3, finalDepth: 3 }], thresholds: [{ source: 'dlq_depth < 10', metric: 'dlq_depth', op: '<', value: 10, actual: 3, bound: 'exact', pass: true }] }), ['dlq:note']],
  ])('%s', (_label, s, want) => {
    expect(deriveFindings(s).map((f) => `${f.id}:${f.severity}`)).toEqual(want);
  });

  it('JUnit: a problem finding is a failure, a note passes; text is escaped; an interrupted run adds an error case', () => {
    const s = summary({ status: 'interrupted', name: 'a<b', faults: [fault({ destinations: dest, acceptedSilently: 5, name: 'p&q' })] as Summary['faults'] });
    const model = { summary: s, findings: deriveFindings(s), timeline: [], events: [], skipped: { journal: 0, hlog: 0 } } as unknown as ReportModel;
    const xml = renderJunitReport(model);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="rushhour" tests="3" failures="1" errors="1" time="1.000">/);
    expect(xml).toContain('<testsuite name="a&lt;b" tests="3"');
    expect(xml).toContain('name="poison p&amp;q: changed messages went through the pipeline silently" time="0">\n      <failure message="5 of 10 reached the output');
    expect(xml).toContain('<error message="interrupted" type="interrupted">h</error>');
    expect(xml.match(/<testcase /g)?.length).toBe(3);
  });
});
