import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startFailingServer, type FailingServer } from '../support/failing-servers.js';
import { closedPort } from '../support/http-server.js';

/** A figure printed for a series without samples would read 0.00ms: it must read "–" instead. */
const FAKE_ZERO = /(^|\s)0\.00ms/m;

const servers: Record<string, FailingServer> = {};
beforeAll(async () => {
  for (const kind of ['reset', 'hang', 'status500', 'slow', 'cut-body'] as const) servers[kind] = await startFailingServer(kind);
});
afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
});

function summaryOf(out: string) {
  return JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
}

/** A scenario with no warm-up, so the run itself meets the failing target. */
function noWarmupScenario(url: string, rate: string, duration: string, extra = ''): string {
  const file = join(tempDir(), 'scenario.yaml');
  writeFileSync(file, `name: failing\ntarget:\n  http:\n    url: ${url}\nphases:\n  - { kind: constant, rate: ${rate}, duration: ${duration} }\nengine:\n  warmup: 0\n${extra}`);
  return file;
}

describe('truth when the pipeline fails (child process, loopback servers)', () => {
  it('a closed port: stops before the clock with exit 2, names the address, records nothing', async () => {
    const port = await closedPort();
    const out = join(tempDir(), 'refused');
    const r = await runCli(['run', '--target', `http://127.0.0.1:${port}/ingest`, '--rate', '2000', '--duration', '5s', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`error: connection refused by 127\\.0\\.0\\.1:${port} — is the pipeline running\\?`));
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it('a server that resets every connection: stops before the clock with exit 2', async () => {
    const r = await runCli(['run', '--target', servers.reset.url, '--rate', '2000', '--duration', '5s', '--out', join(tempDir(), 'reset')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: 127\.0\.0\.1:\d+ reset every connection before answering/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('https:// to a plain HTTP server: the TLS handshake fails before the clock, exit 2', async () => {
    const r = await runCli(['run', '--target', servers.status500.url.replace('http://', 'https://'), '--rate', '100', '--duration', '2s', '--out', join(tempDir(), 'tls')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: the TLS handshake with 127\.0\.0\.1:\d+ failed/);
    expect(r.stderr).toMatch(/hint: check https:\/\/ vs http:\/\//);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('without a warm-up, a closed port fails the run: exit 1, every arrival refused, latency "never", no fake zeros', async () => {
    const port = await closedPort();
    const out = join(tempDir(), 'refused-run');
    const r = await runCli(['run', noWarmupScenario(`http://127.0.0.1:${port}/ingest`, '2000/s', '5s'), '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the target never answered successfully: 10,000 refused/);
    expect(r.stdout).toMatch(/verdict: FAIL \(exit 1\)/);
    expect(r.stdout).toMatch(/latency \(from intended\)\s+never\s+never\s+never\s+never\s+never/);
    expect(r.stdout).toMatch(/service time\s+–\s+–\s+–\s+–\s+–/);
    expect(r.stdout).not.toMatch(FAKE_ZERO);
    const s = summaryOf(out);
    expect(s.counts).toMatchObject({ due: 10_000, ok: 0, failed: 10_000, dropped: 0, unfinished: 0, answered: 0 });
    expect(s.errors).toEqual({ refused: 10_000 });
    expect(s.latency).toMatchObject({ censored: true, p50: null, answeredFraction: 0, neverAnswered: 10_000 });
    expect(s.serviceTime.p50).toBeNull();
    expect(s.verdict).toBe('FAIL');
  });

  it('a threshold that expects failure lets a run with no ok answer pass', async () => {
    const port = await closedPort();
    const r = await runCli(['run', noWarmupScenario(`http://127.0.0.1:${port}/ingest`, '200/s', '1s', 'thresholds:\n  - error_rate > 99%\n'), '--out', join(tempDir(), 'x')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verdict: PASS \(exit 0\)/);
  });

  it('a hung pipeline (accepts, never answers) at 1,000/s for 10 s: p50 ≥ several seconds, nothing answered, exit 1, done in bounded time', async () => {
    const out = join(tempDir(), 'hang');
    // Stops by itself: the child is killed (and the test fails) only past 60 s.
    const r = await runCli(['run', '--target', servers.hang.url, '--rate', '1000', '--duration', '10s', '--out', out], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/warm-up: the target answered none of \d+ request\(s\) within 1\.\d+s/);
    expect(r.stdout).toMatch(/answered 0\.0\/s/);
    expect(r.stdout).toMatch(/the target never answered successfully: .*unfinished \(no answer when the run ended\)/);
    expect(r.stdout).toMatch(/latency \(from intended\)\s+≥ \d+\.\ds/);
    expect(r.stdout).toMatch(/t=\s+5s .* p50 ≥ \d/);
    expect(r.stdout).not.toMatch(FAKE_ZERO);
    const s = summaryOf(out);
    expect(s.counts.due).toBe(10_000);
    // the run's own clock: the schedule, then the drain bound (the 10 s request timeout + 5 s), not a wall-clock guess
    expect(s.durationMs).toBeLessThanOrEqual(10_000 + 15_000 + 2_000);
    expect(s.counts.ok).toBe(0);
    expect(s.counts.ok + s.counts.failed + s.counts.dropped + s.counts.unfinished).toBe(10_000);
    expect(s.counts.unfinished).toBeGreaterThan(1000);
    expect(s.latency.answeredFraction).toBe(0);
    expect(s.latency.censored).toBe(true);
    expect(s.latency.atLeast).toContain('p50');
    expect(s.latency.p50).toBeGreaterThan(5000);
    expect(s.errorRate).toBeLessThanOrEqual(1);
    expect(s.warmup.gaveUp).toBe(true);
  }, 60_000);

  it('a pipeline that answers 500 to everything: exit 1 and a headline that names the class', async () => {
    const out = join(tempDir(), '500');
    const r = await runCli(['run', '--target', servers.status500.url, '--rate', '500', '--duration', '2s', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL: the target never answered successfully: 1,000 5xx/);
    expect(r.stdout).not.toMatch(FAKE_ZERO);
    const s = summaryOf(out);
    expect(s.counts).toMatchObject({ due: 1000, ok: 0, failed: 1000, answered: 1000 });
    expect(s.latency.censored).toBe(false);
    expect(s.rate.answered).toBeCloseTo(500, -1);
  });

  it('a pipeline that answers after 3 s: answers are counted, latency from the intended time shows the wait, verdict NO THRESHOLDS', async () => {
    const out = join(tempDir(), 'slow');
    const r = await runCli(['run', '--target', servers.slow.url, '--rate', '20', '--duration', '3s', '--out', out], { timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NO THRESHOLDS: no thresholds set, so nothing decided pass or fail: 60 of 60 due arrivals ok/);
    expect(r.stdout).toMatch(/verdict: NO THRESHOLDS \(exit 0\)/);
    expect(r.stdout).not.toMatch(/verdict: PASS/);
    expect(r.stdout).not.toMatch(FAKE_ZERO);
    const s = summaryOf(out);
    expect(s.counts).toMatchObject({ due: 60, ok: 60, unfinished: 0 });
    expect(s.latency.censored).toBe(false);
    expect(s.latency.p50).toBeGreaterThan(3000);
    expect(s.passed).toBe(false);
  }, 60_000);

  it('a pipeline that cuts the connection in the middle of the response body: failed as reset, exit 1', async () => {
    const out = join(tempDir(), 'cut');
    const r = await runCli(['run', '--target', servers['cut-body'].url, '--rate', '200', '--duration', '2s', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/the target never answered successfully: 400 reset/);
    expect(r.stdout).not.toMatch(FAKE_ZERO);
    const s = summaryOf(out);
    expect(s.counts).toMatchObject({ due: 400, ok: 0, failed: 400 });
    expect(s.errors).toEqual({ reset: 400 });
  });
});
