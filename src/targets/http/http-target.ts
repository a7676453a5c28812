import { Pool } from 'undici';
import type { HttpTargetConfig } from './config.js';
import type { OutMessage } from '../../telemetry/types.js';
import { UserError } from '../../util/user-error.js';
import { resolveHeaders } from '../env-headers.js';
import { classifyError, classifyStatus, errorResponded } from '../outcome.js';
import type { SendSink, Target, TargetContext } from '../target.js';

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

/** HTTP(S) target on an undici Pool with keep-alive, driven through `dispatch` (not `request`). */
export class HttpTarget implements Target {
  readonly description: string;
  readonly endpoint: string;
  readonly capacity: number;
  private pool: Pool | undefined;
  private readonly handlers: SlotHandler[] = [];
  private readonly url: URL;
  private headerList: string[] = [];
  private readonly opts: { path: string; method: string; headers: string[]; body: string | Uint8Array };
  private readonly traceIndex: number;

  constructor(private readonly cfg: HttpTargetConfig) {
    try {
      this.url = new URL(cfg.url);
    } catch {
      throw new UserError(`target URL "${cfg.url}" is not a valid URL`, { hint: 'use a full URL such as http://127.0.0.1:8080/ingest' });
    }
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new UserError(`target URL "${cfg.url}" must be http:// or https://`);
    }
    this.capacity = cfg.connections * cfg.pipelining;
    this.endpoint = `${this.url.hostname}:${this.url.port || (this.url.protocol === 'https:' ? 443 : 80)}`;
    this.description = `${cfg.method} ${this.url.origin}${this.url.pathname} (${cfg.connections} connection(s), pipelining ${cfg.pipelining})`;
    const headers = resolveHeaders(cfg.headers);
    const list: string[] = ['content-type', 'application/json'];
    for (const [k, v] of Object.entries(headers)) {
      if (k.toLowerCase() === 'content-type') list[1] = v;
      else list.push(k, v);
    }
    list.push('traceparent', '');
    this.traceIndex = list.length - 1;
    this.headerList = list;
    // undici copies the options into its own Request synchronously inside dispatch(), so one
    // options object and one header array are reused for every request.
    this.opts = { path: this.url.pathname + this.url.search, method: cfg.method, headers: this.headerList, body: '' };
  }

  /** The HTTP target sends each message as its own request: no timers, nothing to flush. */
  async open(_ctx?: TargetContext): Promise<void> {
    this.pool = new Pool(this.url.origin, {
      connections: this.cfg.connections,
      pipelining: this.cfg.pipelining,
      headersTimeout: this.cfg.timeoutMs,
      bodyTimeout: this.cfg.timeoutMs,
      connectTimeout: Math.min(this.cfg.timeoutMs, 10_000),
      keepAliveTimeout: 30_000,
    });
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
    this.headerList[this.traceIndex] = traceparent;
    this.opts.body = msg.body;
    pool.dispatch(this.opts as Parameters<Pool['dispatch']>[0], h as unknown as Parameters<Pool['dispatch']>[1]);
  }

  flush(): void {}

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (!pool) return;
    // Requests still queued after the engine's drain bound are abandoned, not awaited.
    await pool.destroy();
  }
}
