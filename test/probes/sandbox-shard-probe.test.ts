import { KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { SandboxQueueProbe } from '../../src/probes/sandbox-probes.js';
import { loadShards, ShardMap } from '../../src/targets/kinesis/shard-map.js';
import { message, sleep, start } from '../sandbox/helpers.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * The probe that reads the sandbox's /stats, at the kinesis door: one poison record (the test's
 * hook until the faults issue adds poison) put on a known shard blocks exactly that shard, and
 * the probe's readings say so — that shard blocked with a growing iterator age, the others at 0.
 */
describe('SandboxQueueProbe at the kinesis door (real sandbox process, the SDK\'s default client)', () => {
  it('reads per-shard iterator age: the poisoned shard climbs while blocked, the others stay at zero, and the unused queue is not reported', async () => {
    const sb = await start({ ingest: 'kinesis', stream: { shards: 4, batchSize: 10 }, processor: { initTime: '5ms', workTime: '1ms' } });
    const client = new KinesisClient({ endpoint: sb.baseUrl, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
    const probe = new SandboxQueueProbe(sb.statsUrl);
    try {
      const map = new ShardMap(await loadShards(client, { StreamName: 'telemetry' }));
      const key = (shard: number, i: number) => {
        for (let k = 0; k < 10_000; k++) if (map.shardOf(`${i}-${k}`) === shard) return `${i}-${k}`;
        throw new Error('no key');
      };
      const records = [0, 1, 2, 3].map((shard) => ({ PartitionKey: key(shard, shard), Data: Buffer.from(message(`ok-${shard}`)) }));
      records.push({ PartitionKey: key(2, 9), Data: Buffer.from('not json: poison') });
      expect((await client.send(new PutRecordsCommand({ StreamName: 'telemetry', Records: records }))).FailedRecordCount).toBe(0);
      await probe.start();
      const ages: number[] = [];
      // the probe samples /stats once a second: wait for three distinct samples of the blocked shard
      for (let i = 0; i < 60 && ages.length < 3; i++) {
        await sleep(250);
        const shards = probe.readings().shards!;
        const hot = shards[2];
        if (!hot.blocked || hot.iteratorAgeMs === ages[ages.length - 1]) continue;
        expect(shards.filter((s) => s.blocked).map((s) => s.id)).toEqual([map.shards[2].id]);
        expect(shards.filter((_, j) => j !== 2).map((s) => s.iteratorAgeMs)).toEqual([0, 0, 0]);
        ages.push(hot.iteratorAgeMs);
      }
      expect(ages.length).toBe(3);
      expect(ages[0]).toBeGreaterThan(0);
      expect(ages[2]).toBeGreaterThan(ages[0]);
      expect(probe.readings().queues!.map((q) => q.name)).toEqual(['sandbox-dlq']);
    } finally {
      await probe.stop();
      client.destroy();
      await sb.stop();
    }
  }, 30_000);
});
