import { DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, type GetShardIteratorCommandInput, type Shard } from '@aws-sdk/client-kinesis';
import type { KinesisOutputConfig } from '../scenario/probes-schema.js';
import { awsClientConfig } from '../targets/aws/client-config.js';
import { awsOpenError } from '../targets/aws/open-errors.js';
import { streamId } from '../targets/kinesis/config.js';
import { UserError } from '../util/user-error.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import { POLL_TIMEOUT_MS } from './poller.js';
import { idInJson, OutputConsumer } from './output-consumer.js';

const FIELD = 'probes.output';
/** Records per GetRecords (the API's maximum). */
const PAGE_LIMIT = 10_000;
/** At most 5 GetRecords per second per shard: a reader's calls start at least this far apart, ms. */
const READ_EVERY_MS = 200;
/** After a failed call a reader waits this long before the next, ms. */
const BACKOFF_MS = 500;
/** The last read after stop: at most this many pages per shard. */
const FINAL_PAGES = 3;
/** Connections of the client (one call in flight per shard reader; more readers queue, each call still bounded). */
const SOCKETS = 64;

/** Where a reader starts: the run's start (AT_TIMESTAMP), a child shard's beginning, or after a record it already read. */
type Position = { at: 'start' } | { at: 'trim' } | { at: 'after'; seq: string };

/**
 * The pipeline's output read from a Kinesis stream: one reader per shard from the probe's start
 * (GetShardIterator AT_TIMESTAMP; where that fails — kinesalite never answers it on a shard with
 * no record since the timestamp — TRIM_HORIZON, skipping records that arrived before the start),
 * then GetRecords (10,000 a page, at most 5 calls/s per shard). A closed shard's children are read
 * from TRIM_HORIZON once all their parents were read (resharding). Each record's Data is UTF-8 JSON
 * whose id at the run's id path is told to the tracker with its ApproximateArrivalTimestamp; one
 * without an id counts as unexpected. Every call has a timeout; a failed one is counted and retried.
 */
export class KinesisOutputProbe extends OutputConsumer {
  readonly name: string;
  /** Records read (of this run: those before the start that a fallback read are not counted). */
  received = 0;
  /** Shards read: each reader's shard, in the order they were started. */
  readonly shardsRead: string[] = [];
  private readonly stream: NonNullable<ReturnType<typeof streamId>>;
  private readonly path: string[];
  private readonly decoder = new TextDecoder('utf-8');
  private client: KinesisClient | undefined;
  private startMs = 0;
  /** Shard id → whether its reader has reached the shard's end. */
  private readonly shards = new Map<string, boolean>();
  private readonly loops = new Set<Promise<void>>();

  constructor(private readonly cfg: KinesisOutputConfig, tracker: DeliveryTracker, idPath: string, now: () => number = Date.now, private readonly callTimeoutMs = POLL_TIMEOUT_MS) {
    super(tracker, now);
    const id = streamId(cfg.stream);
    if (!id) throw new UserError(`${FIELD}: kinesis.stream "${cfg.stream}" is neither a stream name nor a stream ARN`, { hint: 'e.g. telemetry-out, or arn:aws:kinesis:eu-north-1:123456789012:stream/telemetry-out' });
    this.stream = id;
    this.path = idPath.split('.');
    this.name = `kinesis ${id.name}`;
  }

  /** Records the start, checks the stream (exists, ACTIVE, reachable) and starts a reader on each open shard. */
  async start(): Promise<void> {
    this.startMs = this.now();
    const region = this.cfg.region ?? this.stream.region;
    const settings = { ...this.cfg, ...(region ? { region } : {}) };
    const client = new KinesisClient(awsClientConfig(settings, 'kinesis', SOCKETS, this.callTimeoutMs));
    let resolved: string | undefined;
    let open: Shard[];
    try {
      resolved = await client.config.region();
      const summary = await client.send(new DescribeStreamSummaryCommand({ ...this.stream.id }), this.signal());
      const status = summary.StreamDescriptionSummary?.StreamStatus;
      if (status !== 'ACTIVE' && status !== 'UPDATING') {
        throw new UserError(`${FIELD}: stream '${this.stream.name}' is ${status ?? 'in an unknown state'}, not ACTIVE`, { hint: 'wait until it is ACTIVE (aws kinesis describe-stream-summary), then run again' });
      }
      open = (await this.listShards(client)).filter((s) => s.SequenceNumberRange?.EndingSequenceNumber === undefined);
    } catch (e) {
      client.destroy();
      if (e instanceof UserError) throw e;
      throw awsOpenError(e, {
        service: 'kinesis', settings, what: `${FIELD}: stream '${this.stream.name}'`, ...(resolved !== undefined ? { region: resolved } : {}), settingsIn: FIELD,
        notFoundFix: `create it (aws kinesis create-stream), or check ${FIELD}'s kinesis.stream`,
      });
    }
    this.client = client;
    for (const s of open) this.read(s.ShardId!, { at: 'start' });
  }

