import { durationField, intField } from '../../util/unit-fields.js';
import type { TargetOverrides } from '../kind.js';

/** How messages are put into one request body when a request carries a batch. */
export type HttpBatchFormat = 'json-array' | 'ndjson' | 'wrapped';

/** `target.http.batch`, resolved (bytes, ms). */
export interface HttpBatchConfig {
  /** Most messages in one request. */
  maxMessages: number;
  /** Most bytes in one request body, separators and wrapper included. */
  maxBytes: number;
  /** A partly filled batch is sent this long after its first message. */
  lingerMs: number;
  format: HttpBatchFormat;
  /** The wrapper's key for `wrapped`: `{ "<key>": [ … ] }`. */
  key: string;
  /** Times a request answered 429 or 5xx, or timed out, is sent again (the whole batch). */
  retries: number;
}

/** `target.http.tls`, resolved: a CA bundle file (absolute path) and whether certificates are checked at all. */
export interface HttpTlsConfig {
  ca?: string;
  insecure?: boolean;
}

/** `target.http.auth.sigv4`: requests signed for an AWS service (execute-api, lambda). */
export interface HttpSigV4Config {
  service: string;
  region?: string;
  profile?: string;
}

/**
 * HTTP target, resolved. Header values may hold `${ENV_NAME}` references, resolved only when
 * sending; the URL's path and query, and header values, may hold `{{field}}` placeholders of
 * the fleet's message, compiled once (not with `batch`: one request carries many vehicles).
 */
export interface HttpTargetConfig {
  kind: 'http';
  url: string;
  method: 'POST' | 'PUT' | 'PATCH';
  headers: Record<string, string>;
  /** Keep-alive connections in the pool. */
  connections: number;
  /** Requests in flight per connection (HTTP/1.1 pipelining); 1 = none. */
  pipelining: number;
  /** Request timeout in ms (headers and body each). */
  timeoutMs: number;
  batch?: HttpBatchConfig;
  tls?: HttpTlsConfig;
  auth?: { sigv4: HttpSigV4Config };
}

/** Connection settings of the http client: shared by the http and sandbox targets. */
export const DEFAULT_CONNECTIONS = 32;
export const DEFAULT_PIPELINING = 1;
/** Longer than the 5 s of arrivals the default in-flight cap holds, so a stall shows in full. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_METHOD = 'POST' as const;
export const MAX_CONNECTIONS = 10_000;
export const MAX_PIPELINING = 256;
export const MAX_TIMEOUT_MS = 600_000;

export const connectionFields = {
  connections: intField({ title: 'Keep-alive connections', description: `1..${MAX_CONNECTIONS}. Default ${DEFAULT_CONNECTIONS}.`, default: DEFAULT_CONNECTIONS }, 1, MAX_CONNECTIONS).optional(),
  pipelining: intField({ title: 'HTTP/1.1 pipelining depth', description: `Requests in flight per connection, 1..${MAX_PIPELINING}. Default 1 (none).`, default: DEFAULT_PIPELINING }, 1, MAX_PIPELINING).optional(),
  timeout: durationField(
    { title: 'Request timeout', description: 'Default 10s: longer than the 5 s of arrivals the default in-flight cap holds, so a stall shows in full.', examples: ['10s'], default: '10s' },
    { min: 1, max: MAX_TIMEOUT_MS },
  ).optional(),
};

export interface ConnectionSettings {
  connections: number;
  pipelining: number;
  timeoutMs: number;
}

/** The block's connection fields with defaults filled in. */
export function connectionSettings(c: { connections?: number; pipelining?: number; timeout?: number }): ConnectionSettings {
  return {
    connections: c.connections ?? DEFAULT_CONNECTIONS,
    pipelining: c.pipelining ?? DEFAULT_PIPELINING,
    timeoutMs: c.timeout ?? DEFAULT_TIMEOUT_MS,
  };
}

/** The command line's settings win over the scenario's. */
export function withOverrides<C extends ConnectionSettings>(cfg: C, o: TargetOverrides): C {
  return { ...cfg, connections: o.connections ?? cfg.connections, pipelining: o.pipelining ?? cfg.pipelining, timeoutMs: o.timeoutMs ?? cfg.timeoutMs };
}

export function connectionLine(c: ConnectionSettings, formatDuration: (ms: number) => string): string {
  return `${c.connections} connections, pipelining ${c.pipelining}, timeout ${formatDuration(c.timeoutMs)}`;
}

/** A message naming what is wrong with an http(s) URL, or undefined when it is fine. Placeholders are checked elsewhere. */
export function httpUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.replace(/\{\{[^}]*\}\}/g, 'x'));
  } catch {
    return 'expected an absolute http:// or https:// URL such as http://127.0.0.1:8080/ingest';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http:// or https:// URL (not ${url.protocol})`;
  return undefined;
}


/**
 * Splits a URL as written into its origin and its path with query, without parsing the
 * placeholders (`new URL` would percent-encode their braces). The origin must hold none.
 */
export function splitUrl(text: string): { origin: string; path: string } {
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/?#]*)(.*)$/i.exec(text);
  const origin = m ? m[1] : text;
  let path = m ? m[2] : '';
  const hash = path.indexOf('#');
  if (hash >= 0) path = path.slice(0, hash);
  if (path === '' || path.startsWith('?')) path = `/${path}`;
  return { origin: new URL(origin).origin, path };
}
