import { DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { ShardLoad } from '../../metrics/interval-snapshot.js';
import type { MessageBody } from '../../telemetry/payload.js';
import type { OutMessage } from '../../telemetry/types.js';
import { compileKey } from '../key-template.js';
import { UserError } from '../../util/user-error.js';
import { awsClientConfig, awsErrorClass, classifyAwsCallError, endpointSource, hostPort, isRetryableAwsError } from '../aws/client-config.js';
import { awsOpenError } from '../aws/open-errors.js';
import { batchCapacity, Batcher, type CallResult, type RecordResult } from '../batch/batcher.js';
import type { SendSink, Target, TargetContext } from '../target.js';
import { BASE_BACKOFF_MS, MAX_BACKOFF_MS, MAX_BYTES_PER_CALL, MAX_BYTES_PER_RECORD, MAX_PARTITION_KEY, REQUEST_TIMEOUT_MS, streamId, type KinesisTargetConfig } from './config.js';
import { loadShards, ShardMap } from './shard-map.js';

/** One record on its way: what PutRecords takes, and the shard it should land in. */
interface KinesisRecord {
  Data: Uint8Array;
  PartitionKey: string;
  shard: number;
  bytes: number;
}

const THROTTLED = 'ProvisionedThroughputExceeded';

/**
 * Kinesis Data Streams through PutRecords: messages gather into batches (≤ maxRecords, ≤ 5 MiB,
 * each record ≤ 1 MiB with its key) that go out when full or after the linger; failed records —
 * throttled, internal failures — are sent again, only they, with backoff; what is left is a
 * failed outcome of its class. A record's latency runs from its intended time to the answer of
 * the call that finally carried it. Per shard it counts records, bytes and throttled records,
 * by the shard each record's partition key maps to (the shard PutRecords reports agrees).
 */
export class KinesisTarget implements Target {
  readonly description: string;
  readonly endpoint: string;
  readonly capacity: number;
  private client: KinesisClient | undefined;
  private batcher: Batcher<KinesisRecord> | undefined;
  private map: ShardMap | undefined;
  private readonly stream: NonNullable<ReturnType<typeof streamId>>;
  private load: { records: Float64Array; bytes: Float64Array; throttled: Float64Array } | undefined;
  /** The scenario's partition key template, compiled; undefined: the fleet's key. */
  private readonly keyOf: ((fields: MessageBody) => string) | undefined;
  /** The stream is in on-demand capacity mode (read at open). */
  onDemand = false;

  constructor(private readonly cfg: KinesisTargetConfig) {
    const id = streamId(cfg.stream);
    if (!id) throw new UserError(`target kinesis.stream "${cfg.stream}" is neither a stream name nor a stream ARN`, { hint: 'e.g. telemetry, or arn:aws:kinesis:eu-north-1:123456789012:stream/telemetry' });
    this.stream = id;
    this.keyOf = cfg.partitionKey ? compileKey(cfg.partitionKey, MAX_PARTITION_KEY) : undefined;
    this.capacity = batchCapacity(cfg.maxRecords, cfg.concurrency);
    const { endpoint } = endpointSource(cfg, 'kinesis');
    this.endpoint = endpoint ? hostPort(endpoint) : `kinesis.${cfg.region ?? id.region ?? '<region>'}.amazonaws.com:443`;
    this.description = `kinesis ${id.name} (${cfg.maxRecords} records per PutRecords, linger ${cfg.lingerMs} ms, ${cfg.concurrency} calls in flight)`;
  }

  /** Checks the stream before the clock (exists, ACTIVE, reachable, credentials accepted) and reads its shards. */
  async open(ctx: TargetContext): Promise<void> {
    const region = this.cfg.region ?? this.stream.region;
    const client = new KinesisClient(awsClientConfig({ ...this.cfg, region }, 'kinesis', this.cfg.concurrency, REQUEST_TIMEOUT_MS));
    this.client = client;
    const subject = { service: 'kinesis' as const, settings: { ...this.cfg, region }, what: `stream '${this.stream.name}'`, notFoundFix: 'create it' };
    let resolvedRegion: string | undefined;
    try {
      resolvedRegion = await client.config.region();
      const summary = await client.send(new DescribeStreamSummaryCommand({ ...this.stream.id }));
      const status = summary.StreamDescriptionSummary?.StreamStatus;
      this.onDemand = summary.StreamDescriptionSummary?.StreamModeDetails?.StreamMode === 'ON_DEMAND';
      if (status !== 'ACTIVE' && status !== 'UPDATING') {
        throw new UserError(`stream '${this.stream.name}' is ${status ?? 'in an unknown state'}, not ACTIVE`, { hint: 'wait until it is ACTIVE (aws kinesis describe-stream-summary), then run again' });
      }
      this.map = new ShardMap(await loadShards(client, this.stream.id));
    } catch (e) {
      client.destroy();
      if (e instanceof UserError) throw e;
      throw awsOpenError(e, { ...subject, region: resolvedRegion });
    }
    const n = this.map.shards.length;
    this.load = { records: new Float64Array(n), bytes: new Float64Array(n), throttled: new Float64Array(n) };
    this.batcher = new Batcher<KinesisRecord>({
      maxRecords: this.cfg.maxRecords, maxBatchBytes: MAX_BYTES_PER_CALL, maxRecordBytes: MAX_BYTES_PER_RECORD, lingerMs: this.cfg.lingerMs,
      concurrency: this.cfg.concurrency, retries: this.cfg.retries, baseBackoffMs: BASE_BACKOFF_MS, maxBackoffMs: MAX_BACKOFF_MS, seed: 0x4b1e515,
    }, ctx, (records) => this.put(records));
  }

  /** The shards as read at open (ids and hash-key ranges). */
  get shards(): ShardMap['shards'] {
    return this.map?.shards ?? [];
  }

  send(msg: OutMessage, slot: number, _traceparent: string, sink: SendSink): void {
    const batcher = this.batcher;
    if (!batcher || !this.map) {
      process.nextTick(() => sink.done(slot, 'error', false));
      return;
    }
    const data = typeof msg.body === 'string' ? Buffer.from(msg.body, 'utf8') : msg.body;
    const key = this.keyOf ? this.keyOf(msg.fields) : msg.partitionKey;
    const shard = this.keyOf ? this.map.shardOfKey(key) : this.map.shardOfVehicle(msg.vehicleIndex, key);
    const bytes = data.length + Buffer.byteLength(key, 'utf8');
    batcher.add(slot, sink, bytes, { Data: data, PartitionKey: key, shard, bytes });
  }

  flush(): void {
    this.batcher?.flush();
  }

  takeShardLoad(): ShardLoad[] {
    const load = this.load;
    if (!load) return [];
    const out = this.shards.map((s, i) => ({ id: s.id, records: load.records[i], bytes: load.bytes[i], throttled: load.throttled[i] }));
    load.records.fill(0);
    load.bytes.fill(0);
    load.throttled.fill(0);
    return out;
  }

  async close(): Promise<void> {
    this.client?.destroy();
    this.client = undefined;
  }

  /** One PutRecords call; failures are results, never exceptions. */
  private async put(records: KinesisRecord[]): Promise<CallResult> {
    let out;
    try {
      out = await this.client!.send(new PutRecordsCommand({ ...this.stream.id, Records: records.map((r) => ({ Data: r.Data, PartitionKey: r.PartitionKey })) }));
    } catch (e) {
      return { failed: classifyAwsCallError(e) };
    }
    const load = this.load!;
    const results: RecordResult[] = records.map((r, i) => {
      const code = out.Records?.[i]?.ErrorCode;
      if (!code) {
        load.records[r.shard]++;
        load.bytes[r.shard] += r.bytes;
        return { ok: true };
      }
      const outcome = awsErrorClass(code);
      if (outcome === THROTTLED) load.throttled[r.shard]++;
      return { ok: false, outcome, retryable: isRetryableAwsError(code) };
    });
    return { records: results };
  }
}