  /** The message id in a record's Data: the JSON body's field at the id path; '' when it holds none. */
  idOf(data: Uint8Array | undefined): string {
    return idInJson(data ? this.decoder.decode(data) : '', this.path);
  }

  protected async stopNow(): Promise<void> {
    this.beginStop();
    while (this.loops.size > 0) await Promise.all([...this.loops]);
    this.client?.destroy();
  }

  private signal(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.callTimeoutMs) };
  }

  /** Every shard of the stream, open and closed (ListShards, every page). */
  private async listShards(client: KinesisClient): Promise<Shard[]> {
    const shards: Shard[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListShardsCommand(token ? { NextToken: token } : { ...this.stream.id }), this.signal());
      shards.push(...(page.Shards ?? []));
      token = page.NextToken;
    } while (token);
    return shards;
  }

  private read(shard: string, from: Position): void {
    this.shards.set(shard, false);
    this.shardsRead.push(shard);
    const loop = this.loop(shard, from).finally(() => this.loops.delete(loop));
    this.loops.add(loop);
  }

  /** One shard's reader: until stop (then at most FINAL_PAGES more) or the shard's end (then its children). */
  private async loop(shard: string, from: Position): Promise<void> {
    const client = this.client!;
    let pos = from;
    let iterator: string | undefined;
    /** Records that arrived before this epoch ms are skipped (set when AT_TIMESTAMP failed and the reader fell back to TRIM_HORIZON). */
    let skipBefore = -Infinity;
    let last = 0;
    for (let finalPages = 0; finalPages < FINAL_PAGES;) {
      if (this.stopping) finalPages++;
      await this.pause(last + READ_EVERY_MS - this.now());
      last = this.now();
      try {
        if (iterator === undefined) {
          const start: Partial<GetShardIteratorCommandInput> = pos.at === 'start' ? { ShardIteratorType: 'AT_TIMESTAMP', Timestamp: new Date(this.startMs) }
            : pos.at === 'trim' ? { ShardIteratorType: 'TRIM_HORIZON' } : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: pos.seq };
          try {
            iterator = (await client.send(new GetShardIteratorCommand({ ...this.stream.id, ShardId: shard, ...start } as GetShardIteratorCommandInput), this.signal())).ShardIterator;
          } catch (e) {
            const name = (e as { name?: string }).name ?? '';
            if (pos.at !== 'start' || !['InvalidArgumentException', 'AbortError', 'TimeoutError'].includes(name)) throw e;
            this.failed(e);
            pos = { at: 'trim' };
            skipBefore = this.startMs;
            continue;
          }
        }
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_LIMIT }), this.signal());
        const records = page.Records ?? [];
        const readAt = this.now();
        for (const r of records) {
          const arrived = r.ApproximateArrivalTimestamp?.getTime();
          if (r.SequenceNumber !== undefined) pos = { at: 'after', seq: r.SequenceNumber };
          if (arrived !== undefined && arrived < skipBefore) continue;
          this.received++;
          this.tracker.observe(this.idOf(r.Data), arrived ?? readAt);
        }
        iterator = page.NextShardIterator ?? undefined;
        if (iterator === undefined) return await this.closed(shard);
        if (this.stopping && records.length === 0) return;
        if (records.length === 0) last = this.now(); // an empty page: wait a whole interval before the next
      } catch (e) {
        this.failed(e);
        if ((e as { name?: string }).name === 'ExpiredIteratorException') iterator = undefined;
        await this.pause(BACKOFF_MS);
      }
    }
  }

  /** `shard` was read to its end: starts readers on the children whose parents were all read (from TRIM_HORIZON). */
  private async closed(shard: string): Promise<void> {
    this.shards.set(shard, true);
    for (;;) {
      try {
        const all = await this.listShards(this.client!);
        for (const s of all) {
          const parents = [s.ParentShardId, s.AdjacentParentShardId].filter((p): p is string => p !== undefined && this.shards.has(p));
          if (s.ShardId && !this.shards.has(s.ShardId) && parents.length > 0 && parents.every((p) => this.shards.get(p) === true)) this.read(s.ShardId, { at: 'trim' });
        }
        return;
      } catch (e) {
        this.failed(e);
        if (this.stopping) return;
        await this.pause(BACKOFF_MS);
      }
    }
  }


}
