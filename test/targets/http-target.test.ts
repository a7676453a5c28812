import { afterEach, describe, expect, it } from 'vitest';
import { HttpTarget } from '../../src/targets/http/http-target.js';
import { classifyError } from '../../src/targets/outcome.js';
import type { HttpTargetConfig } from '../../src/scenario/run-plan.js';
import { UserError } from '../../src/util/user-error.js';
import { closedPort, startServer, type TestServer } from '../support/http-server.js';
import { fakeSource } from '../support/test-plan.js';

const servers: TestServer[] = [];
afterEach(async () => {
  while (servers.length) await servers.pop()!.close();
});

function cfg(url: string, over: Partial<HttpTargetConfig> = {}): HttpTargetConfig {
  return { kind: 'http', url, method: 'POST', headers: {}, connections: 2, pipelining: 1, timeoutMs: 2000, ...over };
}

/** Sends one message and resolves with what the target reported. */
async function sendOne(target: HttpTarget, n = 1): Promise<{ outcome: string; responded: boolean; written: boolean }> {
  return new Promise((resolve) => {
    let written = false;
    let sync = true;
    target.send(fakeSource.next(n, Date.now()), 0, `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, {
      written: () => (written = true),
      done: (_slot, outcome, responded) => {
        expect(sync).toBe(false); // the callback must never run inside send()
        resolve({ outcome, responded, written });
      },
    });
    sync = false;
  });
}

describe('HttpTarget against a real node:http server on loopback', () => {
  it.each([
    [200, '2xx'],
    [202, '2xx'],
    [404, '404'],
    [413, '413'],
    [429, '429'],
    [500, '5xx'],
    [503, '5xx'],
  ])('status %i is classified as %s and counts as answered', async (status, expected) => {
    const s = await startServer((_req, _body, res) => res.writeHead(status).end('x'));
    servers.push(s);
    const t = new HttpTarget(cfg(s.url));
    await t.open();
    expect(await sendOne(t)).toEqual({ outcome: expected, responded: true, written: true });
    await t.close();
  });

  it('sends the message JSON, a W3C traceparent and headers resolved from the environment', async () => {
    let seen: { headers: Record<string, unknown>; body: string } | undefined;
    const s = await startServer((req, body, res) => {
      seen = { headers: req.headers, body };
      res.writeHead(202).end();
    });
    servers.push(s);
    process.env.RUSHHOUR_TEST_TOKEN = 's3cret';
    const t = new HttpTarget(cfg(s.url, { headers: { authorization: 'Bearer ${RUSHHOUR_TEST_TOKEN}' } }));
    expect(t.description).not.toContain('s3cret');
    await t.open();
    await sendOne(t, 41);
    expect(seen!.headers.authorization).toBe('Bearer s3cret');
    expect(seen!.headers.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen!.body)).toMatchObject({ n: 41 });
    await t.close();
  });

  it('an unset ${VAR} in a header is a user error naming the header and variable', () => {
    delete process.env.RUSHHOUR_UNSET_VAR;
    const make = () => new HttpTarget(cfg('http://127.0.0.1:1/', { headers: { 'x-api-key': '${RUSHHOUR_UNSET_VAR}' } }));
    expect(make).toThrow(UserError);
    expect(make).toThrow(/x-api-key.*RUSHHOUR_UNSET_VAR/);
  });

  it('connection refused is an outcome, not an exception', async () => {
    const t = new HttpTarget(cfg(`http://127.0.0.1:${await closedPort()}/`));
    await t.open();
    expect(await sendOne(t)).toMatchObject({ outcome: 'refused', responded: false });
    await t.close();
  });

  it('a server that never answers times out after the request timeout', async () => {
    const s = await startServer(() => {});
    servers.push(s);
    const t = new HttpTarget(cfg(s.url, { timeoutMs: 300 }));
    await t.open();
    const started = Date.now();
    expect(await sendOne(t)).toMatchObject({ outcome: 'timeout', responded: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await t.close();
  });

  it('a connection reset by the server is classified as reset', async () => {
    const s = await startServer((req) => req.socket.destroy());
    servers.push(s);
    const t = new HttpTarget(cfg(s.url));
    await t.open();
    expect(await sendOne(t)).toMatchObject({ outcome: 'reset', responded: false });
    await t.close();
  });

  it('a response whose body is cut off is a reset, not the status it started with (the target did answer)', async () => {
    const s = await startServer((_req, _body, res) => {
      res.writeHead(200, { 'content-length': '1000' });
      res.write('{"partial"');
      setImmediate(() => res.socket?.destroy());
    });
    servers.push(s);
    const t = new HttpTarget(cfg(s.url));
    await t.open();
    expect(await sendOne(t)).toMatchObject({ outcome: 'reset', responded: true });
    await t.close();
  });

  it('https:// to a plain HTTP server fails the TLS handshake: classified as tls', async () => {
    const s = await startServer((_req, _body, res) => res.writeHead(200).end());
    servers.push(s);
    const t = new HttpTarget(cfg(s.url.replace('http://', 'https://')));
    await t.open();
    expect(await sendOne(t)).toMatchObject({ outcome: 'tls', responded: false });
    expect(t.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
    await t.close();
  });

  it.each([
    ['ECONNREFUSED', 'refused'], ['ECONNRESET', 'reset'], ['UND_ERR_SOCKET', 'reset'], ['EPIPE', 'reset'],
    ['UND_ERR_HEADERS_TIMEOUT', 'timeout'], ['UND_ERR_CONNECT_TIMEOUT', 'timeout'],
    ['ENOTFOUND', 'dns'], ['EAI_AGAIN', 'dns'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'tls'], ['CERT_HAS_EXPIRED', 'tls'], ['ERR_TLS_CERT_ALTNAME_INVALID', 'tls'], ['ERR_SSL_WRONG_VERSION_NUMBER', 'tls'],
    ['EWHATEVER', 'error'], [undefined, 'error'],
  ])('transport error code %s is classified as %s', (code, expected) => {
    expect(classifyError(Object.assign(new Error('x'), { code }))).toBe(expected);
  });

  it('rejects a URL that is not http(s) with a user error', () => {
    expect(() => new HttpTarget(cfg('ftp://127.0.0.1/x'))).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new HttpTarget(cfg('not a url'))).toThrow(UserError);
  });
});
