import { z } from 'zod';
import { durationField, intField } from '../../util/unit-fields.js';
import { formatDuration } from '../../util/units.js';
import { endpointSource } from '../aws/client-config.js';
import { once } from '../http/kind.js';
import { costOf, type CostItem } from '../cost.js';
import type { TargetKind } from '../kind.js';
import { maskUrl } from '../mask.js';
import { keyTemplateField } from '../key-template.js';
import { DEFAULT_CONCURRENCY, DEFAULT_LINGER_MS, DEFAULT_RETRIES, MAX_PARTITION_KEY, MAX_RECORDS_PER_CALL, REQUEST_TIMEOUT_MS, streamId, type KinesisTargetConfig } from './config.js';
import { KinesisTarget } from './kinesis-target.js';

/** A PUT payload unit: each record is billed in units of 25 KB, rounded up. */
const PUT_UNIT_BYTES = 25 * 1024;

const schema = z
  .strictObject({
    stream: z
      .string()
      .superRefine((s, ctx) => {
        if (!streamId(s)) ctx.addIssue({ code: 'custom', message: 'expected a stream name (letters, digits, _ . -; at most 128) or a stream ARN such as arn:aws:kinesis:eu-north-1:123456789012:stream/telemetry' });
      })
      .meta({ title: 'Stream', description: 'A stream name or ARN.', examples: ['telemetry'] }),
    region: z.string().min(1).meta({ title: 'AWS region', description: 'Default: the SDK\'s configuration (AWS_REGION, the profile), or the ARN\'s region.' }).optional(),
    endpoint: z.string().url().meta({ title: 'Endpoint override', description: 'A local emulator, e.g. http://127.0.0.1:4567. Default: AWS_ENDPOINT_URL_KINESIS, else AWS_ENDPOINT_URL, else AWS.' }).optional(),
    profile: z.string().min(1).meta({ title: 'AWS profile', description: 'A named profile of the shared config and credentials files.' }).optional(),
    maxRecords: intField({ title: 'Records per PutRecords call', description: `1..${MAX_RECORDS_PER_CALL}. Default ${MAX_RECORDS_PER_CALL}.`, default: MAX_RECORDS_PER_CALL }, 1, MAX_RECORDS_PER_CALL).optional(),
    linger: durationField({ title: 'Linger', description: 'A partly filled batch goes out this long after its first record. Default 50ms.', examples: ['50ms'], default: '50ms' }, { min: 0, max: 60_000 }).optional(),
    concurrency: intField({ title: 'PutRecords calls in flight', description: `1..1000. Default ${DEFAULT_CONCURRENCY}.`, default: DEFAULT_CONCURRENCY }, 1, 1000).optional(),
    partitionKey: keyTemplateField({ title: 'Partition key', description: 'Per message, from {{field}} placeholders (e.g. {{fleetId}}); the hot-shard view follows it. Default: the fleet\'s partition key (fleet.partitionKey).', examples: ['{{fleetId}}', '{{tenantId}}-{{vehicleId}}'] }, MAX_PARTITION_KEY).optional(),
    retries: intField({ title: 'Retries of a failed record', description: `Throttled or internal failures, with exponential backoff and full jitter; 0..20. Default ${DEFAULT_RETRIES}.`, default: DEFAULT_RETRIES }, 0, 20).optional(),
  })
  .meta({ title: 'Kinesis target', description: 'PutRecords batches into a Kinesis data stream, through the AWS SDK\'s own configuration and credentials.' })
  .transform((k): KinesisTargetConfig => ({
    kind: 'kinesis', stream: k.stream,
    ...(k.region ? { region: k.region } : {}), ...(k.endpoint ? { endpoint: k.endpoint } : {}), ...(k.profile ? { profile: k.profile } : {}),
    maxRecords: k.maxRecords ?? MAX_RECORDS_PER_CALL, lingerMs: k.linger ?? DEFAULT_LINGER_MS, concurrency: k.concurrency ?? DEFAULT_CONCURRENCY, retries: k.retries ?? DEFAULT_RETRIES,
    ...(k.partitionKey ? { partitionKey: k.partitionKey } : {}),
  }));

