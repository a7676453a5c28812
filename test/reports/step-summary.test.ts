import { recordedRun as record } from '../support/recorded-run.js';
import { tempDir } from '../support/cli.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PhaseSpec } from '../../src/load/phase.js';
import { compareRuns, loadRunFigures } from '../../src/reports/baseline-compare.js';
import { appendStepSummary, renderStepSummary } from '../../src/reports/step-summary.js';
import { finalizeResults } from '../../src/run/finalize-results.js';

/** A fake-clock run at 200/s for 3 s; every 20th request answers 5xx; a threshold `p99 < 50ms`. */
async function recordedRun(): Promise<string> {
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: 3000, rate: 200 }];
  const thresholds = [{ source: 'p99 < 50ms', metric: 'p99', op: '<' as const, value: 50 }, { source: 'error_rate < 1%', metric: 'error_rate', op: '<' as const, value: 0.01 }];
  return record(phases, (n, t) => ({ atMs: t + 4, outcome: n % 20 === 0 ? '5xx' : '2xx' }), { thresholds });
}

describe('the GitHub step summary', () => {
  it('renders the verdict, the impact table, the SLOs with pass/fail and, with a baseline, its table', async () => {
    const dir = await recordedRun();
    const summary = await finalizeResults(dir, 'fake');
    const md = renderStepSummary(summary, { dir, comparison: compareRuns(await loadRunFigures(dir), await loadRunFigures(dir)) });
    expect(md).toMatch(/^## rushhour: .+ — ❌ FAIL\n/);
    expect(md).toContain('| due | 600 |');
    expect(md).toContain('| failed | 30 (5.00%) |');
    expect(md).toContain('| failed: 5xx | 30 |');
    expect(md).toContain('| dropped | 0 (0.00%) |');
    expect(md).toContain('| unfinished | 0 (0.00%) |');
    expect(md).toMatch(/\| latency p99 \| [\d.]+ms \|/);
    expect(md).toContain('### SLOs');
    expect(md).toMatch(/\| `p99 < 50ms` \| [\d.]+ms \| ✅ pass \|/);
    expect(md).toContain('| `error_rate < 1%` | 5.00% | ❌ fail |');
    expect(md).toContain('### Against the baseline');
    expect(md).toContain('| latency p99 |');
    expect(md).not.toContain('DLQ peak');
  });

  it('appends to the file GITHUB_STEP_SUMMARY names, never truncating it; does nothing when unset', async () => {
    const dir = await recordedRun();
    const summary = await finalizeResults(dir, 'fake');
    const file = join(tempDir('rushhour-gh-'), 'step_summary.md');
    writeFileSync(file, '# an earlier step\n');
    expect(appendStepSummary(summary, { env: { GITHUB_STEP_SUMMARY: file } })).toEqual({ path: file });
    expect(appendStepSummary(summary, { env: { GITHUB_STEP_SUMMARY: file } })).toEqual({ path: file });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# an earlier step\n## rushhour: ')).toBe(true);
    expect(text.split('## rushhour: ').length).toBe(3);
    expect(appendStepSummary(summary, { env: {} })).toEqual({ path: null });
    expect(appendStepSummary(summary, { env: { GITHUB_STEP_SUMMARY: '' } })).toEqual({ path: null });
    // an unwritable path is a warning, never an error
    const r = appendStepSummary(summary, { env: { GITHUB_STEP_SUMMARY: join(file, 'not-a-dir', 'x.md') } });
    expect(r.path).toBeNull();
    expect(r.warning).toMatch(/could not append to GITHUB_STEP_SUMMARY/);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
