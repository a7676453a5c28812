import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, HttpRequest, QueryParameterBag } from '@smithy/types';

/** AWS's documented example credentials: fake, safe to print. */
export const TEST_CREDENTIALS: AwsCredentialIdentity = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** A request as a node:http server received it: `path` is `req.url` (path and query as sent). */
export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: Uint8Array;
}

export interface VerifyOptions {
  service: string;
  region: string;
  /** The secret the server knows. Default TEST_CREDENTIALS. */
  credentials?: AwsCredentialIdentity;
  /** How far x-amz-date may be from now, ms. Default 15 minutes (AWS's limit). */
  maxSkewMs?: number;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const AUTH = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/;

function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** `YYYYMMDDTHHMMSSZ` as a Date, or undefined. */
function amzDate(text: string | undefined): Date | undefined {
  const m = text?.match(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/);
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** The query as a server framework would parse it (WHATWG URLSearchParams), repeated names as arrays. */
function parseQuery(path: string): { path: string; query: QueryParameterBag } {
  const url = new URL(path, 'http://server.invalid');
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const prior = query[k];
    query[k] = prior === undefined ? v : Array.isArray(prior) ? [...prior, v] : [prior, v];
  }
  const q = path.indexOf('?');
  return { path: q < 0 ? path : path.slice(0, q), query };
}

/** Checks everything but the signature itself: the Authorization header's form, scope, date and body hash. */
function checkEnvelope(req: ReceivedRequest, o: VerifyOptions, creds: AwsCredentialIdentity): Verdict & { date?: Date; signed?: string[] } {
  const m = header(req.headers, 'authorization')?.match(AUTH);
  if (!m) return { ok: false, reason: 'no or malformed Authorization header' };
  const [, keyId, shortDate, region, service, signedHeaders] = m;
  if (keyId !== creds.accessKeyId) return { ok: false, reason: `unknown access key id ${keyId}` };
  if (region !== o.region || service !== o.service) return { ok: false, reason: `scope ${region}/${service}, expected ${o.region}/${o.service}` };
  const date = amzDate(header(req.headers, 'x-amz-date'));
  if (!date) return { ok: false, reason: 'no or malformed x-amz-date' };
  if (shortDate !== header(req.headers, 'x-amz-date')?.slice(0, 8)) return { ok: false, reason: 'scope date differs from x-amz-date' };
  if (Math.abs(Date.now() - date.getTime()) > (o.maxSkewMs ?? 15 * 60_000)) return { ok: false, reason: 'x-amz-date too far from now' };
  const sent = header(req.headers, 'x-amz-content-sha256');
  const actual = createHash('sha256').update(req.body).digest('hex');
  if (sent !== undefined && sent !== actual) return { ok: false, reason: 'x-amz-content-sha256 differs from the body received' };
  const signed = signedHeaders.split(';');
  if (!signed.includes('host')) return { ok: false, reason: 'host is not signed' };
  return { ok: true, date, signed };
}

/**
 * Recomputes a received request's SigV4 signature server-side with the same library the client
 * uses (SignatureV4, signing date from the request's x-amz-date, only the headers the request
 * says it signed, the payload hash of the bytes actually received) and compares the whole
 * Authorization header.
 */
export async function verifySigV4(req: ReceivedRequest, o: VerifyOptions): Promise<Verdict> {
  const creds = o.credentials ?? TEST_CREDENTIALS;
  const env = checkEnvelope(req, o, creds);
  if (!env.ok) return env;
  const headers: Record<string, string> = {};
  for (const name of env.signed ?? []) {
    const v = header(req.headers, name);
    if (v === undefined) return { ok: false, reason: `signed header ${name} is missing` };
    headers[name] = v;
  }
  // The hash of what arrived, whatever the client claimed (checkEnvelope compared the two).
  if (headers['x-amz-content-sha256'] !== undefined) headers['x-amz-content-sha256'] = createHash('sha256').update(req.body).digest('hex');
  const token = header(req.headers, 'x-amz-security-token');
  const signer = new SignatureV4({
    service: o.service,
    region: o.region,
    credentials: { ...creds, ...(token && env.signed?.includes('x-amz-security-token') ? { sessionToken: token } : {}) },
    sha256: Hash.bind(null, 'sha256'),
    applyChecksum: false,
  });
  const { path, query } = parseQuery(req.path);
  const [host, port] = (headers.host ?? '').split(':');
  const request: HttpRequest = { method: req.method, protocol: 'http:', hostname: host, ...(port ? { port: Number(port) } : {}), path, query, headers, body: req.body };
  const expected = (await signer.sign(request, { signingDate: env.date })).headers.authorization;
  const got = header(req.headers, 'authorization');
  return expected === got ? { ok: true } : { ok: false, reason: `signature mismatch: expected ${expected}, got ${got}` };
}

export interface VerifyingServer {
  /** `http://127.0.0.1:PORT` (no path). */
  origin: string;
  server: Server;
  /** Every request's verdict, in arrival order, with what was received. */
  seen: Array<{ request: ReceivedRequest; verdict: Verdict }>;
  close(): Promise<void>;
}

/**
 * A real node:http server on loopback that verifies every request's signature: 200 `{"ok":true}`
 * when it holds, 403 `{"ok":false,"reason":…}` when not (as API Gateway answers a bad signature).
 */
export async function startVerifyingServer(o: VerifyOptions): Promise<VerifyingServer> {
  const seen: VerifyingServer['seen'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) };
      void verifySigV4(request, o)
        .catch((err: unknown): Verdict => ({ ok: false, reason: `verifier failed: ${String(err)}` }))
        .then((verdict) => {
          seen.push({ request, verdict });
          res.writeHead(verdict.ok ? 200 : 403, { 'content-type': 'application/json' }).end(JSON.stringify(verdict));
        });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
