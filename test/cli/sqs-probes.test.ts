import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateQueueCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { sqsClient, startFauxqs, type Emulator } from '../support/aws-emulators.js';

let emu: Emulator;
let client: SQSClient;
// Dummy keys for the emulator; the endpoint is in the scenario's blocks.
const env: NodeJS.ProcessEnv = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' };
beforeAll(async () => {
  emu = await startFauxqs();
  client = sqsClient(emu.endpoint);
  const dlq = (await client.send(new CreateQueueCommand({ QueueName: 'pipeline-dlq' }))).QueueUrl!;
  await client.send(new SendMessageBatchCommand({ QueueUrl: dlq, Entries: [0, 1, 2].map((i) => ({ Id: String(i), MessageBody: `poison ${i}` })) }));
  await client.send(new CreateQueueCommand({ QueueName: 'loopback' }));
});
afterAll(async () => {
  client.destroy();
  await emu.close();
});

function scenario(target: string, probes: string): string {
  const file = join(tempDir(), 'sqs-probes.yaml');
  writeFileSync(file, `name: sqs-probes\nseed: 8\nfleet: { vehicles: 100 }\ntarget: ${target}\nphases:\n  - { kind: constant, rate: 100/s, duration: 2s }\nprobes: ${probes}\n`);
  return file;
}

const summaryOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));

describe('SQS probes in a run (child process, fauxqs on loopback)', () => {
  it('the sandbox with probes.dlq on an SQS queue: dlq in the plain lines, the queue in summary.json queues[]', async () => {
    const out = join(tempDir(), 'dlq');
    const r = await runCli(['run', scenario('sandbox', `{ drain: 5s, dlq: { sqs: pipeline-dlq, endpoint: "${emu.endpoint}", region: us-east-1 } }`), '--out', out], { env, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^t=.* dlq 3 /m);
    const s = summaryOf(out);
    expect(s.queues).toEqual([{ name: 'pipeline-dlq', role: 'dlq', peakDepth: 3, finalDepth: 3 }]);
    expect(s.delivery).toMatchObject({ consumer: 'sandbox /output', accepted: 200, seen: 200, lost: 0 });
  }, 60_000);

  it('an SQS target with probes.output on the same queue (a loopback pipeline): every accepted message seen, none lost', async () => {
    const out = join(tempDir(), 'loop');
    const block = `endpoint: "${emu.endpoint}", region: us-east-1`;
    const r = await runCli(['run', scenario(`{ sqs: { queue: loopback, ${block} } }`, `{ drain: 10s, output: { sqs: loopback, pollers: 2, ${block} }, dlq: none }`), '--out', out], { env, timeoutMs: 60_000 });
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
    const s = summaryOf(out);
    expect(s.delivery).toMatchObject({ consumer: 'sqs loopback', accepted: 200, seen: 200, lost: 0, duplicated: 0, unexpected: 0 });
    expect(r.stdout).toMatch(/^delivery \(sqs loopback\): 200 accepted, 200 seen — 0 lost, 0 duplicated/m);
  }, 60_000);

  it('a probes.dlq queue that does not exist fails before the clock with exit 2, naming the field', async () => {
    const out = join(tempDir(), 'missing');
    const r = await runCli(['run', scenario('sandbox', `{ dlq: [{ sqs: pipeline-dlq, endpoint: "${emu.endpoint}" }, { sqs: nope, endpoint: "${emu.endpoint}" }] }`), '--out', out], { env, timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/error: probes\.dlq\[1\]: queue 'nope' not found/);
    expect(r.stderr).toMatch(/hint: create it/);
    expect(r.stderr).not.toMatch(STACK_LINE);
  }, 60_000);
});
