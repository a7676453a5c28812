import { Pool } from 'undici';
import type { MessageBody } from '../../telemetry/payload.js';
import type { OutMessage } from '../../telemetry/types.js';
import { UserError } from '../../util/user-error.js';
import { maskUrl } from '../mask.js';
import { classifyError, classifyStatus, errorResponded, SIGNING_ERROR } from '../outcome.js';
import type { SendSink, Target, TargetContext } from '../target.js';
import { splitUrl, type HttpTargetConfig } from './config.js';
import { poolOptions } from './pool-options.js';
import { compileRequestShape, type RequestShape } from './request-shape.js';

/**
 * One reusable undici dispatch handler per in-flight slot (legacy handler methods, which undici
 * passes through without wrapping or parsing headers): no allocation per request beyond what
 * undici itself does. Calls `done` exactly once per request.
 */
class SlotHandler {
  private sink: SendSink | undefined;
  private outcome = '';

  constructor(private readonly slot: number) {}

  arm(sink: SendSink): void {
    this.sink = sink;
    this.outcome = '';
  }

  /** undici calls this when the request is dispatched on a socket (again on a pipeline retry). */
  onConnect(): void {
    this.sink?.written(this.slot);
  }

  onHeaders(statusCode: number): boolean {
    if (statusCode >= 200) this.outcome = classifyStatus(statusCode);
    return true;
  }

  onData(): boolean {
    return true;
  }

  onComplete(): void {
    this.settle(this.outcome || 'error', true);
  }

  onError(err: Error): void {
    // A failure after the status line (the body cut off) is a failure of its own class (reset,
    // timeout): the target did start to answer, but nothing it said can be trusted as a success.
    const outcome = classifyError(err);
    const responded = this.outcome !== '' || errorResponded(outcome);
    // Errors can be raised synchronously inside dispatch(); the engine expects an async callback.
    process.nextTick(() => this.settle(outcome, responded));
  }

  private settle(outcome: string, responded: boolean): void {
    const sink = this.sink;
    if (!sink) return;
    this.sink = undefined;
    sink.done(this.slot, outcome, responded);
  }
}

/** Signs one request: the headers to add (lower-case names) for the method, path, headers and exact body bytes. */
export interface RequestSigner {
  sign(method: string, path: string, headers: Record<string, string>, body: string | Uint8Array): Promise<Record<string, string>>;
}

/**
 * HTTP(S) target on an undici Pool with keep-alive, driven through `dispatch` (not `request`):
 * one request per message, its path and header values filled from the message's fields when the
 * URL or the headers hold placeholders, signed (SigV4) when a signer is given.
 */
export class HttpTarget implements Target {
  readonly description: string;
  readonly endpoint: string;
  readonly capacity: number;
  private pool: Pool | undefined;
  private readonly handlers: SlotHandler[] = [];
  private readonly origin: string;
  private readonly shape: RequestShape;
  /** [name, value, …, 'traceparent', value]: reused for every unsigned request. */
  private readonly headerList: string[];
  private readonly values: string[];
  private readonly traceIndex: number;

  constructor(private readonly cfg: HttpTargetConfig, private readonly signer?: RequestSigner) {
    const url = parseTargetUrl(cfg.url);
    this.origin = url.origin;
    this.capacity = cfg.connections * cfg.pipelining;
    this.endpoint = endpointOf(url);
    this.description = `${cfg.method} ${url.origin}${splitUrl(cfg.url).path.split('?')[0]} (${cfg.connections} connection(s), pipelining ${cfg.pipelining}${signer ? ', SigV4' : ''})`;
    const { shape, problems } = compileRequestShape(cfg.url, cfg.headers, 'application/json');
    if (!shape) throw new UserError(`target.http: ${problems.map((p) => p.message).join('; ')}`);
    this.shape = shape;
    this.values = new Array<string>(shape.names.length).fill('');
    const list: string[] = [];
    for (const name of shape.names) list.push(name, '');
    list.push('traceparent', '');
    this.traceIndex = list.length - 1;
    this.headerList = list;
    // Constant values are filled once; per-message ones before each dispatch.
    this.fillHeaders(undefined);
    // Every dispatch gets its own options object and header copy: when no connection is free,
    // undici 7's Pool queues the options object BY REFERENCE (pool-base), so a reused one would go
    // out later with a later message's body.
  }

  /** The HTTP target sends each message as its own request: no timers, nothing to flush. */
  async open(_ctx?: TargetContext): Promise<void> {
    this.pool = new Pool(this.origin, poolOptions(this.cfg));
  }

  send(msg: OutMessage, slot: number, traceparent: string, sink: SendSink): void {
    const pool = this.pool;
    let h = this.handlers[slot];
    if (h === undefined) h = this.handlers[slot] = new SlotHandler(slot);
    h.arm(sink);
    if (pool === undefined) {
      h.onError(Object.assign(new Error('target not open'), { code: 'UND_ERR_CLOSED' }));
      return;
    }
    if (this.shape.perMessageHeaders) this.fillHeaders(msg.fields);
    const path = this.shape.path(msg.fields);
    if (this.signer) {
      void this.sendSigned(pool, h, path, msg.body, traceparent);
      return;
    }
    this.headerList[this.traceIndex] = traceparent;
    const opts = { path, method: this.cfg.method, headers: this.headerList.slice(), body: msg.body };
    pool.dispatch(opts as Parameters<Pool['dispatch']>[0], h as unknown as Parameters<Pool['dispatch']>[1]);
  }

  flush(): void {}

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (!pool) return;
    // Requests still queued after the engine's drain bound are abandoned, not awaited.
    await pool.destroy();
  }

  /** The header values for a message (or the constant ones when `fields` is undefined) into the reused list. */
  private fillHeaders(fields: MessageBody | undefined): void {
    this.shape.fillHeaders(fields ?? ({} as MessageBody), this.values);
    for (let i = 0; i < this.values.length; i++) this.headerList[2 * i + 1] = this.values[i];
  }

  /** A signed request has headers of its own (the signature covers the body): a fresh header list. */
  private async sendSigned(pool: Pool, h: SlotHandler, path: string, body: string | Uint8Array, traceparent: string): Promise<void> {
    const headers: Record<string, string> = {};
    for (let i = 0; i < this.shape.names.length; i++) headers[this.shape.names[i]] = this.values[i];
    let added: Record<string, string>;
    try {
      added = await this.signer!.sign(this.cfg.method, path, headers, body);
    } catch (e) {
      h.onError(Object.assign(new Error(`signing failed: ${(e as Error).message}`), { code: SIGNING_ERROR }));
      return;
    }
    const list: string[] = [];
    for (const [k, v] of Object.entries(headers)) list.push(k, v);
    for (const [k, v] of Object.entries(added)) list.push(k, v);
    list.push('traceparent', traceparent);
    if (this.pool !== pool) {
      h.onError(Object.assign(new Error('target closed'), { code: 'UND_ERR_CLOSED' }));
      return;
    }
    pool.dispatch({ path, method: this.cfg.method, headers: list, body } as Parameters<Pool['dispatch']>[0], h as unknown as Parameters<Pool['dispatch']>[1]);
  }
}

/** The URL as written, its placeholders aside; a UserError when it is not an http(s) URL. */
export function parseTargetUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(splitUrl(text).origin);
  } catch {
    throw new UserError(`target URL "${maskUrl(text)}" is not a valid URL`, { hint: 'use a full URL such as http://127.0.0.1:8080/ingest' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`target URL "${maskUrl(text)}" must be http:// or https://`);
  return url;
}

/** host:port of a URL (the scheme's default port when none is written). */
export function endpointOf(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
}
