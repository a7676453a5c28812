import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** Answers 200 at once, and never answers a body that is not JSON: it stalls on the poison fault's cue. */
let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, body, res) => {
    try {
      JSON.parse(body);
    } catch {
      return; // hang: the request stays in flight
    }
    res.writeHead(200).end('ok');
  });
});
afterAll(async () => {
  await server.close();
});

describe('guardrails (child process, loopback server that stalls during a fault)', () => {
  it('a sliding-window p99 guardrail stops the run during the fault and not before: exit 3, ABORTED, breach and fault stop recorded', async () => {
    const dir = tempDir();
    const out = join(dir, 'run');
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, [
      'name: guardrail',
      'target:',
      '  http:',
      `    url: ${server.url}`,
      '    connections: 200',
      'phases:',
      '  - { kind: constant, rate: 100, duration: 20s }',
      'engine: { warmup: 0, drainTimeout: 1s }',
      'faults:',
      '  - { kind: poison, at: 3s, for: 15s, fraction: 100%, poison: [malformed-json] }',
      'thresholds:',
      '  - { check: "p99 < 200ms over 2s", abortOnFail: true, delay: 1s }',
      '  - "error_rate < 50% over 2s"',
      '',
    ].join('\n'));
    const r = await runCli(['run', file, '--out', out], { timeoutMs: 40_000 });
    expect(r.code, r.stderr + r.stdout).toBe(3);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'aborted', verdict: 'ABORTED', exitCode: 3 });
    expect(summary.headline).toMatch(/^aborted by a guardrail: p99 < 200ms over 2s \(/);
    // stopped well before the schedule's 20 s
    expect(summary.durationMs).toBeLessThan(12_000);
    const lines = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const breaches = lines.filter((l) => l.type === 'threshold' && l.state === 'breach' && l.index === 0);
    expect(breaches).toHaveLength(1);
    const [breach] = breaches;
    expect(breach).toMatchObject({ source: 'p99 < 200ms over 2s', windowMs: 2000, aborts: true });
    expect(breach.actual).toBeGreaterThanOrEqual(200);
    // during the fault, not before
    const start = lines.find((l) => l.type === 'fault-start');
    const stop = lines.find((l) => l.type === 'fault-stop');
    expect(start).toMatchObject({ name: 'poison-0', by: 'schedule' });
    expect(breach.tMs).toBeGreaterThan(start.tMs);
    expect(stop).toMatchObject({ name: 'poison-0', by: 'interrupted' });
    expect(stop.tMs).toBeGreaterThanOrEqual(breach.tMs);
    const end = lines.at(-1);
    expect(end).toMatchObject({ type: 'end', reason: 'aborted' });
    // the windowed thresholds' verdicts over every window, just before the end
    const finals = lines.filter((l) => l.type === 'threshold' && l.state === 'final');
    expect(finals.map((f) => [f.index, f.pass])).toEqual([[0, false], [1, true]]);
    expect(summary.thresholds[0]).toMatchObject({ source: 'p99 < 200ms over 2s', pass: false, windowMs: 2000 });
    expect(r.stdout).toMatch(/^-- threshold p99 < 200ms over 2s BREACHED at \d+\.\ds: .* — guardrail: aborting the run$/m);
    // the report's timeline shows the breach and the abort, and JUnit fails the guardrail
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toMatch(/^# .* — ABORTED$/m);
    expect(md).toMatch(/\| first SLO breach \(detection\): threshold `p99 < 200ms over 2s` breached: [^|]* — guardrail: the run is aborted \|$/m);
    expect(md).toMatch(/\| the run ends: aborted \|$/m);
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<error message="aborted" type="aborted">/);
    // `report DIR` gives the same answer
    const again = await runCli(['report', out, '--format', 'json'], { timeoutMs: 20_000 });
    expect(again.code, again.stderr).toBe(0);
    const rebuilt = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect([rebuilt.verdict, rebuilt.exitCode, rebuilt.thresholds]).toEqual([summary.verdict, summary.exitCode, summary.thresholds]);
  }, 60_000);
});
