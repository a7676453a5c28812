import { Pool } from 'undici';
import type { OutMessage } from '../../telemetry/types.js';
import { batchCapacity, Batcher, type CallResult } from '../batch/batcher.js';
import { resolveHeaders } from '../env-headers.js';
import { classifyError, classifyStatus, errorResponded, OK, SIGNING_ERROR } from '../outcome.js';
import type { SendSink, Target, TargetContext } from '../target.js';
import { batchFormat, type BatchFormat } from './batch-format.js';
import { splitUrl, type HttpBatchConfig, type HttpTargetConfig } from './config.js';
import { endpointOf, parseTargetUrl, type RequestSigner } from './http-target.js';
import { poolOptions } from './pool-options.js';

/** One message waiting in a batch: its JSON text and the trace context it was sent with. */
interface Item {
  body: string;
  traceparent: string;
}

/** Backoff before a batch is sent again: full jitter up to 100 ms × 2^(k-1), at most 5 s. */
const BASE_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

/**
 * HTTP requests that carry batches (`target.http.batch`): messages gather into one body — a JSON
 * array, NDJSON or an array under a key — of at most maxMessages and maxBytes, sent when full,
 * after the linger, or on flush; connections × pipelining requests in flight. A message's latency
 * runs from its intended time to the answer of the request that carried it; requests are counted
 * apart (SendSink.request); a failed request fails all its messages (429, 5xx and timeouts are
 * sent again, whole, while retries are left). The request's traceparent is its first message's.
 */
export class HttpBatchTarget implements Target {
  readonly description: string;
  readonly endpoint: string;
  readonly capacity: number;
  private pool: Pool | undefined;
  private batcher: Batcher<Item> | undefined;
  private readonly origin: string;
  private readonly path: string;
  private readonly headers: Record<string, string>;
  private readonly format: BatchFormat;
  private readonly batch: HttpBatchConfig;

  constructor(private readonly cfg: HttpTargetConfig & { batch: HttpBatchConfig }, private readonly signer?: RequestSigner) {
    const url = parseTargetUrl(cfg.url);
    this.origin = url.origin;
    this.path = splitUrl(cfg.url).path;
    this.batch = cfg.batch;
    this.format = batchFormat(cfg.batch.format, cfg.batch.key);
    this.headers = { 'content-type': this.format.contentType };
    for (const [k, v] of Object.entries(resolveHeaders(cfg.headers))) this.headers[k.toLowerCase()] = v;
    this.capacity = batchCapacity(cfg.batch.maxMessages, this.concurrency);
    this.endpoint = endpointOf(url);
    this.description = `${cfg.method} ${url.origin}${this.path.split('?')[0]} (batches of up to ${cfg.batch.maxMessages} as ${cfg.batch.format}, ${cfg.connections} connection(s), pipelining ${cfg.pipelining}${signer ? ', SigV4' : ''})`;
  }

  private get concurrency(): number {
    return this.cfg.connections * this.cfg.pipelining;
  }

  async open(ctx: TargetContext): Promise<void> {
    this.pool = new Pool(this.origin, poolOptions(this.cfg));
    const room = this.batch.maxBytes - this.format.fixedBytes;
    this.batcher = new Batcher<Item>({
      maxRecords: this.batch.maxMessages, maxBatchBytes: room, maxRecordBytes: room, lingerMs: this.batch.lingerMs,
      concurrency: this.concurrency, retries: this.batch.retries, baseBackoffMs: BASE_BACKOFF_MS, maxBackoffMs: MAX_BACKOFF_MS, seed: 0x6874_7470,
    }, ctx, (items) => this.post(items));
  }

  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void {
    const batcher = this.batcher;
    if (!batcher) {
      process.nextTick(() => sink.done(slot, 'error', false));
      return;
    }
    // Bodies in a batch are text (the kind's textOnly): a module's bytes never reach here.
    const body = typeof msg.body === 'string' ? msg.body : Buffer.from(msg.body).toString('utf8');
    batcher.add(slot, sink, Buffer.byteLength(body, 'utf8') + this.format.perMessageBytes, { body, traceparent });
  }

  flush(): void {
    this.batcher?.flush();
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await pool.destroy();
  }

  /** One request carrying `items`; failures are results, never exceptions. */
  private async post(items: Item[]): Promise<CallResult> {
    const pool = this.pool;
    if (!pool) return { failed: { outcome: 'reset', retryable: false, responded: false } };
    const body = this.format.join(items.map((i) => i.body));
    let headers: Record<string, string> = { ...this.headers };
    if (this.signer) {
      try {
        headers = { ...headers, ...(await this.signer.sign(this.cfg.method, this.path, headers, body)) };
      } catch {
        return { failed: { outcome: SIGNING_ERROR, retryable: false, responded: false } };
      }
    }
    headers.traceparent = items[0].traceparent;
    try {
      const res = await pool.request({ path: this.path, method: this.cfg.method, headers, body });
      await res.body.dump();
      const outcome = classifyStatus(res.statusCode);
      if (outcome === OK) return { records: items.map(() => ({ ok: true as const })) };
      return { failed: { outcome, retryable: res.statusCode === 429 || res.statusCode >= 500, responded: true } };
    } catch (e) {
      const outcome = classifyError(e);
      return { failed: { outcome, retryable: outcome === 'timeout', responded: errorResponded(outcome) } };
    }
  }
}
