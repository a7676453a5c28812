import type { IncomingMessage, ServerResponse } from 'node:http';
import { CleartextServer } from './cleartext-server.js';
import type { IngestAnswer, IngestFunction } from './ingest.js';
import type { SandboxParams } from './params.js';
import { messageValidatorFor, type MessageValidator } from './message-validator.js';
import { Pipeline } from './pipeline.js';
import { routeTarget, serveAwsJson, type AwsJsonService } from './aws/json-protocol.js';
import { kinesisApi } from './aws/kinesis-api.js';
import { sqsApi } from './aws/sqs-api.js';

/** Default and largest page of `GET /output` and `GET /dlq`. */
export const DEFAULT_PAGE = 1000;
export const MAX_PAGE = 10_000;
/** After `POST /reset`, the old pipeline finishes requests in progress, then stops this much later (ms). */
const RETIRE_AFTER_MS = 60_000;

/**
 * The sandbox's HTTP interface (loopback only; HTTP/1.1, and cleartext HTTP/2 for AWS SDK clients that default to it):
 * - `POST /ingest` — one message per request (the raw body goes on the queue): 202 accepted,
 *   413 too large, 429 rate limited or throttled, 503 queue full; `x-sandbox-*` headers carry
 *   ground truth (`cold`, `init-ms`, `env`, `reason`) a real gateway would not expose.
 * - `GET /stats` — SandboxStats as JSON.
 * - `GET /output?cursor=N&limit=M`, `GET /dlq?cursor=N&limit=M` — pages from cursor N (default 0)
 *   of at most M entries (default 1000, at most 10,000): `{items, nextCursor, oldestCursor, missed}`.
 * - `GET /healthz` — `{"ok":true}`.
 * - `POST /` with `X-Amz-Target` — the AWS JSON protocol of the kinesis door (Kinesis_20131202.*)
 *   and the SQS API (AmazonSQS.*: the queue's and the DLQ's URL and attributes at every door,
 *   SendMessageBatch at the sqs door). `POST /ingest` answers only at the http door.
 * - `POST /reset` — a fresh pipeline with the same parameters (counters, queue, environments).
 * - `GET /db/connect` — holds one database connection while the socket stays open (a connection
 *   storm's door); refused past `db.maxConnections`: 503, `x-sandbox-reason: too many clients already`.
 */
export class SandboxHttpServer {
  readonly server: CleartextServer;
  private pipeline: Pipeline;
  private readonly retired = new Set<NodeJS.Timeout>();
  /** Built once: a user's `sandbox.schema` is compiled here, not per pipeline or message. */
  private readonly validator: MessageValidator;
  /** The AWS APIs of the current pipeline (rebuilt on reset). */
  private services: AwsJsonService[];
  private port = 0;

  /** Throws a UserError when `params.schema` cannot be read or compiled. */
  constructor(private readonly params: SandboxParams) {
    this.validator = messageValidatorFor(params);
    this.pipeline = new Pipeline(params, undefined, this.validator);
    this.services = this.servicesOf(this.pipeline);
    this.server = new CleartextServer((req, res) => this.route(req, res), 120_000);
  }

  /** Listens on 127.0.0.1; port 0 picks a free port. Resolves with the port. */
  async listen(port: number): Promise<number> {
    this.port = await this.server.listen(port);
    return this.port;
  }

