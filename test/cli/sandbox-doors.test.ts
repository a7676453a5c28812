import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

// The shipped Kinesis and SQS scenarios on a machine with no AWS: the sandbox's doors, driven by
// rushhour's real Kinesis and SQS targets (the AWS SDK). No AWS endpoint variable reaches these runs, and no credentials are needed.
const noAws = { AWS_ENDPOINT_URL: '', AWS_ENDPOINT_URL_KINESIS: '', AWS_ENDPOINT_URL_SQS: '' };

describe('the sandbox\'s kinesis and sqs doors (child process, no AWS account)', () => {
  it('scenarios/kinesis.yaml: PutRecords into 4 shards, a hot shard from the skewed key, every record seen at the output', async () => {
    const out = join(tempDir(), 'kinesis');
    const r = await runCli(['run', 'scenarios/kinesis.yaml', '--duration', '12s', '--out', out], { env: noAws, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    expect(s.target).toMatch(/^sandbox kinesis door at http:\/\/127\.0\.0\.1:\d+/);
    expect(s.requests.count).toBeGreaterThan(0);
    expect(s.shards).toHaveLength(4);
    expect(s.shards.filter((x: { hot: boolean }) => x.hot).length).toBeGreaterThan(0);
    for (const x of s.shards) expect(x.iteratorAgeMsMax).toBeGreaterThanOrEqual(0);
    expect(s.delivery).toMatchObject({ consumer: 'sandbox /output', lost: 0, duplicated: 0, unexpected: 0 });
    expect(s.delivery.seen).toBe(s.delivery.accepted);
    expect(s.delivery.accepted).toBe(s.counts.ok);
    expect(r.stdout).toMatch(/^shards: 4; hot: shardId-\d{12} \(/m);
    expect(r.stdout).toMatch(/^iterator age: max \S+ on shardId-\d{12}/m);
    expect(r.stdout).toMatch(/^t=.* iter \S+/m);
    // the hot shard's records still throttled after the target's retries fail: the ok_rate threshold says so
    const hot = s.shards.find((x: { hot: boolean }) => x.hot);
    expect(hot.throttled).toBeGreaterThan(0);
    expect(s.thresholds.find((t: { metric: string }) => t.metric === 'lost')).toMatchObject({ pass: true });
    expect(s.queues.map((q: { name: string }) => q.name)).toEqual(['sandbox-dlq']);
    expect(r.code).toBe(s.thresholds.every((t: { pass: boolean }) => t.pass) ? 0 : 1);
  }, 150_000);

  it('scenarios/sqs.yaml: SendMessageBatch into the queue; a visibility timeout shorter than the work redelivers batches, and the consumer counts the duplicates', async () => {
    const out = join(tempDir(), 'sqs');
    const r = await runCli(['run', 'scenarios/sqs.yaml', '--duration', '10s', '--out', out], { env: noAws, timeoutMs: 120_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    expect(s.target).toMatch(/^sandbox sqs door at http:\/\/127\.0\.0\.1:\d+/);
    expect(s.counts.ok).toBe(s.counts.due);
    expect(s.delivery).toMatchObject({ lost: 0, unexpected: 0 });
    expect(s.delivery.seen).toBe(s.delivery.accepted);
    expect(s.delivery.duplicated).toBeGreaterThan(0);
    const dup = s.thresholds.find((t: { metric: string }) => t.metric === 'duplicated');
    expect(dup).toMatchObject({ pass: false });
    expect(s.thresholds.find((t: { metric: string }) => t.metric === 'lost')).toMatchObject({ pass: true });
    expect(r.stdout).toMatch(/seen — 0 lost, [\d,]+ duplicated/);
    expect(r.code).toBe(1);
  }, 150_000);

  it('no false alarm over 100,000 messages: through the kinesis door, every accepted record is seen once, none lost, duplicated, reordered or unexpected', async () => {
    const file = join(tempDir(), 'k100k.yaml');
    writeFileSync(file, [
      'name: k100k', 'seed: 3', 'fleet: { vehicles: 50000, cadence: { min: 4s, max: 6s }, partitionKey: { strategy: vin } }',
      'target: sandbox', 'sandbox: { ingest: kinesis, stream: { shards: 16, writeLimit: false } }',
      'phases:', '  - { kind: constant, rate: 10000/s, duration: 10s }', 'engine: { warmup: 0 }', 'thresholds:', '  - lost == 0', '  - duplicated == 0', '  - reordered == 0', '  - unexpected == 0', '',
    ].join('\n'));
    const out = join(tempDir(), 'k100k');
    const r = await runCli(['run', file, '--out', out], { env: noAws, timeoutMs: 150_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    expect(s.counts.ok).toBe(100_000);
    expect(s.delivery).toMatchObject({ accepted: 100_000, seen: 100_000, lost: 0, duplicated: 0, reordered: 0, unexpected: 0, late: 0, pending: 0 });
    expect(s.delivery.e2eLatency.count).toBe(100_000);
    expect(r.code, r.stdout.slice(-2000)).toBe(0);
  }, 180_000);

  it('the DLQ probe sees what the sqs door\'s queue redrives after maxReceiveCount: every message the processor rejects', async () => {
    const schema = resolve('scenarios/schemas/acme-telemetry.schema.json');
    const file = join(tempDir(), 'redrive.yaml');
    writeFileSync(file, [
      'name: redrive', 'seed: 5', 'fleet: { vehicles: 200 }', 'target: sandbox',
      `sandbox: { ingest: sqs, schema: ${JSON.stringify(schema)}, fields: { messageId: msgId, vehicleId: deviceId }, queue: { maxReceiveCount: 1, visibilityTimeout: 200ms } }`,
      // no warm-up: its messages would be rejected too and a queue's depth cannot tell them from the run's
      'phases:', '  - { kind: constant, rate: 100/s, duration: 2s }', 'engine: { warmup: 0 }', 'probes: { drain: 3s }', 'thresholds:', '  - dlq_depth == 0', '',
    ].join('\n'));
    const out = join(tempDir(), 'redrive');
    const r = await runCli(['run', file, '--out', out], { env: noAws, timeoutMs: 90_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    const s = summaryOf(out);
    expect(s.counts.ok).toBe(200);
    expect(s.queues).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'sandbox-dlq', role: 'dlq', peakDepth: 200, finalDepth: 200 })]));
    expect(s.thresholds[0]).toMatchObject({ metric: 'dlq_depth', actual: 200, pass: false });
    expect(s.delivery).toMatchObject({ accepted: 200, seen: 0, lost: 200 });
    expect(r.stdout).toMatch(/^queue sandbox-dlq \(dlq\): peak depth 200, final 200$/m);
    expect(r.code).toBe(1);
  }, 120_000);
});
