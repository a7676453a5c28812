import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/load/pacers.js';
import { findIdentity } from '../../src/payload/identity.js';
import { DeliveryTracker } from '../../src/probes/delivery-tracker.js';
import { SqsOutputProbe } from '../../src/probes/sqs-output-probe.js';
import { SqsQueueProbe } from '../../src/probes/sqs-queue-probe.js';
import type { SqsProbeQueue } from '../../src/scenario/probes-schema.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { UserError } from '../../src/util/user-error.js';
import { REGION, sqsClient, startFauxqs, type Emulator } from '../support/aws-emulators.js';
import { TestEnv } from '../support/env.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

let emu: Emulator;
let client: SQSClient;
const env = new TestEnv();

beforeAll(async () => {
  // The probes use the SDK's own credential chain: dummy keys for the emulator.
  env.set({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' });
  emu = await startFauxqs();
  client = sqsClient(emu.endpoint);
});
afterAll(async () => {
  client.destroy();
  await emu.close();
  env.restore();
});

const queue = (name: string): SqsProbeQueue => ({ kind: 'sqs', queue: name, endpoint: emu.endpoint, region: REGION });
const createQueue = async (name: string, attributes: Record<string, string> = {}) => (await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }))).QueueUrl!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it holds, at most `ms`. */
async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not within ${ms}ms`);
    await sleep(50);
  }
}

describe('SqsQueueProbe (fauxqs)', () => {
  it('reads the depth of a queue: N messages sent straight into it show as visible N', async () => {
    const url = await createQueue('depth-dlq');
    for (let i = 0; i < 3; i++) {
      await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: Array.from({ length: 10 }, (_, j) => ({ Id: String(j), MessageBody: `m${i}-${j}` })) }));
    }
    await client.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'late', DelaySeconds: 60 }));
    const probe = new SqsQueueProbe([queue('depth-dlq')]);
    await probe.start();
    try {
      await until(() => probe.readings().queues?.[0]?.visible === 30, 5_000);
      expect(probe.readings().queues).toEqual([{ name: 'depth-dlq', role: 'dlq', visible: 30, notVisible: 0, delayed: 1 }]);
    } finally {
      await probe.stop();
    }
    expect(probe.failures.count).toBe(0);
  });

  it('sees a message the redrive policy moved to the DLQ (maxReceiveCount 1, received twice)', async () => {
    const dlqUrl = await createQueue('redrive-dlq');
    const arn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const src = await createQueue('redrive-src', { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 1 }) });
    await client.send(new SendMessageCommand({ QueueUrl: src, MessageBody: 'poison' }));
    const probe = new SqsQueueProbe([queue('redrive-dlq'), queue(src)]);
    await probe.start();
    try {
      expect(probe.readings().queues?.map((q) => [q.name, q.visible])).toEqual([['redrive-dlq', 0], [src, 1]]);
      const first = await client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 1 }));
      expect(first.Messages).toHaveLength(1); // not deleted: the consumer "failed"
      await sleep(1_200); // its visibility timeout
      const second = await client.send(new ReceiveMessageCommand({ QueueUrl: src, MaxNumberOfMessages: 1 }));
      expect(second.Messages ?? []).toHaveLength(0); // its second receive moved it to the DLQ
      await until(() => (probe.readings().queues?.[0]?.visible ?? 0) >= 1, 5_000);
      expect(probe.readings().queues?.[0]).toMatchObject({ name: 'redrive-dlq', role: 'dlq', visible: 1 });
    } finally {
      await probe.stop();
    }
  });

  it('a queue that does not exist, or an endpoint that cannot be reached, is a UserError at start naming probes.dlq', async () => {
    const err = await new SqsQueueProbe([queue('no-such-dlq')]).start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^probes\.dlq: queue 'no-such-dlq' not found in us-east-1 at http:\/\/127\.0\.0\.1:\d+ \(from the scenario\)$/);
    expect((err as UserError).hint).toMatch(/create it .*check probes\.dlq's sqs name or URL/);
    await createQueue('exists-dlq');
    const second = await new SqsQueueProbe([queue('exists-dlq'), queue('missing-2')]).start().catch((e: unknown) => e);
    expect((second as UserError).message).toMatch(/^probes\.dlq\[1\]: queue 'missing-2' not found/);
    const down = await new SqsQueueProbe([{ ...queue('x'), endpoint: 'http://127.0.0.1:1' }]).start().catch((e: unknown) => e);
    expect(down).toBeInstanceOf(UserError);
    expect((down as UserError).message).toMatch(/^cannot reach the SQS endpoint for probes\.dlq: queue 'x' .*: refused$/);
    expect((down as UserError).hint).toMatch(/probes\.dlq's endpoint/);
  });
});

const hash = (n: number) => (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;

describe('SqsOutputProbe (fauxqs)', () => {
  it('a loopback pipeline that drops 1 % and duplicates 0.5 %: exactly those counts come out, nothing unexpected, the queue emptied', async () => {
    const COUNT = 5_000;
    const fleet = fleetConfig({ vehicles: 200 });
    const source = createMessageSource(fleet, 33);
    const idPath = findIdentity(createMessageSource(fleet, 33)).idPath;
    expect(idPath).toBe('messageId');
    const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: COUNT / 10, rate: 10_000 }]);
    expect(pacer.count).toBe(COUNT);
    const tracker = new DeliveryTracker({ seed: 33, vehicles: 200, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
    const url = await createQueue('pipeline-out');
    const probe = new SqsOutputProbe({ ...queue('pipeline-out'), pollers: 4 }, tracker, idPath!);
    await probe.start();
    tracker.started(Date.now());
    const drop = (n: number) => hash(n) < 0.01;
    const dup = (n: number) => hash(n) >= 0.01 && hash(n) < 0.015;
    let dropped = 0;
    let duplicated = 0;
    let sent = 0;
    let batch: { Id: string; MessageBody: string }[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      const out = await client.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: batch }));
      expect(out.Failed ?? []).toHaveLength(0);
      batch = [];
    };
    for (let n = 0; n < COUNT; n++) {
      tracker.sent(n);
      tracker.accepted(n);
      if (drop(n)) {
        dropped++;
        continue;
      }
      const body = source.next(n, Date.now()).body as string;
      for (let k = 0; k < (dup(n) ? 2 : 1); k++) {
        batch.push({ Id: String(batch.length), MessageBody: body });
        sent++;
        if (batch.length === 10) await flush();
      }
      if (dup(n)) duplicated++;
    }
    await flush();
    expect(dropped).toBeGreaterThan(20);
    expect(duplicated).toBeGreaterThan(10);
    try {
      await until(() => probe.received >= sent, 30_000);
    } finally {
      await probe.stop();
    }
    expect(probe.readings().delivery).toMatchObject({ seen: COUNT - dropped, pending: dropped, unexpected: 0 });
    const totals = tracker.finish(probe.name);
    expect(totals).toMatchObject({ consumer: 'sqs pipeline-out', accepted: COUNT, seen: COUNT - dropped, lost: dropped, duplicated, unexpected: 0, late: 0, pending: 0 });
    expect(totals.e2eLatency.count).toBe(COUNT - dropped);
    expect(probe.received).toBe(sent);
    expect(probe.deleted).toBe(sent);
    expect(probe.failures.count).toBe(0);
    const left = await client.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(left.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  }, 60_000);

  it('finds the id in a messageId attribute or at a nested path; a body without one counts as unexpected (and is deleted)', async () => {
    const source = createMessageSource(fleetConfig({ vehicles: 10 }), 5);
    const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: 1_000, rate: 10 }]);
    const tracker = new DeliveryTracker({ seed: 5, vehicles: 10, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
    tracker.started(Date.now());
    const ids = [0, 1, 2].map((n) => {
      tracker.sent(n);
      tracker.accepted(n);
      return source.next(n, 0).messageId;
    });
    const url = await createQueue('shaped-out');
    await client.send(new SendMessageBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'a', MessageBody: JSON.stringify({ meta: { id: ids[0] } }) },
        { Id: 'b', MessageBody: 'not json', MessageAttributes: { messageId: { DataType: 'String', StringValue: ids[1] } } },
        { Id: 'c', MessageBody: JSON.stringify({ meta: { id: ids[2] }, other: 1 }) },
        { Id: 'd', MessageBody: 'neither json nor an attribute' },
        { Id: 'e', MessageBody: JSON.stringify({ meta: { nothing: true } }) },
      ],
    }));
    const probe = new SqsOutputProbe({ ...queue('shaped-out'), pollers: 1 }, tracker, 'meta.id');
    await probe.start();
    try {
      await until(() => probe.received >= 5, 10_000);
    } finally {
      const t0 = Date.now();
      await probe.stop();
      expect(Date.now() - t0).toBeLessThan(2_500); // the long poll is 1 s
    }
    expect(tracker.counts()).toMatchObject({ accepted: 3, seen: 3, unexpected: 2, pending: 0 });
    expect(probe.deleted).toBe(5);
  }, 30_000);

  it('a missing output queue is a UserError at start naming probes.output', async () => {
    const source = createMessageSource(fleetConfig({ vehicles: 10 }), 5);
    const tracker = new DeliveryTracker({ seed: 5, vehicles: 10, schedule: source.schedule, pacer: createSchedule([{ kind: 'constant', name: 's', durationMs: 1_000, rate: 10 }]), window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
    const probe = new SqsOutputProbe({ ...queue('no-such-out'), pollers: 2 }, tracker, 'messageId');
    const err = await probe.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^probes\.output: queue 'no-such-out' not found/);
    await probe.stop(); // never started: resolves at once
  });
});
