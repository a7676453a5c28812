import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

// The README's first command, and the cold-start scenario's promise, against the real sandbox
// started by the CLI in its own process. Long tests (30–50 s each); no timing assertions beyond
// the effect the scenario exists to show.
describe('shipped scenarios against the embedded sandbox (child process)', () => {
  it('smoke.yaml completes, passes its thresholds and writes a complete results directory', async () => {
    const out = join(tempDir(), 'smoke');
    const r = await runCli(['run', 'scenarios/smoke.yaml', '--out', out, '--json'], { timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('completed');
    expect(summary.target).toMatch(/^sandbox http:\/\/127\.0\.0\.1:\d+\/ingest/);
    expect(summary.counts.sent).toBe(summary.counts.planned);
    expect(summary.counts.failed).toBe(0);
    expect(summary.thresholds.map((t: { pass: boolean }) => t.pass)).toEqual([true, true, true]);
    expect(r.code).toBe(0);
  }, 150_000);

  it('cold-start.yaml: latency after each idle gap is well above the warm baseline, and the summary says so', async () => {
    const out = join(tempDir(), 'cold');
    const r = await runCli(['run', 'scenarios/cold-start.yaml', '--out', out], { timeoutMs: 150_000 });
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.afterIdleGaps.map((g: { gap: string }) => g.gap)).toEqual(['gap-1', 'gap-2']);
    for (const g of summary.afterIdleGaps) {
      // node at 256 MB: init ≈ 400–800 ms; the baseline p99 is a few ms to tens of ms.
      expect(g.latency.max).toBeGreaterThan(300);
      expect(g.p99VsBaseline).toBeGreaterThan(3);
    }
    expect(r.stdout).toMatch(/after idle gap 'gap-1' \([\d.]+–[\d.]+ s\): p50 .*× the baseline p99/);
  }, 180_000);
});