/** `target: { kinesis: { stream, region, endpoint, profile, maxRecords, linger, concurrency, retries } }`; quick mode `--target kinesis:STREAM`. */
export const kinesisKind: TargetKind<KinesisTargetConfig> = {
  kind: 'kinesis',
  schema,
  flagForm: 'kinesis:STREAM (a stream name or ARN)',
  fromFlag(text) {
    if (!text.startsWith('kinesis:')) return undefined;
    return schema.parse({ stream: text.slice('kinesis:'.length) });
  },
  // --connections sets the calls in flight; pipelining and the request timeout mean nothing here.
  resolve: (cfg, o) => ({ ...cfg, concurrency: o.overrides.connections ?? cfg.concurrency }),
  mask: (cfg) => ({ ...cfg, ...(cfg.endpoint ? { endpoint: maskUrl(cfg.endpoint) } : {}) }),
  describe(cfg) {
    const { endpoint, source } = endpointSource(cfg, 'kinesis');
    const where = `${cfg.region ? `region ${cfg.region}` : 'region from the SDK\'s configuration'}, endpoint ${endpoint ? `${maskUrl(endpoint)} (from ${source})` : source}`;
    return [
      `target      kinesis ${cfg.stream} (${where}${cfg.profile ? `, profile ${cfg.profile}` : ''})`,
      `batches     PutRecords of up to ${cfg.maxRecords} records (≤ 5 MiB, ≤ 1 MiB a record), linger ${formatDuration(cfg.lingerMs)}, ${cfg.concurrency} calls in flight, ${cfg.retries} retries of a failed record`,
      `keys        ${cfg.partitionKey ? `partition key "${cfg.partitionKey}" per message` : 'the fleet\'s partition key (fleet.partitionKey)'}`,
    ];
  },
  timeoutMs: () => REQUEST_TIMEOUT_MS,
  label: (cfg) => `kinesis ${cfg.stream}`,
  estimateCost(_cfg, load, prices, facts) {
    const hours = load.durationMs / 3_600_000;
    const items: CostItem[] = [];
    const notes: string[] = [];
    if (facts?.onDemand) {
      items.push({ what: 'on-demand stream-hours', units: hours, usd: hours * prices.kinesisOnDemandStreamHour });
      const gib = (load.messages * load.meanBytes) / 2 ** 30;
      items.push({ what: 'on-demand GiB written', units: gib, usd: gib * prices.kinesisOnDemandPerGiB });
    } else {
      const units = load.messages * Math.max(1, Math.ceil(load.meanBytes / PUT_UNIT_BYTES));
      items.push({ what: 'PUT payload units', units, usd: (units / 1e6) * prices.kinesisPutUnitsPerMillion });
      if (facts?.shards !== undefined) items.push({ what: `shard-hours (${facts.shards} shards)`, units: facts.shards * hours, usd: facts.shards * hours * prices.kinesisShardHour });
      else notes.push('plus shard-hours for the time the stream exists (validate --check reads its shards and mode)');
    }
    return costOf(items, notes);
  },
  actualCost(_cfg, requests, _durationMs, prices) {
    const perRecord = requests.records === 0 ? 0 : requests.bytes / requests.records;
    const units = requests.records * Math.max(1, Math.ceil(perRecord / PUT_UNIT_BYTES));
    return costOf([{ what: 'PUT payload units', units, usd: (units / 1e6) * prices.kinesisPutUnitsPerMillion }], ['shard-hours not included']);
  },
  async check(cfg, ctx) {
    const target = new KinesisTarget(cfg);
    await target.open(ctx);
    await target.close();
    return {
      lines: [`checked     stream ${cfg.stream}: ACTIVE${target.onDemand ? ' (on-demand)' : ''}, ${target.shards.length} open shard(s) (${target.shards.map((s) => s.id).join(', ')})`],
      facts: { shards: target.shards.length, onDemand: target.onDemand },
    };
  },
  async open(cfg, ctx) {
    const target = new KinesisTarget(cfg);
    await target.open(ctx);
    return { target, description: target.description, url: `kinesis:${cfg.stream}`, info: { kinesis: { stream: cfg.stream, shards: target.shards.map((s) => s.id) } }, dispose: once(() => target.close()) };
  },
};
