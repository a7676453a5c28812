import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
// Type-only: @smithy/types is what @smithy/signature-v4's own declarations import.
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider, HttpRequest, QueryParameterBag } from '@smithy/types';
import { UserError } from '../../util/user-error.js';
import { silenceNodeVersionWarning } from '../aws/client-config.js';

/**
 * SigV4 request signing for the HTTP target (API Gateway with IAM auth: service `execute-api`;
 * Lambda function URLs: service `lambda`), done by the AWS SDK's own signer (@smithy/signature-v4).
 *
 * What is signed: the method, the path and query exactly as sent, the `host` header (the URL's
 * `host`, port included when not the default: what the HTTP client sends), every header the caller
 * passes except those the SDK never signs (user-agent, connection, expect, transfer-encoding,
 * x-amzn-trace-id, proxy-*, sec-*, …; `date` is dropped by the signer), and the SHA-256 of the
 * exact body bytes (also sent as `x-amz-content-sha256`). Per-request headers such as
 * `traceparent` are signed too: every request is signed on its own, so there is no reason not to.
 */

/** `target.http.auth.sigv4` of a scenario. */
export interface SigV4Config {
  /** The signing name: `execute-api` (API Gateway) or `lambda` (Lambda function URLs). */
  service: string;
  /** Default: AWS_REGION, else AWS_DEFAULT_REGION, else the region in the URL's host name. */
  region?: string;
  /** A named profile of the shared config and credentials files; default AWS_PROFILE, else `default`. */
  profile?: string;
}

export interface RequestSigner {
  /** The region requests are signed for (resolved once, in createSigner). */
  readonly region: string;
  /**
   * The headers to add to one request, lower-case names: `authorization`, `x-amz-date`,
   * `x-amz-content-sha256`, and `x-amz-security-token` when the credentials carry a session token.
   * They replace any header of the same name (case-insensitively) among `headers`.
   *
   * Contract: `method` is sent exactly as given (upper case); `path` is the path and query as
   * sent on the wire (percent-encoded; a space in the query as %20, a plus as %2B); `headers` are
   * the headers sent (each name once, in any case); `body` is the exact bytes sent (a string is
   * sent as UTF-8). Anything that changes one of them after signing breaks the signature. The
   * signature holds for 15 minutes from the call (AWS's allowed clock skew): sign just before sending.
   * Rejects when the credentials can no longer be refreshed.
   */
  sign(method: string, path: string, headers: Record<string, string>, body: string | Uint8Array): Promise<Record<string, string>>;
}

const REGION_FIELD = 'target.http.auth.sigv4.region';
/** Host-name labels that name the service, followed by the region label. */
const SERVICE_LABELS = new Set(['execute-api', 'lambda-url']);
/** What may follow the region label: the AWS partitions' domains (a `vpce.` label first for private APIs). */
const AWS_SUFFIXES = new Set(['amazonaws.com', 'amazonaws.com.cn', 'vpce.amazonaws.com', 'vpce.amazonaws.com.cn', 'on.aws', 'api.aws']);
const REGION = /^[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}$/;
/** The headers the signer writes: any the caller passes under these names are not signed and are replaced. */
const SIGNER_HEADERS = ['authorization', 'x-amz-date', 'x-amz-content-sha256', 'x-amz-security-token'];

/**
 * The region in an API Gateway or Lambda function URL host name, or undefined:
 * `abc123.execute-api.eu-north-1.amazonaws.com`, `abc-vpce-1a2b.execute-api.us-east-1.vpce.amazonaws.com`,
 * `xyz.lambda-url.eu-north-1.on.aws` → `eu-north-1` / `us-east-1`. A custom domain names no region.
 */
export function regionFromHost(hostname: string): string | undefined {
  const labels = hostname.toLowerCase().replace(/\.$/, '').split('.');
  for (let i = 1; i < labels.length - 2; i++) {
    if (!SERVICE_LABELS.has(labels[i]) || !REGION.test(labels[i + 1])) continue;
    if (AWS_SUFFIXES.has(labels.slice(i + 2).join('.'))) return labels[i + 1];
  }
  return undefined;
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = s?.trim();
  return t ? t : undefined;
}

/**
 * The signing region: the config's, else the host name's (an API in eu-north-1 is signed for
 * eu-north-1 even in a shell whose AWS_REGION says otherwise), else AWS_REGION, else
 * AWS_DEFAULT_REGION (custom domains); a UserError when none.
 */
export function resolveRegion(cfg: SigV4Config, url: URL, env: NodeJS.ProcessEnv = process.env): string {
  const region = nonEmpty(cfg.region) ?? regionFromHost(url.hostname) ?? nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION);
  if (region) return region;
  throw new UserError(
    `SigV4 signing needs a region: ${REGION_FIELD} is not set, neither is AWS_REGION or AWS_DEFAULT_REGION, and the host ${url.hostname} names none`,
    { hint: `Set ${REGION_FIELD} to the region of the API Gateway or Lambda function URL, e.g. eu-north-1.` },
  );
}

/**
 * Text of a credential error safe to print: its first line, at most 200 characters, with what
 * looks like a key id (AKIA…/ASIA…) or a secret or token (a run of 24+ base64 characters) masked.
 */
