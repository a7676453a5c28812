import { isAbsolute, resolve as resolvePath } from 'node:path';
import { z } from 'zod';
import { formatBytes, formatDuration } from '../../util/units.js';
import type { TargetKind } from '../kind.js';
import { maskHeaders, maskUrl } from '../mask.js';
import { connectionFields, connectionLine, connectionSettings, DEFAULT_CONNECTIONS, DEFAULT_METHOD, DEFAULT_PIPELINING, DEFAULT_TIMEOUT_MS, httpUrlProblem, withOverrides, type HttpBatchConfig, type HttpTargetConfig } from './config.js';
import { HttpBatchTarget } from './http-batch-target.js';
import { authSchema, batchSchema, tlsSchema } from './http-options-schema.js';
import { HttpTarget, parseTargetUrl } from './http-target.js';
import { INSECURE_WARNING, poolOptions } from './pool-options.js';
import { requestShapeProblems } from './request-shape.js';
import { createSigner } from './sigv4.js';

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
    description: 'Values may reference environment variables as ${NAME} (resolved when sending, never printed) and the message\'s fields as {{field}} (filled per message).',
    examples: [{ Authorization: 'Bearer ${API_TOKEN}', 'x-tenant': '{{tenantId}}' }],
  });

const schema = z
  .strictObject({
    url: z
      .string()
      .superRefine((u, ctx) => {
        const problem = httpUrlProblem(u);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .meta({ title: 'Endpoint URL', description: 'http:// or https://; the path and query may hold {{field}} placeholders, filled per message (percent-encoded).', examples: ['http://127.0.0.1:8080/ingest', 'https://api.example.com/vehicles/{{vehicleId}}/telemetry'] }),
    method: z.enum(['POST', 'PUT', 'PATCH']).meta({ title: 'HTTP method', description: 'Default POST.', default: DEFAULT_METHOD }).optional(),
    headers: headersSchema.optional(),
    ...connectionFields,
    batch: batchSchema.optional(),
    tls: tlsSchema.optional(),
    auth: authSchema.optional(),
  })
  .meta({ title: 'HTTP target', description: 'Each message is one request whose body is the message (in your shape with `payload:`), or with `batch` each request carries many.' })
  .superRefine((h, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message, params: { quoted: true } });
    if (httpUrlProblem(h.url) !== undefined) return;
    for (const p of requestShapeProblems(h.url, h.headers ?? {})) issue(p.path, p.message);
    if (h.batch && /\{\{/.test(h.url)) issue(['url'], 'expected no {{placeholders}} in the URL with batch: one request carries the messages of many vehicles');
    for (const [name, v] of Object.entries(h.headers ?? {})) if (h.batch && /\{\{/.test(v)) issue(['headers', name], 'expected no {{placeholders}} in headers with batch: one request carries the messages of many vehicles');
    if (h.tls && !/^https:/i.test(h.url)) issue(['tls'], 'expected an https:// URL: tls settings apply to TLS connections only');
  })
  .transform((h): HttpTargetConfig => ({
    kind: 'http', url: h.url, method: h.method ?? DEFAULT_METHOD, headers: h.headers ?? {}, ...connectionSettings(h),
    ...(h.batch ? { batch: h.batch } : {}), ...(h.tls ? { tls: h.tls } : {}), ...(h.auth ? { auth: h.auth } : {}),
  }));

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
  resolve: (cfg, o) => withOverrides({ ...structuredClone(cfg), ...(cfg.tls?.ca ? { tls: { ...cfg.tls, ca: resolveFrom(o.baseDir, cfg.tls.ca) } } : {}) }, o.overrides),
  textOnly: (cfg) => (cfg.batch ? 'messages in a batched HTTP request' : undefined),
  mask: (cfg) => ({ ...cfg, url: maskUrl(cfg.url), headers: maskHeaders(cfg.headers) }),
  describe(cfg) {
    const names = Object.keys(cfg.headers);
    const headers = names.length ? `${names.join(', ')} (values hidden)` : 'none';
    const lines = [`target      http ${cfg.method} ${maskUrl(cfg.url)} (${connectionLine(cfg, formatDuration)})`, `headers     ${headers}`];
    if (cfg.batch) lines.push(`batches     ${batchLine(cfg.batch)}`);
    if (cfg.tls) lines.push(`tls         ${cfg.tls.insecure ? 'certificates NOT verified (insecure)' : 'certificates verified'}${cfg.tls.ca ? `, CA ${cfg.tls.ca}` : ''}`);
    if (cfg.tls?.insecure) lines.push(INSECURE_WARNING);
    if (cfg.auth) lines.push(`auth        SigV4 for ${cfg.auth.sigv4.service}${cfg.auth.sigv4.region ? ` in ${cfg.auth.sigv4.region}` : ''}${cfg.auth.sigv4.profile ? `, profile ${cfg.auth.sigv4.profile}` : ', the SDK\'s credential chain'}`);
    return lines;
  },
  timeoutMs: (cfg) => cfg.timeoutMs,
  label: (cfg) => `http ${maskUrl(cfg.url)}`,
  async check(cfg) {
    poolOptions(cfg);
    const lines = cfg.tls?.ca ? [`checked     CA bundle ${cfg.tls.ca} reads as PEM`] : [];
    if (cfg.auth) {
      await createSigner(cfg.auth.sigv4, parseTargetUrl(cfg.url));
      lines.push(`checked     AWS credentials for SigV4 (${cfg.auth.sigv4.service}) resolve`);
    }
    lines.push('checked     nothing sent: the run\'s warm-up checks the endpoint before the clock');
    return { lines };
  },
  async open(cfg, _ctx) {
    const signer = cfg.auth ? await createSigner(cfg.auth.sigv4, parseTargetUrl(cfg.url)) : undefined;
    const target = cfg.batch ? new HttpBatchTarget({ ...cfg, batch: cfg.batch }, signer) : new HttpTarget(cfg, signer);
    await target.open(_ctx);
    return {
      target, description: target.description, url: maskUrl(cfg.url),
      info: { ...(cfg.batch ? { batch: cfg.batch } : {}), ...(cfg.tls?.insecure ? { tlsInsecure: true } : {}), ...(cfg.auth ? { auth: 'sigv4' } : {}) },
      ...(cfg.tls?.insecure ? { warnings: [INSECURE_WARNING] } : {}),
      dispose: once(() => target.close()),
    };
  },
};

function batchLine(b: HttpBatchConfig): string {
  const layout = b.format === 'wrapped' ? `wrapped under "${b.key}"` : b.format;
  return `up to ${b.maxMessages} messages and ${formatBytes(b.maxBytes)} a request, as ${layout}, linger ${formatDuration(b.lingerMs)}, ${b.retries} retries of a failed request`;
}

function resolveFrom(baseDir: string | undefined, file: string): string {
  return isAbsolute(file) ? file : resolvePath(baseDir ?? '.', file);
}

/** A dispose that runs once however often it is called. */
export function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}
