import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/load/pacers.js';
import { DeliveryTracker } from '../../src/probes/delivery-tracker.js';
import { SandboxOutputProbe } from '../../src/probes/sandbox-probes.js';
import type { SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { forwardedOrder, NO_INJECTION, STANDARD_INJECTION, type InjectionRule } from '../support/injected-pipeline.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';
import { sleep, start, stats } from '../sandbox/helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const COUNT = 100_000;
const VEHICLES = 1000;
const SEED = 21;
/** The "pipeline" in front of the sandbox trails the load by this many arrivals (two of each vehicle's messages, inside the window of 64). */
const LAG = 2000;
/** Writes arrivals into the sandbox's kinesis door, 500 a PutRecords, and waits until its output has caught up. */
async function putAll(sb: SandboxHandle, client: KinesisClient, source: ReturnType<typeof createMessageSource>, ns: number[], before: number): Promise<number> {
  for (let i = 0; i < ns.length; i += 500) {
    const Records = ns.slice(i, i + 500).map((n) => {
      const m = source.next(n, 0);
      return { PartitionKey: m.partitionKey, Data: Buffer.from(m.body as string) };
    });
    const put = await client.send(new PutRecordsCommand({ StreamName: 'telemetry', Records }));
    expect(put.FailedRecordCount).toBe(0);
  }
  const total = before + ns.length;
  for (let i = 0; i < 200; i++) {
    const s = await stats(sb);
    if (s.output.written >= total) return total;
    await sleep(50);
  }
  throw new Error(`the sandbox's output did not reach ${total} entries`);
}

/**
 * The sandbox's output consumer against the real sandbox: 100,000 fleet messages go through a
 * loopback "pipeline" (this test) into the kinesis door, which drops 1 %, duplicates 0.5 % and
 * swaps neighbours by a seeded rule; the probe reads GET /output and the tracker must report
 * exactly those counts — and zero of each when nothing is injected.
 */
async function run(rule: InjectionRule) {
  const source = createMessageSource(fleetConfig({ vehicles: VEHICLES }), SEED);
  const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: COUNT / 10, rate: 10_000 }]);
  const tracker = new DeliveryTracker({ seed: SEED, vehicles: VEHICLES, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
  const sb = await start({ ingest: 'kinesis', stream: { shards: 8, writeLimit: false }, processor: { initTime: '5ms', workTime: '0ms' }, db: { queryTime: '0ms' }, output: { capacity: 200_000 } });
  const client = new KinesisClient({ endpoint: sb.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  const probe = new SandboxOutputProbe(sb.baseUrl, tracker);
  try {
    tracker.started(Date.now());
    await probe.start();
    const { out, swaps } = forwardedOrder(rule, source, COUNT);
    let put = 0;
    let written = 0;
    for (let n = 0; n < COUNT + LAG; n += 5000) {
      for (let k = n; k < Math.min(n + 5000, COUNT); k++) {
        tracker.sent(k);
        tracker.accepted(k);
      }
      const upTo = n + 5000 - LAG;
      const from = put;
      while (put < out.length && (out[put] < upTo || n + 5000 >= COUNT + LAG)) put++;
      written = await putAll(sb, client, source, out.slice(from, put), written);
    }
    // every forwarded message was written; wait (bounded) until the probe has read them all
    for (let i = 0; i < 100 && tracker.counts().seen + tracker.counts().duplicated < out.length; i++) await sleep(100);
    await probe.stop();
    return { ...tracker.finish(probe.name), swaps, missed: probe.missed };
  } finally {
    await probe.stop();
    client.destroy();
    await sb.stop();
  }
}

describe('the sandbox output probe against the real sandbox (kinesis door, 100,000 messages)', () => {
  it('nothing injected: zero lost, duplicated, reordered, unexpected', async () => {
    const t = await run(NO_INJECTION);
    expect(t).toMatchObject({ accepted: COUNT, seen: COUNT, lost: 0, duplicated: 0, reordered: 0, unexpected: 0, late: 0, pending: 0, missed: 0 });
  }, 120_000);

  it('drops 1 %, duplicates 0.5 %, swaps a vehicle\'s neighbours: exactly those counts, with the lost ids', async () => {
    const { drop, dup } = STANDARD_INJECTION;
    const all = Array.from({ length: COUNT }, (_, n) => n);
    const t = await run(STANDARD_INJECTION);
    expect(t.lost).toBe(all.filter(drop).length);
    expect(t.duplicated).toBe(all.filter(dup).length);
    expect(t.swaps).toBeGreaterThan(100);
    expect(t.reordered).toBe(t.swaps);
    expect(t).toMatchObject({ unexpected: 0, late: 0, pending: 0, missed: 0 });
    expect(t.seen + t.lost).toBe(COUNT);
    const source = createMessageSource(fleetConfig({ vehicles: VEHICLES }), SEED);
    const droppedIds = new Set(all.filter(drop).map((n) => source.next(n, 0).messageId));
    expect(t.lostExamples).toHaveLength(20);
    for (const e of t.lostExamples) expect(droppedIds.has(e.messageId)).toBe(true);
  }, 120_000);
});
