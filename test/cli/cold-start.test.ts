import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/sandbox/resolve-params.js';
import { startSandbox } from '../../src/sandbox/spawn-sandbox.js';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

// Against the real sandbox in its own process, on loopback only. No timing assertions beyond the
// separations the model guarantees: a cold start (init 400–500 ms here) against a warm request
// (a few ms), and idle gaps well below / well above the idle timeout.

/** cold-start.yaml, shortened: a warm phase, two idle gaps above the 1 s idle timeout, each followed by a burst. */
const SCENARIO = `
name: cold-start-short
seed: 7
fleet: { vehicles: 200, cadence: { min: 1s, max: 3s } }
target: sandbox
sandbox:
  ingest: { idleTimeout: 1s, initTime: 400ms..500ms }
  processor: { idleTimeout: 1s }
phases:
  - { name: warm, kind: constant, duration: 3s, rate: 100/s }
  - { name: gap-1, kind: idle, duration: 2500ms }
  - { name: burst-1, kind: constant, duration: 3s, rate: 400/s }
  - { name: gap-2, kind: idle, duration: 2500ms }
  - { name: burst-2, kind: constant, duration: 3s, rate: 400/s }
`;

interface Tax {
  gap: string;
  taxMs: number;
  baseline: { p50Ms: number; p99Ms: number };
  firstK: { k: number; completed: number; p50Ms: number; p99Ms: number; maxMs: number };
  recovery: { requests: number | null };
  coldStarts: { count: number } | null;
}

describe('the cold-start tax (child process, sandbox)', () => {
  it('a shortened cold-start scenario shows a tax > 0 after each gap, in summary.json, the text and report.md, and `report` renders it again', async () => {
    const dir = tempDir();
    const file = join(dir, 'cold.yaml');
    writeFileSync(file, SCENARIO);
    const out = join(dir, 'run');
    const r = await runCli(['run', file, '--out', out], { timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { afterIdleGaps: { gap: string; tax: Tax }[] };
    expect(summary.afterIdleGaps.map((g) => g.gap)).toEqual(['gap-1', 'gap-2']);
    for (const { tax } of summary.afterIdleGaps) {
      expect(tax.firstK).toMatchObject({ k: 100, completed: 100 });
      expect(tax.taxMs).toBeGreaterThan(0);
      expect(tax.firstK.p50Ms).toBeGreaterThan(3 * tax.baseline.p50Ms);
      expect(tax.firstK.maxMs).toBeGreaterThan(300);
      expect(tax.recovery.requests).toBeGreaterThan(0);
      expect(tax.coldStarts!.count).toBeGreaterThan(0);
    }
    expect(r.stdout).toMatch(/after idle gap 'gap-2'.*\n {2}cold-start tax: first 100 requests p50 /);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/### Cold-start tax[\s\S]*\| gap-1 \| 100\/100 \|/);
    // rendered again from the journal alone
    const again = await runCli(['report', out], { timeoutMs: 60_000 });
    expect(again.code).toBe(0);
    const re = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { afterIdleGaps: { tax: Tax }[] };
    expect(re.afterIdleGaps.map((g) => g.tax)).toEqual(summary.afterIdleGaps.map((g) => g.tax));
  }, 120_000);
});

describe('rushhour probe cold-start (child process, sandbox)', () => {
  it('reports warm after a gap below the idle timeout and cold from a gap above it', async () => {
    const sb = await startSandbox(withDefaults({ ingest: { idleTimeout: 1000 } }));
    try {
      const r = await runCli(['probe', 'cold-start', '--target', sb.ingestUrl, '--gaps', '2s,200ms', '--warmup', '5', '--json'], { timeoutMs: 60_000 });
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout);
      expect(res.gaps.map((g: { gapMs: number; verdict: string }) => [g.gapMs, g.verdict])).toEqual([[200, 'warm'], [2000, 'cold']]);
      expect(res).toMatchObject({ coldFromMs: 2000, largestWarmMs: 200, monotonic: true });
      expect(res.samples.map((s: { by: string }) => s.by)).toEqual(['header', 'header']);
      expect(res.conclusion).toMatch(/between 200ms and 2s/);
      // progress on stderr: what it waits for, and each request's verdict
      expect(r.stderr).toMatch(/\[2\/2\] idle for a 2s gap: [\d.]+s left/);
      expect(r.stderr).toMatch(/\[2\/2\] after 2s idle: COLD \(x-sandbox-cold: 1\)/);
    } finally {
      await sb.stop();
    }
  }, 90_000);

  it('without the cold header (--cold-header none) classifies by latency against the warm p90', async () => {
    // an init of 800–900 ms against warm requests of a few ms: far above max(3 × warm p90, warm p90 + 100 ms)
    const sb = await startSandbox(withDefaults({ ingest: { idleTimeout: 1000, initTime: { minMs: 800, maxMs: 900 } } }));
    try {
      const r = await runCli(['probe', 'cold-start', '--target', sb.ingestUrl, '--gaps', '200ms,2500ms', '--warmup', '5', '--cold-header', 'none', '--json'], { timeoutMs: 60_000 });
      expect(r.code).toBe(0);
      const res = JSON.parse(r.stdout);
      expect(res.samples.map((x: { by: string; cold: boolean }) => [x.by, x.cold])).toEqual([['latency', false], ['latency', true]]);
      expect(res.rule.header).toBeNull();
      expect(res).toMatchObject({ coldFromMs: 2500, largestWarmMs: 200 });
    } finally {
      await sb.stop();
    }
  }, 90_000);

  it.each([
    [['--gaps', '10m,30m,20m'], /could take 1h\d\dm .* over --max-time 45m/],
    [['--gaps', '1s,soon'], /--gaps: "soon" is not a duration/],
    [['--gaps', '1s', '--repeats', '0'], /--repeats expects a positive whole number/],
    [['--gaps', '1s', '--header', 'no-colon'], /--header expects "Name: value"/],
  ])('%j is a user error: exit 2, no stack trace', async (args, message) => {
    const r = await runCli(['probe', 'cold-start', '--target', 'http://127.0.0.1:9/ingest', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('an unreachable target is a user error before any gap is waited', async () => {
    const r = await runCli(['probe', 'cold-start', '--target', 'http://127.0.0.1:9/ingest', '--gaps', '10m']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/did not answer the first request: ECONNREFUSED/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