function safeReason(err: unknown): string {
  const e = err as { name?: unknown; message?: unknown } | null | undefined;
  const text = typeof e?.message === 'string' ? e.message : typeof err === 'string' ? err : '';
  const line = text.split('\n', 1)[0]
    .replace(/\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '***')
    .replace(/[A-Za-z0-9+/=]{24,}/g, '***')
    .slice(0, 200);
  const name = typeof e?.name === 'string' && e.name !== 'Error' ? `${e.name}: ` : '';
  return line ? `${name}${line}` : 'no credentials were returned';
}

function credentialError(cfg: SigV4Config, reason: string): UserError {
  const profile = nonEmpty(cfg.profile) ?? nonEmpty(process.env.AWS_PROFILE);
  return new UserError(
    `Could not get AWS credentials to sign requests with SigV4 (service ${cfg.service}${profile ? `, profile ${profile}` : ''}): ${reason}`,
    {
      hint:
        "rushhour uses the AWS SDK's default credential chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, a profile " +
        '(AWS_PROFILE or target.http.auth.sigv4.profile), SSO, web identity, container or instance metadata. ' +
        (profile ? `Check that profile ${profile} is in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE). ` : '') +
        'Set AWS_PROFILE to a configured profile, run `aws configure`, or run `aws sso login` when an SSO session has expired.',
    },
  );
}

/** Resolves credentials once and checks them, so a run fails before it starts rather than on every request. */
async function checkCredentials(provider: AwsCredentialIdentityProvider, cfg: SigV4Config): Promise<void> {
  let creds: AwsCredentialIdentity | undefined;
  try {
    creds = await provider();
  } catch (err) {
    throw credentialError(cfg, safeReason(err));
  }
  if (typeof creds?.accessKeyId !== 'string' || !creds.accessKeyId || typeof creds.secretAccessKey !== 'string' || !creds.secretAccessKey) {
    throw credentialError(cfg, 'the credential provider returned no access key id or secret');
  }
  if (creds.expiration && creds.expiration.getTime() <= Date.now()) {
    throw credentialError(cfg, `the credentials expired at ${creds.expiration.toISOString()}`);
  }
}

/**
 * A `path?query` split for the signer: the path as sent, and the query decoded into its pairs
 * (the signer encodes them again, sorted, for the canonical request). `?flag` counts as `flag=`.
 */
export function splitPath(pathAndQuery: string): { path: string; query: QueryParameterBag } {
  const q = pathAndQuery.indexOf('?');
  const path = (q < 0 ? pathAndQuery : pathAndQuery.slice(0, q)) || '/';
  const query: Record<string, string | string[]> = {};
  if (q < 0) return { path, query };
  for (const pair of pathAndQuery.slice(q + 1).split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const prior = query[key];
    query[key] = prior === undefined ? value : Array.isArray(prior) ? [...prior, value] : [prior, value];
  }
  return { path, query };
}

/** decodeURIComponent, or the text itself when it holds a malformed %-escape. */
function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The caller's headers with lower-case names, `host` added, the signer's own names left out. */
function signableHeaders(headers: Record<string, string>, host: string): Record<string, string> {
  const out: Record<string, string> = { host };
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (SIGNER_HEADERS.includes(lower)) continue;
    out[lower] = headers[name];
  }
  return out;
}

/**
 * A signer for requests to `url`'s origin. Resolves the region (a UserError naming
 * target.http.auth.sigv4.region when there is none) and the credentials (a UserError with a hint,
 * never a secret, when the chain fails), once, before returning. `opts.credentials` replaces the
 * SDK's default chain (tests). The default chain is memoized by the SDK: it is read once and
 * refreshed in the background when less than 5 minutes are left before the credentials expire.
 */
export async function createSigner(cfg: SigV4Config, url: URL, opts: { credentials?: AwsCredentialIdentityProvider } = {}): Promise<RequestSigner> {
  if (!nonEmpty(cfg.service)) throw new UserError('SigV4 signing needs target.http.auth.sigv4.service', { hint: 'execute-api for API Gateway, lambda for Lambda function URLs.' });
  const region = resolveRegion(cfg, url);
  silenceNodeVersionWarning();
  const profile = nonEmpty(cfg.profile);
  const credentials = opts.credentials ?? defaultProvider(profile ? { profile } : {});
  await checkCredentials(credentials, cfg);
  const signer = new SignatureV4({ service: cfg.service, region, credentials, sha256: Hash.bind(null, 'sha256'), uriEscapePath: true });
  const base = { protocol: url.protocol, hostname: url.hostname, ...(url.port ? { port: Number(url.port) } : {}) };
  let last: { text: string; split: ReturnType<typeof splitPath> } | undefined;
  return {
    region,
    async sign(method, pathAndQuery, headers, body) {
      // The target sends one path over and over: split it once.
      if (last?.text !== pathAndQuery) last = { text: pathAndQuery, split: splitPath(pathAndQuery) };
      const request: HttpRequest = { ...base, method, ...last.split, headers: signableHeaders(headers, url.host), body };
      const signed = await signer.sign(request);
      const added: Record<string, string> = {};
      for (const name of SIGNER_HEADERS) {
        const value = signed.headers[name];
        if (value !== undefined) added[name] = value;
      }
      return added;
    },
  };
}
