import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { sqsClient, startFauxqs, type Emulator } from '../support/aws-emulators.js';

let emu: Emulator;
let client: SQSClient;
let queueUrl: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  emu = await startFauxqs();
  client = sqsClient(emu.endpoint);
  queueUrl = (await client.send(new CreateQueueCommand({ QueueName: 'telemetry' }))).QueueUrl!;
  await client.send(new CreateQueueCommand({ QueueName: 'telemetry.fifo', Attributes: { FifoQueue: 'true' } }));
  env = { AWS_ENDPOINT_URL_SQS: emu.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});

/** Drains the queue and returns how many messages it held. */
async function drain(): Promise<number> {
  let n = 0;
  for (let empty = 0; empty < 2; ) {
    const out = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    const msgs = out.Messages ?? [];
    if (msgs.length === 0) {
      empty++;
      continue;
    }
    n += msgs.length;
    await client.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: msgs.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
  return n;
}

describe('rushhour run against SQS (child process, fauxqs on loopback)', () => {
  it('quick mode --target sqs:QUEUE: every message ok and in the queue, batch calls in summary.json', async () => {
    const out = join(tempDir(), 'sqs');
    const r = await runCli(['run', '--target', 'sqs:telemetry', '--rate', '200', '--duration', '2s', '--out', out], { env });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.counts).toMatchObject({ due: 400, ok: 400, failed: 0, dropped: 0, unfinished: 0 });
    expect(s.requests.records).toBe(400);
    expect(s.requests.count).toBeGreaterThanOrEqual(40);
    expect(s.shards).toBeNull();
    // the run's 400 messages, and the warm-up's before the clock (reported apart)
    expect(await drain()).toBe(400 + s.warmup.requests);
  });

  it('a queue that does not exist fails before the clock with exit 2 and says what to fix', async () => {
    const r = await runCli(['run', '--target', 'sqs:missing', '--rate', '100', '--duration', '2s', '--out', join(tempDir(), 'x')], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: queue 'missing' not found/);
    expect(r.stderr).toMatch(/hint: create it/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });

  it('scenarios/sqs-aws.yaml (a FIFO queue) runs against the emulator and passes its thresholds; validate --check finds the queue', async () => {
    const check = await runCli(['validate', 'scenarios/sqs-aws.yaml', '--check'], { env });
    expect(check.code, check.stderr).toBe(0);
    expect(check.stdout).toMatch(/checked\s+queue http:\/\/sqs\.us-east-1\.localhost:\d+\/000000000000\/telemetry\.fifo: exists, FIFO/);
    const out = join(tempDir(), 'shipped');
    const r = await runCli(['run', 'scenarios/sqs-aws.yaml', '--duration', '3s', '--out', out], { env, timeoutMs: 60_000 });
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.verdict).toBe('PASS');
    expect(s.counts.ok).toBe(1500);
  }, 60_000);
});
