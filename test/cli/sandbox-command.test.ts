import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

describe('rushhour sandbox (child process)', () => {
  it('serves the pipeline on loopback, prints its URLs, and stops cleanly on Ctrl-C', async () => {
    const p = runCli(['sandbox', '--port', '0'], { timeoutMs: 60_000 });
    let out = '';
    p.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const until = Date.now() + 30_000;
    while (!/stats\s+GET\s+\S+/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const ingest = /POST (http:\/\/127\.0\.0\.1:\d+\/ingest)/.exec(out)![1];
    const stats = /stats\s+GET\s+(\S+)/.exec(out)![1];
    const body = JSON.stringify({ messageId: 'm-1', vehicleId: 'YS2R4X20005399401', seq: 1, sentAt: Date.now(), schemaVersion: 1, kind: 'telemetry' });
    const res = await fetch(ingest, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(202);
    const s = (await (await fetch(stats)).json()) as { ingest: { received: number; accepted: number } };
    expect(s.ingest).toMatchObject({ received: 1, accepted: 1 });
    p.child.kill('SIGINT');
    const r = await p;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/sandbox stopped/);
  });

  it('--config with a kinesis door prints the AWS endpoint to use, and an AWS client reaches the stream there', async () => {
    const p = runCli(['sandbox', '--port', '0', '--config', 'scenarios/kinesis.yaml'], { timeoutMs: 60_000 });
    let out = '';
    p.child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const until = Date.now() + 30_000;
    while (!/stats\s+GET\s+\S+/.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const endpoint = /ingest {2}kinesis stream telemetry \(4 shards\): AWS_ENDPOINT_URL_KINESIS=(http:\/\/127\.0\.0\.1:\d+) /.exec(out)![1];
    // the SDK's Kinesis client as a user's producer would build it: HTTP/2 by default
    const client = new KinesisClient({ endpoint, region: 'eu-north-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1 });
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: 'telemetry' }));
    expect(summary.StreamDescriptionSummary).toMatchObject({ StreamName: 'telemetry', StreamStatus: 'ACTIVE', OpenShardCount: 4 });
    client.destroy();
    p.child.kill('SIGINT');
    expect((await p).code).toBe(0);
  });

  it('a bad sandbox: block in --config exits 2 naming the file, line:column and field', async () => {
    const file = join(tempDir(), 'bad.yaml');
    writeFileSync(file, 'name: x\nsandbox:\n  db:\n    maxConnections: lots\n');
    const r = await runCli(['sandbox', '--port', '0', '--config', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:4:\d+.*maxConnections/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});
