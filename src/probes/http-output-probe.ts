import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpOutputConfig } from '../scenario/probes-schema.js';
import { UserError } from '../util/user-error.js';
import type { DeliveryTracker } from './delivery-tracker.js';
import { idAtPath, OutputConsumer } from './output-consumer.js';

/** The largest request body the receiver reads; above it answers 413. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** How long stop() lets requests in flight finish before it closes their connections, ms. */
const STOP_GRACE_MS = 1000;
const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|::1)$/;
const FIELD = 'probes.output.http.listen';

/**
 * The pipeline's output received as webhooks: rushhour listens on a loopback HOST:PORT and the
 * pipeline POSTs to `path` one JSON message, a JSON array of them, or NDJSON (one per line; by
 * content-type `application/x-ndjson` or by sniffing). Each message's id — at the dotted id path —
 * goes to the tracker with the time its request body was read; a body or line that does not
 * parse, or a message without an id, counts as unexpected. Every POST that was read is answered
 * 200 `{"received":N}` (the pipeline did deliver); other paths 404, other methods 405, bodies
 * over 10 MiB 413 (counted as one unexpected delivery).
 */
export class HttpOutputProbe extends OutputConsumer {
  readonly name: string;
  /** Requests answered 200, messages counted from them, bodies refused as too large. */
  requests = 0;
  received = 0;
  oversized = 0;
  private server: Server | undefined;
  private readonly path: string[];
  private readonly where: string;

  constructor(private readonly cfg: HttpOutputConfig, tracker: DeliveryTracker, idPath: string, now: () => number = Date.now) {
    super(tracker, now);
    this.path = idPath.split('.');
    this.where = `${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${cfg.port}`;
    this.name = `webhook http://${this.where}${cfg.path}`;
  }

  /** The receiver's URL (with the port it listens on: the configured one, or the one the OS gave for port 0). */
  get url(): string {
    const a = this.server?.address();
    const port = a !== null && typeof a === 'object' ? a.port : this.cfg.port;
    const host = this.cfg.host.includes(':') ? `[${this.cfg.host}]` : this.cfg.host;
    return `http://${host}:${port}${this.cfg.path}`;
  }

  async start(): Promise<void> {
    if (!LOOPBACK.test(this.cfg.host)) {
      throw new UserError(`${FIELD}: ${this.where} is not a loopback address`, { hint: 'rushhour listens on loopback only: use 127.0.0.1:PORT, [::1]:PORT or localhost:PORT, and forward to it (e.g. an SSH tunnel or a local relay)' });
    }
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => {
        const hint = e.code === 'EADDRINUSE' ? 'another process listens there: pick a free port, or stop it' : 'pick a loopback address and a port this user may bind';
        reject(new UserError(`${FIELD}: cannot listen on ${this.where} (${e.code === 'EADDRINUSE' ? 'the port is in use' : e.code ?? e.message})`, { hint, cause: e }));
      });
      server.listen(this.cfg.port, this.cfg.host, () => resolve());
    });
    this.server = server;
  }

  /** The message id in a parsed item: its field at the id path; '' when it holds none. */
  idOf(item: unknown): string {
    return idAtPath(item, this.path);
  }

  protected async stopNow(): Promise<void> {
    const server = this.server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)));
    await Promise.race([closed, grace]);
    clearTimeout(timer);
    server.closeAllConnections();
    await closed;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (path !== this.cfg.path) return this.refuse(req, res, 404, 'not found');
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      return this.refuse(req, res, 405, 'method not allowed');
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return this.tooLarge(req, res);
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      if (over) return;
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        over = true;
        this.tooLarge(req, res);
      } else chunks.push(c);
    });
    req.on('end', () => {
      if (over) return;
      const seenAt = this.now();
      const n = this.ingest(Buffer.concat(chunks).toString('utf8'), String(req.headers['content-type'] ?? ''), seenAt);
      this.requests++;
      this.received += n;
      this.reply(res, 200, { received: n });
    });
    req.on('error', () => res.destroy());
  }

  /** Counts the messages of one body; resolves to how many (an unreadable body or line counts as one). */
  private ingest(text: string, contentType: string, seenAt: number): number {
    if (text.trim() === '') return 0;
    if (!/ndjson|jsonl|json-seq/i.test(contentType)) {
      try {
        return this.observeAll(JSON.parse(text), seenAt);
      } catch {
        if (!/\n\s*\S/.test(text.trim())) return this.observeAll(undefined, seenAt);
      }
    }
    let n = 0;
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let v: unknown;
      try {
        v = JSON.parse(line);
      } catch {
        v = undefined;
      }
      n += this.observeAll(v, seenAt);
    }
    return n;
  }

  /** An object, or an array of them: each id to the tracker ('' for what holds none). */
  private observeAll(v: unknown, seenAt: number): number {
    const items = Array.isArray(v) ? v : [v];
    for (const item of items) this.tracker.observe(this.idOf(item), seenAt);
    return items.length;
  }

  private tooLarge(req: IncomingMessage, res: ServerResponse): void {
    this.oversized++;
    this.tracker.observe('', this.now());
    this.refuse(req, res, 413, `body over ${MAX_BODY_BYTES} bytes`);
  }

  /** Answers an error and closes the connection (the rest of the body is not read). */
  private refuse(req: IncomingMessage, res: ServerResponse, status: number, error: string): void {
    res.setHeader('Connection', 'close');
    this.reply(res, status, { error });
    req.resume();
  }

  private reply(res: ServerResponse, status: number, body: object): void {
    if (res.headersSent) return;
    const text = JSON.stringify(body);
    res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  }
}
