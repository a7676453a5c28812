import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

let fast: TestServer;
let slow: TestServer;
const root = tempDir('rushhour-baseline-cli-');
const A = join(root, 'a');
/** Keeps a CI job's own step summary (GITHUB_STEP_SUMMARY) out of these runs. */
const quiet = { env: { GITHUB_STEP_SUMMARY: '' } };
const B = join(root, 'b');

beforeAll(async () => {
  fast = await startServer((_req, _body, res) => res.writeHead(202).end());
  // injected latency: every answer 60 ms late, far above loopback's ~1 ms
  slow = await startServer((_req, _body, res) => setTimeout(() => res.writeHead(202).end(), 60));
  const a = await runCli(['run', '--target', fast.url, '--rate', '100/s', '--duration', '2s', '--out', A, '--log', 'none'], quiet);
  const b = await runCli(['run', '--target', slow.url, '--rate', '100/s', '--duration', '2s', '--out', B, '--log', 'none'], quiet);
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
}, 60_000);
afterAll(async () => {
  await fast.close();
  await slow.close();
});

describe('rushhour report DIR --baseline OTHER (child process)', () => {
  it('prints the comparison with p99 regressed, writes baseline.md and appends to GITHUB_STEP_SUMMARY', async () => {
    const step = join(root, 'step.md');
    writeFileSync(step, 'before\n');
    const r = await runCli(['report', B, '--baseline', A], { env: { GITHUB_STEP_SUMMARY: step } });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| Figure | Baseline | This run | Delta | Verdict |');
    expect(r.stdout).toMatch(/\| latency p99 \| [^|]+ \| [^|]+ \| \+[^|]+ \| 🔴 regressed \|/);
    expect(r.stdout).toMatch(/\| latency p50 \| [^|]+ \| [^|]+ \| \+[^|]+ \| 🔴 regressed \|/);
    expect(r.stdout).toMatch(/\| ok rate \| 100\.00% \| 100\.00% \| [^|]+ \| same \|/);
    expect(r.stdout).toContain('REGRESSED:');
    expect(existsSync(join(B, 'baseline.md'))).toBe(true);
    const md = readFileSync(join(B, 'baseline.md'), 'utf8');
    expect(md).toContain('# Comparison with the baseline');
    expect(md).toMatch(/\| latency p99 \|.*🔴 regressed \|/);
    const summary = readFileSync(step, 'utf8');
    expect(summary.startsWith('before\n## rushhour: ')).toBe(true);
    expect(summary).toContain('### Against the baseline');
  });

  it('--fail-on-regression exits 1 when a figure regressed, 0 when none did (a run against itself)', async () => {
    const r = await runCli(['report', B, '--baseline', A, '--fail-on-regression'], quiet);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(1);
    const same = await runCli(['report', A, '--baseline', A, '--fail-on-regression'], quiet);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('SAME: all');
  });

  it('a --baseline that is not a results directory is a user error naming the flag, no stack trace', async () => {
    const missing = await runCli(['report', B, '--baseline', join(root, 'nope')], quiet);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: --baseline: .*nope is not a directory/m);
    expect(missing.stderr).not.toMatch(STACK_LINE);
    const empty = await runCli(['report', B, '--baseline', tempDir()], quiet);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^error: --baseline: .* is not a rushhour results directory/m);
    expect(empty.stderr).not.toMatch(STACK_LINE);
    const noBaseline = await runCli(['report', B, '--fail-on-regression'], quiet);
    expect(noBaseline.code).toBe(2);
    expect(noBaseline.stderr).toContain('--baseline');
    expect(noBaseline.stderr).not.toMatch(STACK_LINE);
  });

  it('--help shows the flags and the example', async () => {
    const r = await runCli(['report', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--baseline');
    expect(r.stdout).toContain('--fail-on-regression');
    expect(r.stdout).toContain('report runs/this --baseline runs/last-good');
  });
});
