import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../support/cli.js';
import { closedPort, startServer, type TestServer } from '../support/http-server.js';

/** Every secret a user can write into a scenario: URL userinfo, a credential query value, literal and ${ENV} header values. */
const SECRETS = ['al1ce-user', 'pa55word-x', 'c0de-s3cret', 'lit3ral-s3cret', 'env-s3cret-value'];
const ENV = { RH_TEST_API_KEY: 'env-s3cret-value' };

let server: TestServer;
const seen: { auth?: string; key?: string } = {};
beforeAll(async () => {
  server = await startServer((req, _body, res) => {
    seen.auth = req.headers.authorization;
    seen.key = req.headers['x-api-key'] as string | undefined;
    res.writeHead(202).end();
  });
});
afterAll(() => server.close());

function scenario(port: number): string {
  const file = join(tempDir(), 'secret.yaml');
  writeFileSync(file, [
    'name: secrets',
    'target:',
    '  http:',
    `    url: "http://al1ce-user:pa55word-x@127.0.0.1:${port}/ingest?code=c0de-s3cret&page=1"`,
    '    headers:',
    '      Authorization: "Bearer lit3ral-s3cret"',
    '      X-Api-Key: "${RH_TEST_API_KEY}"',
    'phases:',
    '  - { kind: constant, rate: 100/s, duration: 2s }',
    'thresholds:',
    '  - p99 < 5s',
    '',
  ].join('\n'));
  return file;
}

function expectNoSecret(where: string, text: string): void {
  for (const s of SECRETS) expect(text, `${where} holds "${s}"`).not.toContain(s);
}

describe('secrets never leave the process (child process)', () => {
  it('a run writes none into the journal, hlog, summary, report, the jsonl stream or the terminal — and still sends them', async () => {
    const out = join(tempDir(), 'run');
    const port = Number(new URL(server.url).port);
    const r = await runCli(['run', scenario(port), '--out', out, '--log', 'jsonl'], { env: ENV });
    expect(r.code, r.stderr).toBe(0);
    expect(seen).toEqual({ auth: 'Bearer lit3ral-s3cret', key: 'env-s3cret-value' });
    expectNoSecret('stdout', r.stdout);
    expectNoSecret('stderr', r.stderr);
    const files = readdirSync(out);
    expect(files).toEqual(expect.arrayContaining(['journal.jsonl', 'latency.hlog', 'summary.json', 'report.md']));
    for (const f of files) expectNoSecret(f, readFileSync(join(out, f), 'utf8'));
    // the masked forms are there instead
    expect(readFileSync(join(out, 'journal.jsonl'), 'utf8')).toContain('http://***:***@127.0.0.1');
    expect(readFileSync(join(out, 'journal.jsonl'), 'utf8')).toContain('code=***&page=1');
  });

  it('validate and validate --json print none', async () => {
    for (const args of [[], ['--json']]) {
      const r = await runCli(['validate', scenario(8080), ...args], { env: ENV });
      expect(r.code, r.stderr).toBe(0);
      expectNoSecret(`validate ${args.join(' ')}`, r.stdout + r.stderr);
    }
  });

  it('the error for an unreachable target prints none', async () => {
    const r = await runCli(['run', scenario(await closedPort()), '--out', join(tempDir(), 'x')], { env: ENV });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/connection refused/);
    expectNoSecret('stderr', r.stderr + r.stdout);
  });

  it('the errors for a bad scenario or a bad --target print none', async () => {
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'name: bad\ntarget:\n  http:\n    url: "ftp://al1ce-user:pa55word-x@127.0.0.1:1/x?code=c0de-s3cret"\n    headers:\n      Authorization: "Bearer lit3ral-s3cret ${"\nduration: 1s\n');
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/target\.http\.url: .*got "ftp:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1\/x\?code=\*\*\*"/);
    expect(r.stderr).toMatch(/target\.http\.headers\.Authorization: .*not shown/);
    expectNoSecret('validate error', r.stdout + r.stderr);
    const flag = await runCli(['run', '--target', 'ftp://al1ce-user:pa55word-x@127.0.0.1/?code=c0de-s3cret', '--rate', '1', '--duration', '1s', '--out', join(tempDir(), 'y')]);
    expect(flag.code).toBe(2);
    expectNoSecret('--target error', flag.stdout + flag.stderr);
  });
});
