import { z } from 'zod';
import { DEFAULT_CONNECTIONS, DEFAULT_METHOD, DEFAULT_PIPELINING, DEFAULT_TIMEOUT_MS } from './defaults.js';
import type { ScenarioTarget } from './scenario.js';
import { durationField, intField } from './unit-fields.js';

/**
 * The scenario's `target:` — `sandbox` (the default), `{ http: {...} }` or `{ sandbox: {...} }`
 * (the sandbox with explicit connection settings) → ScenarioTarget with every default filled in.
 * Header values keep their `${ENV}` references unresolved; the target resolves them at send time.
 */

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Any text without CR/LF in which every `${` opens a well-formed `${NAME}` reference. */
export const HEADER_VALUE_PATTERN = '^(?:[^$\\r\\n]|\\$(?!\\{)|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})*$';

export const MAX_CONNECTIONS = 10_000;
export const MAX_PIPELINING = 256;
export const MAX_TIMEOUT_MS = 600_000;

/** A message naming what is wrong with an http(s) URL, or undefined when it is fine. */
export function httpUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'expected an absolute http:// or https:// URL such as http://127.0.0.1:8080/ingest';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `expected an http:// or https:// URL (not ${url.protocol})`;
  return undefined;
}

const headersSchema = z
  .record(
    z.string().regex(HEADER_NAME, { error: 'expected a header name (letters, digits and !#$%&\'*+.^_`|~-)' }),
    z.string().regex(new RegExp(HEADER_VALUE_PATTERN), {
      error: 'expected a header value without line breaks whose references look like ${API_TOKEN}',
    }),
  )
  .meta({
    title: 'Request headers',
    description: 'Values may reference environment variables as ${NAME}; they are resolved when sending and never printed.',
    examples: [{ Authorization: 'Bearer ${API_TOKEN}' }],
  });

const connectionFields = {
  connections: intField({ title: 'Keep-alive connections', description: `1..${MAX_CONNECTIONS}. Default ${DEFAULT_CONNECTIONS}.`, default: DEFAULT_CONNECTIONS }, 1, MAX_CONNECTIONS).optional(),
  pipelining: intField({ title: 'HTTP/1.1 pipelining depth', description: `Requests in flight per connection, 1..${MAX_PIPELINING}. Default 1 (none).`, default: DEFAULT_PIPELINING }, 1, MAX_PIPELINING).optional(),
  timeout: durationField(
    { title: 'Request timeout', description: 'Default 10s: longer than the 5 s of arrivals the default in-flight cap holds, so a stall shows in full.', examples: ['10s'], default: '10s' },
    { min: 1, max: MAX_TIMEOUT_MS },
  ).optional(),
};

const httpSchema = z
  .strictObject({
    url: z
      .string()
      .superRefine((u, ctx) => {
        const problem = httpUrlProblem(u);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({ title: 'Endpoint URL', description: 'http:// or https://', examples: ['http://127.0.0.1:8080/ingest'] }),
    method: z.enum(['POST', 'PUT', 'PATCH']).meta({ title: 'HTTP method', description: 'Default POST.', default: DEFAULT_METHOD }).optional(),
    headers: headersSchema.optional(),
    ...connectionFields,
  })
  .meta({ title: 'HTTP target', description: 'Each message is one request whose body is the JSON message.' });

const sandboxSchema = z
  .strictObject(connectionFields)
  .meta({ title: 'Sandbox target', description: 'The embedded local pipeline, with explicit connection settings. Its model parameters go in the top-level `sandbox:` block.' });

const targetObjectSchema = z
  .strictObject({ http: httpSchema.optional(), sandbox: sandboxSchema.optional() })
  .superRefine((t, ctx) => {
    const n = (t.http ? 1 : 0) + (t.sandbox ? 1 : 0);
    if (n !== 1) ctx.addIssue({ code: 'custom', message: `expected exactly one of http: or sandbox:, got ${n === 0 ? 'neither' : 'both'}`, params: { quoted: true } });
  });

type ConnectionInput = { connections?: number; pipelining?: number; timeout?: number };

function connectionSettings(c: ConnectionInput) {
  return {
    connections: c.connections ?? DEFAULT_CONNECTIONS,
    pipelining: c.pipelining ?? DEFAULT_PIPELINING,
    timeoutMs: c.timeout ?? DEFAULT_TIMEOUT_MS,
  };
}

/** The sandbox target with default connection settings. */
export function defaultSandboxTarget(): ScenarioTarget {
  return { kind: 'sandbox', ...connectionSettings({}) };
}

export const targetSchema = z
  .union([z.literal('sandbox'), targetObjectSchema], { error: 'expected `sandbox` or a mapping with one key, `http:` or `sandbox:`' })
  .meta({
    title: 'Where the load goes',
    description: '`sandbox` (default: the embedded local pipeline) or `{ http: { url, method, headers, connections, pipelining, timeout } }`.',
    default: 'sandbox',
  })
  .transform((t): ScenarioTarget => {
    if (t === 'sandbox' || t.sandbox) return { kind: 'sandbox', ...connectionSettings(t === 'sandbox' ? {} : t.sandbox!) };
    const h = t.http!;
    return { kind: 'http', url: h.url, method: h.method ?? DEFAULT_METHOD, headers: h.headers ?? {}, ...connectionSettings(h) };
  });

