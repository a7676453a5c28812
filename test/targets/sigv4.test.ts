import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSigner, regionFromHost, resolveRegion, splitPath, type RequestSigner } from '../../src/targets/http/sigv4.js';
import { isUserError, UserError } from '../../src/util/user-error.js';
import { startVerifyingServer, TEST_CREDENTIALS, verifySigV4, type VerifyingServer } from '../support/sigv4-verify.js';

const REGION = 'eu-north-1';
const SERVICE = 'execute-api';
const SECRET = TEST_CREDENTIALS.secretAccessKey;
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENxYz0123456789abcdefABCDEF==';
const staticProvider = (c: AwsCredentialIdentity): AwsCredentialIdentityProvider => async () => c;
const JSON_BODY = JSON.stringify({ vin: 'WVWZZZ1JZXW000001', lat: 59.3293, lon: 18.0686, speedKph: 87.5, ts: 1_700_000_000_000 });

/** AWS_* variables these tests set or clear, restored after each test. */
const ENV_NAMES = ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN',
  'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'AWS_EC2_METADATA_DISABLED'];
let savedEnv: Record<string, string | undefined> = {};
beforeEach(() => {
  savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));
  for (const n of ENV_NAMES) delete process.env[n];
});
afterEach(() => {
  for (const n of ENV_NAMES) {
    if (savedEnv[n] === undefined) delete process.env[n];
    else process.env[n] = savedEnv[n];
  }
});

let srv: VerifyingServer;
beforeAll(async () => {
  srv = await startVerifyingServer({ service: SERVICE, region: REGION });
});
afterAll(async () => {
  await srv.close();
});

function signerFor(creds: AwsCredentialIdentity = TEST_CREDENTIALS, path = '/prod/ingest'): Promise<RequestSigner> {
  return createSigner({ service: SERVICE, region: REGION }, new URL(srv.origin + path), { credentials: staticProvider(creds) });
}

/** Sends one request with the signer's headers merged over `headers`; `sendBody` replaces the body after signing. */
async function send(s: RequestSigner, r: { method?: 'POST' | 'PUT' | 'PATCH'; path?: string; headers?: Record<string, string>; body: string | Uint8Array; sendBody?: string | Uint8Array; after?: Record<string, string> }) {
  const method = r.method ?? 'POST';
  const path = r.path ?? '/prod/ingest';
  const headers = r.headers ?? {};
  const added = await s.sign(method, path, headers, r.body);
  const res = await request(srv.origin + path, { method, headers: { ...headers, ...added, ...r.after }, body: r.sendBody ?? r.body });
  const verdict = (await res.body.json()) as { ok: boolean; reason?: string };
  return { status: res.statusCode, verdict, added };
}

const signedHeaderList = (authorization: string) => authorization.match(/SignedHeaders=([^,]+)/)?.[1];

