import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
});
