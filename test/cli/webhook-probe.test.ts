import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { closedPort, startServer, type TestServer } from '../support/http-server.js';

let pipeline: TestServer;
let receiverPort: number;
let forwarded = 0;
let forwardFailures = 0;
const ids = new Set<string>();

beforeAll(async () => {
  receiverPort = await closedPort();
  // A loopback "pipeline": answers 202 at once and forwards every body to rushhour's receiver (fire and forget).
  pipeline = await startServer((_req, body, res) => {
    res.writeHead(202).end();
    forwarded++;
    ids.add(String((JSON.parse(body) as { messageId: string }).messageId));
    fetch(`http://127.0.0.1:${receiverPort}/`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }).then((r) => r.arrayBuffer(), () => forwardFailures++);
  });
});
afterAll(async () => {
  await pipeline.close();
});

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('probes.output: { http } in a run (child process, loopback webhook pipeline)', () => {
  it('every accepted message is POSTed back to the receiver: 400 accepted, 400 seen, 0 lost, exit 0', async () => {
    const file = join(tempDir(), 'webhook.yaml');
    writeFileSync(file, [
      'name: webhook',
      'seed: 12',
      'fleet: { vehicles: 100 }',
      `target: { http: { url: "${pipeline.url}" } }`,
      'phases:',
      '  - { kind: constant, rate: 200/s, duration: 2s }',
      `probes: { output: { http: { listen: "127.0.0.1:${receiverPort}" } }, drain: 5s }`,
      'thresholds:',
      '  - lost == 0',
      '',
    ].join('\n'));
    const out = join(tempDir(), 'out');
    const r = await runCli(['run', file, '--out', out], { timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    expect(r.code, `distinct bodies at the pipeline ${ids.size} of ${forwarded}; delivery ` + JSON.stringify(s.delivery) + r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(s.delivery).toMatchObject({ consumer: `webhook http://127.0.0.1:${receiverPort}/`, accepted: 400, seen: 400, lost: 0, duplicated: 0, unexpected: 0, pending: 0 });
    // every request the target sent carried a message of its own (the warm-up's included)
    expect(ids.size, `distinct ids at the pipeline: ${ids.size} of ${forwarded}`).toBe(forwarded);
    expect(forwarded).toBeGreaterThanOrEqual(400);
    expect(forwardFailures).toBe(0);
    expect(r.stdout).toMatch(/^delivery \(webhook http:\/\/127\.0\.0\.1:\d+\/\): 400 accepted, 400 seen — 0 lost/m);
  }, 60_000);

  it('a receiver port already in use fails before the clock with exit 2, naming probes.output.http.listen', async () => {
    const busy = await startServer((_req, _body, res) => res.writeHead(200).end());
    try {
      const port = new URL(busy.url).port;
      const file = join(tempDir(), 'busy.yaml');
      writeFileSync(file, `name: busy\nseed: 1\nfleet: { vehicles: 10 }\ntarget: { http: { url: "${pipeline.url}" } }\nphases:\n  - { kind: constant, rate: 10/s, duration: 1s }\nprobes: { output: { http: { listen: "127.0.0.1:${port}" } } }\n`);
      const r = await runCli(['run', file, '--out', join(tempDir(), 'busy')], { timeoutMs: 30_000 });
      expect(r.stderr).not.toMatch(STACK_LINE);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr).toMatch(/probes\.output\.http\.listen: cannot listen on 127\.0\.0\.1:\d+ \(the port is in use\)/);
      expect(r.stderr).toMatch(/hint: .*free port/);
    } finally {
      await busy.close();
    }
  }, 60_000);
});