describe('createSigner: requests a real server verifies', () => {
  const cases: Array<{ name: string; method?: 'POST' | 'PUT' | 'PATCH'; path?: string; headers?: Record<string, string>; body: string | Uint8Array }> = [
    { name: 'JSON string body', headers: { 'content-type': 'application/json', 'x-rushhour-run': 'r-1' }, body: JSON_BODY },
    { name: 'non-ASCII bytes (PUT)', method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from('{"driver":"Åsa Öberg","note":"→ 🚚"}') },
    { name: 'non-ASCII string (sent as UTF-8)', headers: { 'content-type': 'application/json; charset=utf-8' }, body: '{"driver":"Åsa Öberg"}' },
    { name: 'query: repeated, empty, flag, %20 (PATCH)', method: 'PATCH', path: '/prod/ingest?vin=WVW%20ZZZ&b=2&a=1&a=0&empty=&flag', body: JSON_BODY },
    { name: 'percent-encoded path segments', path: '/prod/v%C3%A9hicules/a%20b/ingest', body: JSON_BODY },
    { name: 'empty body', body: '' },
    { name: 'mixed-case header names', headers: { 'Content-Type': 'application/json', 'X-Custom-Thing': '  spaced   value ' }, body: JSON_BODY },
    { name: 'per-request headers (traceparent) and unsignable ones (user-agent)', headers: { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', 'user-agent': 'rushhour/0.1' }, body: JSON_BODY },
  ];
  it.each(cases)('$name', async (c) => {
    const s = await signerFor(TEST_CREDENTIALS, c.path ?? '/prod/ingest');
    const { status, verdict, added } = await send(s, c);
    expect(verdict).toEqual({ ok: true });
    expect(status).toBe(200);
    expect(Object.keys(added).sort()).toEqual(['authorization', 'x-amz-content-sha256', 'x-amz-date']);
    const sha = createHash('sha256').update(typeof c.body === 'string' ? Buffer.from(c.body, 'utf8') : c.body).digest('hex');
    expect(added['x-amz-content-sha256']).toBe(sha);
  });

  it('signs host, the caller\'s headers, the date and the body hash; not user-agent', async () => {
    const s = await signerFor();
    const added = await s.sign('POST', '/prod/ingest', { 'content-type': 'application/json', traceparent: 't', 'user-agent': 'u', 'x-rushhour-run': 'r' }, JSON_BODY);
    expect(signedHeaderList(added.authorization)).toBe('content-type;host;traceparent;x-amz-content-sha256;x-amz-date;x-rushhour-run');
    expect(added.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/${REGION}/${SERVICE}/aws4_request, `));
    expect(s.region).toBe(REGION);
  });

  it('adds x-amz-security-token for session credentials, and the server verifies it', async () => {
    const s = await signerFor({ ...TEST_CREDENTIALS, sessionToken: TOKEN });
    const { status, verdict, added } = await send(s, { headers: { 'content-type': 'application/json' }, body: JSON_BODY });
    expect(verdict).toEqual({ ok: true });
    expect(status).toBe(200);
    expect(added['x-amz-security-token']).toBe(TOKEN);
    expect(signedHeaderList(added.authorization)).toContain('x-amz-security-token');
  });

  it('hashes the bytes given, not a x-amz-content-sha256 the caller set', async () => {
    const s = await signerFor();
    const { status, added } = await send(s, { headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', authorization: 'Bearer x' }, body: JSON_BODY });
    expect(status).toBe(200);
    expect(added['x-amz-content-sha256']).toBe(createHash('sha256').update(JSON_BODY).digest('hex'));
  });

  it('service lambda (function URLs), against a server that expects lambda', async () => {
    const lambda = await startVerifyingServer({ service: 'lambda', region: 'us-west-2' });
    try {
      const s = await createSigner({ service: 'lambda', region: 'us-west-2' }, new URL(lambda.origin + '/'), { credentials: staticProvider(TEST_CREDENTIALS) });
      const added = await s.sign('POST', '/', { 'content-type': 'application/json' }, JSON_BODY);
      expect(added.authorization).toContain('/us-west-2/lambda/aws4_request');
      const res = await request(lambda.origin + '/', { method: 'POST', headers: { 'content-type': 'application/json', ...added }, body: JSON_BODY });
      expect(await res.body.json()).toEqual({ ok: true });
    } finally {
      await lambda.close();
    }
  });

  it('200 concurrent requests of one signer, each body different, all verify', async () => {
    const s = await signerFor();
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => send(s, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ i, pad: 'x'.repeat(i) }) })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(200);
  });
});

describe('createSigner: what the server must refuse', () => {
  it('a body changed after signing', async () => {
    const s = await signerFor();
    const { status, verdict } = await send(s, { body: JSON_BODY, sendBody: JSON_BODY.replace('87.5', '88.5') });
    expect(status).toBe(403);
    expect(verdict.reason).toMatch(/x-amz-content-sha256/);
  });

  it('a body changed after signing, with the hash header forged to match it', async () => {
    const s = await signerFor();
    const forged = JSON_BODY.replace('87.5', '88.5');
    const { status, verdict } = await send(s, { body: JSON_BODY, sendBody: forged, after: { 'x-amz-content-sha256': createHash('sha256').update(forged).digest('hex') } });
    expect(status).toBe(403);
    expect(verdict.reason).toMatch(/signature mismatch/);
  });

  it('a signed header changed after signing', async () => {
    const s = await signerFor();
    const { status, verdict } = await send(s, { headers: { 'x-rushhour-run': 'r-1' }, body: JSON_BODY, after: { 'x-rushhour-run': 'r-2' } });
    expect(status).toBe(403);
    expect(verdict.reason).toMatch(/signature mismatch/);
  });

  it('a wrong secret', async () => {
    const s = await signerFor({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-the-secret-the-server-knows-0000000000' });
    const { status, verdict } = await send(s, { body: JSON_BODY });
    expect(status).toBe(403);
    expect(verdict.reason).toMatch(/signature mismatch/);
  });

  it('the verifier itself: a good request fails when checked against another region', async () => {
    const s = await signerFor();
    expect((await send(s, { body: JSON_BODY })).status).toBe(200);
    const last = srv.seen[srv.seen.length - 1].request;
    expect(await verifySigV4(last, { service: SERVICE, region: REGION })).toEqual({ ok: true });
    expect((await verifySigV4(last, { service: SERVICE, region: 'us-east-1' })).ok).toBe(false);
    expect((await verifySigV4(last, { service: 'lambda', region: REGION })).ok).toBe(false);
  });
});

describe('region', () => {
  it.each([
    ['abc123.execute-api.eu-north-1.amazonaws.com', 'eu-north-1'],
    ['ABC123.Execute-Api.US-EAST-1.amazonaws.com', 'us-east-1'],
    ['abc123.execute-api.us-gov-west-1.amazonaws.com', 'us-gov-west-1'],
    ['abc123.execute-api.cn-north-1.amazonaws.com.cn', 'cn-north-1'],
    ['abc123-vpce-0a1b2c3d.execute-api.ap-southeast-2.vpce.amazonaws.com', 'ap-southeast-2'],
    ['abc123.execute-api.eu-west-1.api.aws', 'eu-west-1'],
    ['xyz789.lambda-url.eu-north-1.on.aws', 'eu-north-1'],
    ['xyz789.lambda-url.eu-north-1.on.aws.', 'eu-north-1'],
    ['api.example.com', undefined],
    ['127.0.0.1', undefined],
    ['execute-api.eu-north-1.amazonaws.com', undefined],
    ['abc.execute-api.eu-north-1.amazonaws.com.evil.example', undefined],
    ['abc.execute-api.not_a_region.amazonaws.com', undefined],
    ['abc.lambda.eu-north-1.amazonaws.com', undefined],
  ])('regionFromHost(%s) = %s', (host, region) => {
    expect(regionFromHost(host)).toBe(region);
  });

  it('the config wins, then the host name, then AWS_REGION, then AWS_DEFAULT_REGION', () => {
    const url = new URL('https://abc.execute-api.eu-north-1.amazonaws.com/prod');
    const custom = new URL('https://api.example.com/prod');
    const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' };
    expect(resolveRegion({ service: SERVICE, region: 'ap-south-1' }, url, env)).toBe('ap-south-1');
    expect(resolveRegion({ service: SERVICE }, url, env)).toBe('eu-north-1');
    expect(resolveRegion({ service: SERVICE }, custom, env)).toBe('us-east-1');
    expect(resolveRegion({ service: SERVICE }, custom, { AWS_DEFAULT_REGION: 'us-west-2', AWS_REGION: ' ' })).toBe('us-west-2');
    expect(resolveRegion({ service: SERVICE }, url, {})).toBe('eu-north-1');
  });

  it('none anywhere: a UserError naming target.http.auth.sigv4.region, before credentials are asked for', async () => {
    let asked = false;
    const credentials: AwsCredentialIdentityProvider = async () => {
      asked = true;
      return TEST_CREDENTIALS;
    };
    const err = await createSigner({ service: SERVICE }, new URL('http://127.0.0.1:9/ingest'), { credentials }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toContain('target.http.auth.sigv4.region');
    expect((err as UserError).hint).toContain('target.http.auth.sigv4.region');
    expect(asked).toBe(false);
  });
});

describe('credentials', () => {
  const url = new URL('https://abc.execute-api.eu-north-1.amazonaws.com/prod/ingest');
  const text = (e: unknown) => `${(e as UserError).message}\n${(e as UserError).hint ?? ''}`;

  it('a provider that rejects: a UserError with a hint, and no secret in its text', async () => {
    const credentials: AwsCredentialIdentityProvider = async () => {
      throw new Error(`denied: AKIAIOSFODNN7EXAMPLE / ${SECRET} / ${TOKEN}\nsecond line ${SECRET}`);
    };
    const err = await createSigner({ service: SERVICE, profile: 'ops' }, url, { credentials }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    const t = text(err);
    expect(t).not.toContain(SECRET);
    expect(t).not.toContain(TOKEN);
    expect(t).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(t).toContain('denied');
    expect(t).toContain('profile ops');
    for (const word of ['AWS_PROFILE', 'aws configure', 'aws sso login']) expect(t).toContain(word);
    expect((err as { cause?: unknown }).cause).toBeUndefined();
  });

  it.each([
    ['no secret', { accessKeyId: 'AKIDEXAMPLE' } as AwsCredentialIdentity, /no access key id or secret/],
    ['already expired', { ...TEST_CREDENTIALS, sessionToken: TOKEN, expiration: new Date(Date.now() - 1000) }, /expired at/],
  ])('a provider that returns credentials with %s: a UserError', async (_name, creds, pattern) => {
    const err = await createSigner({ service: SERVICE }, url, { credentials: staticProvider(creds) }).catch((e: unknown) => e);
    expect(isUserError(err)).toBe(true);
    expect((err as UserError).message).toMatch(pattern);
    expect(text(err)).not.toContain(SECRET);
  });

  describe("the SDK's default chain, from a shared credentials file", () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'rushhour-sigv4-'));
      writeFileSync(join(dir, 'credentials'), `[rushhour-test]\naws_access_key_id = ${TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${SECRET}\n`);
      writeFileSync(join(dir, 'config'), '');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_EC2_METADATA_DISABLED = 'true';
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('a named profile signs requests the server verifies', async () => {
      const s = await createSigner({ service: SERVICE, region: REGION, profile: 'rushhour-test' }, new URL(srv.origin + '/prod/ingest'));
      const { status, verdict } = await send(s, { headers: { 'content-type': 'application/json' }, body: JSON_BODY });
      expect(verdict).toEqual({ ok: true });
      expect(status).toBe(200);
    });

    it('a profile that is not there: a UserError naming it, no secret', async () => {
      const err = await createSigner({ service: SERVICE, profile: 'missing-profile' }, url).catch((e: unknown) => e);
      expect(isUserError(err)).toBe(true);
      expect(text(err)).toContain('missing-profile');
      expect(text(err)).not.toContain(SECRET);
    });
  });
});

describe('splitPath', () => {
  it.each([
    ['/prod/ingest', '/prod/ingest', {}],
    ['', '/', {}],
    ['/p?b=2&a=1&a=0', '/p', { b: '2', a: ['1', '0'] }],
    ['/p?flag&empty=&sp=a%20b&eq=x=y', '/p', { flag: '', empty: '', sp: 'a b', eq: 'x=y' }],
    ['/p?bad=%E0%A4%A', '/p', { bad: '%E0%A4%A' }],
  ])('%s', (text, path, query) => {
    expect(splitPath(text)).toEqual({ path, query });
  });
});
