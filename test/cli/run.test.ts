import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

let ok: TestServer;
let failing: TestServer;
beforeAll(async () => {
  ok = await startServer((_req, _body, res) => res.writeHead(202).end());
  failing = await startServer((_req, _body, res) => res.writeHead(503).end());
});
afterAll(async () => {
  await ok.close();
  await failing.close();
});

describe('rushhour run (child process)', () => {
  it('quick mode writes a complete results directory and a summary with the documented contract', async () => {
    const out = join(tempDir(), 'quick');
    const r = await runCli(['run', '--target', ok.url, '--rate', '200/s', '--duration', '2s', '--out', out, '--json', '--log', 'plain']);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).verdict).toBe('NO THRESHOLDS');
    for (const f of ['journal.jsonl', 'latency.hlog', 'summary.json', 'report.md']) expect(existsSync(join(out, f)), f).toBe(true);
    const summary = JSON.parse(r.stdout);
    expect(summary).toEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')));
    expect(summary.schema).toBe('rushhour.summary/1');
    expect(summary.status).toBe('completed');
    expect(summary.counts).toMatchObject({ planned: 400, due: 400, sent: 400, answered: 400, ok: 400, failed: 0, dropped: 0, unfinished: 0 });
    expect(summary.latency).toMatchObject({ count: 400, censored: false, atLeast: [], never: [], answeredFraction: 1 });
    expect(summary.okRate).toBe(1);
    expect(summary.rate.target).toBeCloseTo(200, 0);
    expect(summary.rate.achieved).toBeCloseTo(200, 0);
    for (const k of ['p50', 'p90', 'p99', 'p999', 'max']) {
      expect(typeof summary.latency[k]).toBe('number');
      expect(typeof summary.serviceTime[k]).toBe('number');
      expect(typeof summary.scheduleLag[k]).toBe('number');
    }
    expect(summary.slowest.length).toBeGreaterThan(0);
    expect(summary.slowest[0].traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(summary.exitCode).toBe(0);
    expect(summary.counts.written).toBe(400);
    expect(summary.generator.cpuMs).toBeGreaterThan(0);
    expect(summary.generator.cpuUsPerRequest).toBeCloseTo((summary.generator.cpuMs * 1000) / 400, 1);
    const journal = readFileSync(join(out, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(journal[0].type).toBe('start');
    expect(journal.at(-1).type).toBe('end');
    expect(journal.filter((j) => j.type === 'interval').length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(join(out, 'latency.hlog'), 'utf8')).toMatch(/^Tag=latency,/m);
    // --log plain under --json: progress on stderr, one plain line per interval (--json alone prints nothing until the end)
    expect(r.stderr).toMatch(/t=\s*1s\s+rate/);
  });

  it('exits 1 when a threshold fails, and prints the threshold table', async () => {
    const dir = tempDir();
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, `name: failing\nseed: 3\ntarget:\n  http:\n    url: ${failing.url}\nphases:\n  - { kind: constant, rate: 100/s, duration: 1s }\nthresholds:\n  - error_rate < 1%\n  - p99 < 10s\n`);
    const r = await runCli(['run', file, '--out', join(dir, 'out')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error_rate < 1%\s+100\.00%\s+FAIL/);
    expect(r.stdout).toMatch(/p99 < 10s\s+\S+\s+PASS/);
    expect(r.stdout).toMatch(/5xx 100/);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('%s stops sending, writes all results and exits 130', async (signal) => {
    const out = join(tempDir(), 'int');
    const p = runCli(['run', '--target', ok.url, '--rate', '100', '--duration', '60s', '--out', out]);
    await waitFor(() => existsSync(join(out, 'journal.jsonl')) && readFileSync(join(out, 'journal.jsonl'), 'utf8').includes('"interval"'));
    p.child.kill(signal);
    const r = await p;
    expect(r.code).toBe(130);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('interrupted');
    expect(summary.exitCode).toBe(130);
    expect(summary.counts.sent).toBeGreaterThan(50);
    expect(summary.counts.sent).toBeLessThan(6000);
  });

  it('`report` rebuilds every interval that closed more than a second before a SIGKILL at a random moment', async () => {
    const out = join(tempDir(), 'killed');
    const p = runCli(['run', '--target', ok.url, '--rate', '100', '--duration', '60s', '--out', out]);
    await waitFor(() => existsSync(join(out, 'journal.jsonl')) && readFileSync(join(out, 'journal.jsonl'), 'utf8').includes('"start"'));
    const delayMs = 1500 + Math.floor(Math.random() * 4500);
    await new Promise((r) => setTimeout(r, delayMs));
    const killedAt = Date.now();
    p.child.kill('SIGKILL');
    await p;
    expect(existsSync(join(out, 'summary.json'))).toBe(false);
    const r = await runCli(['report', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.status).toBe('incomplete');
    expect(summary.verdict).toBe('INCOMPLETE');
    const start = JSON.parse(readFileSync(join(out, 'journal.jsonl'), 'utf8').split('\n')[0]);
    // every 1 s interval that ended more than a second before the kill is in the rebuilt report
    const closedBefore = Math.floor((killedAt - 1000 - start.startEpochMs) / 1000);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/INCOMPLETE/);
    for (let t = 0; t < closedBefore; t++) expect(report, `interval ${t} (killed ${delayMs} ms after the start record)`).toMatch(new RegExp(`^\\| ${t} \\| constant-0 \\|  \\| 100 \\| 100 \\|`, 'm'));
    const c = summary.counts;
    expect(c.due).toBeGreaterThanOrEqual(closedBefore * 100);
    expect(c.ok + c.failed + c.dropped + c.unfinished).toBe(c.due);
    expect(summary.latency.p50).toBeGreaterThan(0);
    expect(existsSync(join(out, 'summary.json'))).toBe(true);
    // junit.xml too, with the partial run as an error case
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toMatch(/<error message="incomplete" type="incomplete">/);
    // the full report: every postmortem section in report.md and report.html, the title says INCOMPLETE, the charts are drawn
    const sections = [...report.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual(expect.arrayContaining(['Summary', 'Hypothesis and SLOs', 'Experiment', 'Impact', 'What happened', 'Detection', 'Contributing factors', 'What went well, what went wrong', 'Charts', 'Timeline', 'Appendix']));
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/<title>[^<]*INCOMPLETE<\/title>/);
    expect([...html.matchAll(/<h2>(.+?)<\/h2>/g)].map((m) => m[1].replace(/&amp;/g, '&'))).toEqual(sections);
    expect(existsSync(join(out, 'chart-throughput.svg'))).toBe(true);
  });

  it('refuses to overwrite a results directory that already holds a run', async () => {
    const out = join(tempDir(), 'twice');
    expect((await runCli(['run', '--target', ok.url, '--rate', '50', '--duration', '1s', '--out', out])).code).toBe(0);
    const again = await runCli(['run', '--target', ok.url, '--rate', '50', '--duration', '1s', '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run/);
  });

  it.each([
    [['--rate', 'fast', '--duration', '1s'], /--rate expects a rate such as 2000 or 2000\/s, got "fast"/],
    [['--rate', '10', '--duration', 'soon'], /--duration expects a duration such as 500ms/],
    [['--target', 'ftp://x', '--rate', '10', '--duration', '1s'], /http/],
    [['--rate', '10'], /--duration/],
  ])('bad flags %j exit 2 with a clear message and no stack trace', async (args, message) => {
    const r = await runCli(['run', ...args, '--out', join(tempDir(), 'x')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('--help teaches with real examples', async () => {
    const r = await runCli(['run', '--help'], { env: { OCLIF_COLUMNS: '200' } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rushhour run scenarios\/smoke\.yaml/);
    expect(r.stdout).toMatch(/--target http:\/\/127\.0\.0\.1:8080\/ingest --rate 2000 --duration 30s/);
    expect(r.stdout).toMatch(/130 interrupted/);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('waitFor: timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