  /** Stops the model and closes every connection. */
  close(): Promise<void> {
    this.pipeline.close();
    for (const t of this.retired) clearTimeout(t);
    return this.server.close();
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path === '/' && req.method === 'POST') {
      this.aws(req, res);
      return;
    }
    if (path === '/ingest') {
      const door = this.params.ingest.door;
      if (door !== 'http') sendJson(res, 404, { error: `this sandbox's front door is ${door} (sandbox.ingest), not POST /ingest` });
      else if (req.method === 'POST') this.ingest(req, res, this.pipeline.ingest);
      else sendJson(res, 405, { error: 'method not allowed: use POST' });
      return;
    }
    const query = new URLSearchParams(q < 0 ? '' : url.slice(q + 1));
    const key = `${req.method} ${path}`;
    if (key === 'GET /stats') sendJson(res, 200, this.pipeline.stats());
    else if (key === 'GET /output') this.page(res, query, (c, l) => this.pipeline.readOutput(c, l));
    else if (key === 'GET /dlq') this.page(res, query, (c, l) => this.pipeline.readDlq(c, l));
    else if (key === 'GET /healthz') sendJson(res, 200, { ok: true });
    else if (key === 'POST /reset') this.reset(res);
    else if (key === 'GET /db/connect') this.holdDbConnection(res);
    else sendJson(res, 404, { error: `no route ${key}` });
  }

  private aws(req: IncomingMessage, res: ServerResponse): void {
    const target = req.headers['x-amz-target'];
    const route = routeTarget(typeof target === 'string' ? target : undefined, this.services);
    if (route) serveAwsJson(req, res, route.service, route.operation);
    else sendJson(res, 400, { error: `POST / needs an X-Amz-Target header of a service the sandbox answers (${this.services.map((s) => `${s.targetPrefix}.*`).join(', ')}), got ${JSON.stringify(target ?? null)}` });
  }

  private servicesOf(pipeline: Pipeline): AwsJsonService[] {
    const p = this.params;
    const sqs = sqsApi({
      queueName: p.queue.name, maxMessageBytes: p.ingest.maxBodySize, door: p.ingest.door, visibilityTimeoutMs: p.queue.visibilityTimeout, maxReceiveCount: p.queue.maxReceiveCount,
      baseUrl: () => `http://127.0.0.1:${this.port}`,
      enqueue: (body, bytes) => pipeline.enqueue(body, bytes),
      depths: () => pipeline.depths(),
    });
    return pipeline.stream ? [kinesisApi(pipeline.stream), sqs] : [sqs];
  }

  /** Rate limit, then the body (bounded), then the ingest function. */
  private ingest(req: IncomingMessage, res: ServerResponse, ingest: IngestFunction): void {
    if (!ingest.admit()) {
      reject(res, 429, 'rate-limit', 'rate limit exceeded');
      return;
    }
    const max = ingest.maxBodySize;
    if (declaredLength(req.rawHeaders) > max) {
      ingest.tooLarge();
      reject(res, 413, 'too-large', `body over ${max} bytes`);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (size > max) return;
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else {
        chunks.length = 0;
        ingest.tooLarge();
        reject(res, 413, 'too-large', `body over ${max} bytes`);
      }
    });
    req.on('end', () => {
      if (size > max) return;
      const body = chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8');
      const trace = req.headers.traceparent;
      ingest.handle(body, size, answerIngest, res, typeof trace === 'string' ? trace : null);
    });
  }

  private page(res: ServerResponse, query: URLSearchParams, read: (cursor: number, limit: number) => unknown): void {
    const cursor = intParam(query.get('cursor'), 0);
    const limit = intParam(query.get('limit'), DEFAULT_PAGE);
    if (cursor === undefined || limit === undefined) {
      sendJson(res, 400, { error: 'cursor and limit must be non-negative integers' });
      return;
    }
    sendJson(res, 200, read(cursor, Math.min(limit, MAX_PAGE)));
  }

  /**
   * `GET /db/connect`: takes one of the database's connections (as a processor environment does)
   * and holds it while the client keeps its socket — 200 and the head at once, then nothing — and
   * gives it back when the socket closes. Past `db.maxConnections`: 503, `x-sandbox-reason: too many
   * clients already`. With `db.proxy` it is a client connection to the proxy (never refused).
   */
  private holdDbConnection(res: ServerResponse): void {
    const pipeline = this.pipeline;
    const conn = pipeline.connectDb();
    if (!conn) {
      const body = JSON.stringify({ error: 'too-many-clients', message: `sorry, too many clients already (max_connections ${pipeline.params.db.maxConnections})` });
      res.writeHead(503, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'x-sandbox-reason', 'too many clients already']);
      res.end(body);
      return;
    }
    res.once('close', () => pipeline.disconnectDb(conn));
    res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-store', 'x-sandbox-db': 'held' });
    res.flushHeaders();
  }

  private reset(res: ServerResponse): void {
    const old = this.pipeline;
    this.pipeline = new Pipeline(this.params, undefined, this.validator);
    this.services = this.servicesOf(this.pipeline);
    const t = setTimeout(() => {
      old.close();
      this.retired.delete(t);
    }, RETIRE_AFTER_MS);
    t.unref();
    this.retired.add(t);
    sendJson(res, 200, { ok: true });
  }
}

function answerIngest(res: ServerResponse, a: IngestAnswer): void {
  if (res.destroyed) return;
  const body = a.status === 202 ? `{"queueMessageId":${a.queueId}}` : `{"error":"${a.reason}"}`;
  const headers = [
    'content-type', 'application/json',
    'content-length', String(body.length),
    'x-sandbox-cold', a.cold ? '1' : '0',
    'x-sandbox-init-ms', String(Math.round(a.initMs)),
    'x-sandbox-env', String(a.env),
  ];
  if (a.reason !== '') headers.push('x-sandbox-reason', a.reason);
  res.writeHead(a.status, headers);
  res.end(body);
}

/**
 * The Content-Length header's value, or -1. Reads `rawHeaders` because `req.headers` is built
 * lazily on first access, an allocation per request on the hot path.
 */
function declaredLength(raw: string[]): number {
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i];
    if (name.length === 14 && name.toLowerCase() === 'content-length') return Number(raw[i + 1]);
  }
  return -1;
}

function reject(res: ServerResponse, status: number, reason: string, message: string): void {
  const body = JSON.stringify({ error: reason, message });
  res.writeHead(status, ['content-type', 'application/json', 'content-length', String(Buffer.byteLength(body)), 'x-sandbox-reason', reason]);
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function intParam(text: string | null, def: number): number | undefined {
  if (text === null || text === '') return def;
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}
