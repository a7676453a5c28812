import { z } from 'zod';
import { formatDuration } from '../../util/units.js';
import type { TargetKind } from '../kind.js';
import { maskHeaders, maskUrl } from '../mask.js';
import { connectionFields, connectionLine, connectionSettings, DEFAULT_CONNECTIONS, DEFAULT_METHOD, DEFAULT_PIPELINING, DEFAULT_TIMEOUT_MS, httpUrlProblem, withOverrides, type HttpTargetConfig } from './config.js';
import { HttpTarget } from './http-target.js';

/** RFC 9110 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Any text without CR/LF in which every `${` opens a well-formed `${NAME}` reference. */
export const HEADER_VALUE_PATTERN = '^(?:[^$\\r\\n]|\\$(?!\\{)|\\$\\{[A-Za-z_][A-Za-z0-9_]*\\})*$';

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

const schema = z
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
  .meta({ title: 'HTTP target', description: 'Each message is one request whose body is the JSON message.' })
  .transform((h): HttpTargetConfig => ({ kind: 'http', url: h.url, method: h.method ?? DEFAULT_METHOD, headers: h.headers ?? {}, ...connectionSettings(h) }));

/** `target: { http: { url, method, headers, connections, pipelining, timeout } }`: one request per message. */
export const httpKind: TargetKind<HttpTargetConfig> = {
  kind: 'http',
  schema,
  flagForm: 'an http(s) URL such as http://127.0.0.1:8080/ingest',
  fromFlag(text) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || httpUrlProblem(text) !== undefined) return undefined;
    // Headers are never taken from a flag: a token is never sent to a host it was not written for.
    return { kind: 'http', url: text, method: DEFAULT_METHOD, headers: {}, connections: DEFAULT_CONNECTIONS, pipelining: DEFAULT_PIPELINING, timeoutMs: DEFAULT_TIMEOUT_MS };
  },
  resolve: (cfg, o) => withOverrides({ ...cfg, headers: { ...cfg.headers } }, o.overrides),
  mask: (cfg) => ({ ...cfg, url: maskUrl(cfg.url), headers: maskHeaders(cfg.headers) }),
  describe(cfg) {
    const names = Object.keys(cfg.headers);
    const headers = names.length ? `${names.join(', ')} (values hidden)` : 'none';
    return [`target      http ${cfg.method} ${maskUrl(cfg.url)} (${connectionLine(cfg, formatDuration)})`, `headers     ${headers}`];
  },
  timeoutMs: (cfg) => cfg.timeoutMs,
  label: (cfg) => `http ${maskUrl(cfg.url)}`,
  async open(cfg, ctx) {
    const target = new HttpTarget(cfg);
    await target.open(ctx);
    return { target, description: target.description, url: maskUrl(cfg.url), info: {}, dispose: once(() => target.close()) };
  },
};

/** A dispose that runs once however often it is called. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
