import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createShapedSource } from '../../src/payload/sources.js';
import type { PayloadConfig } from '../../src/payload/payload-shape.js';
import { httpKind } from '../../src/targets/http/kind.js';
import type { HttpTargetConfig } from '../../src/targets/http/config.js';
import type { Target } from '../../src/targets/target.js';
import type { OutMessage } from '../../src/telemetry/types.js';
import { systemClock } from '../../src/util/clock.js';
import { TestEnv } from '../support/env.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { startVerifyingServer, TEST_CREDENTIALS } from '../support/sigv4-verify.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

const TLS_DIR = join(import.meta.dirname, '..', 'fixtures', 'tls');
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

const TP = `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01`;

/** The target config from a scenario-style block, through the kind's own schema. */
const http = (block: Record<string, unknown>): HttpTargetConfig => httpKind.schema.parse({ connections: 4, timeout: '3s', ...block });

async function messages(count: number, payload?: PayloadConfig): Promise<OutMessage[]> {
  const source = await createShapedSource(fleetConfig(), 5, payload);
  return Array.from({ length: count }, (_, n) => source.next(n, Date.UTC(2026, 11, 1) + n));
}

/**
 * Opens the target, sends every message — never more at once than its capacity, as the engine
 * does — flushes, and resolves with each message's outcome and the messages of each request.
 */
async function drive(target: Target, msgs: OutMessage[]): Promise<{ outcomes: string[]; requests: number[] }> {
  const signal = new AbortController().signal;
  await target.open({ clock: systemClock, signal });
  closers.push(() => target.close());
  const outcomes: string[] = new Array(msgs.length);
  const requests: number[] = [];
  let next = 0;
  let left = msgs.length;
  await new Promise<void>((resolve) => {
    const sink = {
      written: () => {},
      done: (s: number, outcome: string) => {
        outcomes[s] = outcome;
        if (--left === 0) resolve();
        else if (next < msgs.length) sendNext();
        else target.flush();
      },
      request: (records: number) => requests.push(records),
    };
    const sendNext = () => {
      target.send(msgs[next], next, TP, sink);
      next++;
    };
    while (next < msgs.length && next < target.capacity) sendNext();
    target.flush();
  });
  return { outcomes, requests };
}

async function open(cfg: HttpTargetConfig): Promise<Target> {
  const opened = await httpKind.open(cfg, { clock: systemClock, signal: new AbortController().signal });
  await opened.target.close();
  return opened.target;
}

async function server(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(handler);
  closers.push(() => s.close());
  return s;
}

describe('per-message paths and headers', () => {
  it('fills the URL path and header values from each message, percent-encoded in the path', async () => {
    const seen: Array<{ url: string; tenant: string; kind: string; body: { vehicleId: string; tenantId: string; kind: string } }> = [];
    const s = await server((req, body, res) => {
      seen.push({ url: req.url!, tenant: String(req.headers['x-tenant']), kind: String(req.headers['x-kind']), body: JSON.parse(body) });
      res.writeHead(202).end();
    });
    const origin = new URL(s.url).origin;
    const cfg = http({ url: `${origin}/vehicles/{{vehicleId}}/telemetry?fleet={{fleetId}}&src=rushhour`, headers: { 'x-tenant': '{{tenantId}}', 'x-kind': 'k={{kind | upper}}' } });
    const msgs = await messages(40);
    const { outcomes } = await drive(await open(cfg), msgs);
    expect(outcomes.every((o) => o === '2xx')).toBe(true);
    expect(seen).toHaveLength(40);
    for (const r of seen) {
      expect(r.url).toBe(`/vehicles/${r.body.vehicleId}/telemetry?fleet=${encodeURIComponent((r.body as unknown as { fleetId: string }).fleetId)}&src=rushhour`);
      expect(r.tenant).toBe(r.body.tenantId);
      expect(r.kind).toBe(`k=${r.body.kind.toUpperCase()}`);
    }
    expect(new Set(seen.map((r) => r.url)).size).toBeGreaterThan(30);
  });

  it('the scenario check rejects a placeholder in the host, an unknown field, and placeholders with batch', () => {
    const problems = (block: Record<string, unknown>) => httpKind.schema.safeParse(block).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
    expect(problems({ url: 'http://{{fleetId}}.example.com/in' })).toEqual([expect.stringMatching(/^url: expected placeholders only in the URL's path and query/)]);
    expect(problems({ url: 'http://h/v/{{vin}}' })).toEqual([expect.stringMatching(/^url: unknown field "vin"/)]);
    expect(problems({ url: 'http://h/in', headers: { 'x-t': '{{tenant}}' } })).toEqual([expect.stringMatching(/^headers.x-t: unknown field "tenant"/)]);
    expect(problems({ url: 'http://h/v/{{vehicleId}}', batch: {} })).toEqual([expect.stringMatching(/^url: expected no \{\{placeholders\}\} in the URL with batch/)]);
    expect(problems({ url: 'http://h/in', tls: { insecure: true } })).toEqual([expect.stringMatching(/^tls: expected an https:\/\/ URL/)]);
  });
});

describe('requests the pool queues', () => {
  it('each request keeps its own body and headers when undici queues it (no free connection)', async () => {
    const bodies: string[] = [];
    const traces: string[] = [];
    const s = await server((req, body, res) => {
      bodies.push(JSON.parse(body).messageId as string);
      traces.push(String(req.headers.traceparent));
      setTimeout(() => res.writeHead(200).end(), 5);
    });
    const opened = await httpKind.open(http({ url: s.url, connections: 2 }), { clock: systemClock, signal: new AbortController().signal });
    closers.push(() => opened.dispose());
    const msgs = await messages(40);
    // 40 at once over 2 connections: the pool must queue 38 of them
    await new Promise<void>((resolve) => {
      let left = msgs.length;
      msgs.forEach((m, slot) => opened.target.send(m, slot, `00-${String(slot).padStart(32, '0')}-${'b'.repeat(16)}-01`, { written: () => {}, done: () => --left === 0 && resolve() }));
    });
    expect(new Set(bodies).size).toBe(40);
    expect(new Set(traces).size).toBe(40);
  });
});

describe('requests that carry batches', () => {
  it.each([
    ['json-array', (body: string) => JSON.parse(body) as unknown[]],
    ['ndjson', (body: string) => { expect(body.endsWith('\n')).toBe(true); return body.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown); }],
    ['wrapped', (body: string) => (JSON.parse(body) as { readings: unknown[] }).readings],
  ] as const)('%s: every message arrives once, at most maxMessages a request', async (format, parse) => {
    const got: unknown[][] = [];
    const types: string[] = [];
    const s = await server((req, body, res) => {
      got.push(parse(body));
      types.push(String(req.headers['content-type']));
      res.writeHead(200).end();
    });
    const msgs = await messages(95);
    const { outcomes, requests } = await drive(await open(http({ url: s.url, batch: { maxMessages: 10, format, key: 'readings', linger: '20ms' } })), msgs);
    expect(outcomes.every((o) => o === '2xx')).toBe(true);
    const ids = got.flat().map((m) => (m as { messageId: string }).messageId);
    expect(ids.sort()).toEqual(msgs.map((m) => m.messageId).sort());
    expect(Math.max(...got.map((b) => b.length))).toBe(10);
    expect(got.length).toBeGreaterThanOrEqual(10);
    expect(requests.reduce((a, b) => a + b, 0)).toBe(95);
    expect(requests).toHaveLength(got.length);
    expect(new Set(types)).toEqual(new Set([format === 'ndjson' ? 'application/x-ndjson' : 'application/json']));
  });

  it('keeps each request body within maxBytes; a message larger than that alone is record-too-large', async () => {
    const sizes: number[] = [];
    const s = await server((_req, body, res) => {
      sizes.push(Buffer.byteLength(body));
      res.writeHead(200).end();
    });
    const msgs = await messages(60);
    const biggest = Math.max(...msgs.map((m) => Buffer.byteLength(m.body as string)));
    const maxBytes = 3 * biggest;
    const small = msgs.filter((m) => m.kind !== 'diagnostic');
    const { outcomes } = await drive(await open(http({ url: s.url, batch: { maxMessages: 100, maxBytes } })), msgs);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBytes);
    expect(outcomes.filter((o) => o === '2xx').length).toBeGreaterThanOrEqual(small.length);
    const tooLarge = await drive(await open(http({ url: s.url, batch: { maxBytes: 64 } })), msgs.slice(0, 3));
    expect(tooLarge.outcomes).toEqual(['record-too-large', 'record-too-large', 'record-too-large']);
  });

  it('a failed request fails all its messages; retries send it again whole', async () => {
    let calls = 0;
    const s = await server((_req, _body, res) => res.writeHead(++calls <= 2 ? 503 : 200).end());
    const first = await drive(await open(http({ url: s.url, batch: { maxMessages: 20 } })), await messages(20));
    expect(first.outcomes).toEqual(new Array(20).fill('5xx'));
    const again = await drive(await open(http({ url: s.url, batch: { maxMessages: 20, retries: 2 } })), await messages(20));
    expect(again.outcomes).toEqual(new Array(20).fill('2xx'));
    expect(calls).toBe(3);
  });

  it('bodies in a batch are text: a module\'s bytes are refused with payload-error before sending', () => {
    expect(httpKind.textOnly?.(http({ url: 'http://127.0.0.1:1/in', batch: {} }))).toMatch(/batched HTTP request/);
    expect(httpKind.textOnly?.(http({ url: 'http://127.0.0.1:1/in' }))).toBeUndefined();
  });
});

describe('SigV4 (recomputed server-side with the same signer and fake credentials)', () => {
  const env = { AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: undefined, AWS_PROFILE: undefined };
  const testEnv = new TestEnv();
  const useEnv = () => {
    testEnv.set(env);
    closers.push(async () => testEnv.restore());
  };

  it.each([
    ['one message a request, per-message path', { url: '/vehicles/{{vehicleId}}/telemetry' }],
    ['batches', { url: '/ingest', batch: { maxMessages: 8 } }],
  ])('%s: every request verifies', async (_name, block) => {
    useEnv();
    const v = await startVerifyingServer({ service: 'execute-api', region: 'eu-north-1', credentials: TEST_CREDENTIALS });
    closers.push(() => v.close());
    const cfg = http({ ...block, url: `${v.origin}${block.url}`, auth: { sigv4: { service: 'execute-api', region: 'eu-north-1' } } });
    const { outcomes } = await drive(await open(cfg), await messages(30));
    expect(v.seen.length).toBeGreaterThan(0);
    expect(v.seen.filter((s) => !s.verdict.ok)).toEqual([]);
    expect(outcomes).toEqual(new Array(30).fill('2xx'));
  });

  it('a wrong secret is refused by the verifier (403), so the check can fail', async () => {
    useEnv();
    testEnv.set({ AWS_SECRET_ACCESS_KEY: 'not-the-secret' });
    const v = await startVerifyingServer({ service: 'execute-api', region: 'eu-north-1', credentials: TEST_CREDENTIALS });
    closers.push(() => v.close());
    const cfg = http({ url: `${v.origin}/ingest`, auth: { sigv4: { service: 'execute-api', region: 'eu-north-1' } } });
    const { outcomes } = await drive(await open(cfg), await messages(3));
    expect(outcomes).toEqual(['403', '403', '403']);
  });
});

describe('TLS with a private CA', () => {
  const tlsConnections = { count: 0 };
  async function httpsServer(): Promise<string> {
    const s = createHttpsServer({ key: readFileSync(join(TLS_DIR, 'server.key')), cert: readFileSync(join(TLS_DIR, 'server.pem')) }, (req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200).end());
    });
    s.on('secureConnection', () => tlsConnections.count++);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); }));
    return `https://127.0.0.1:${(s.address() as AddressInfo).port}/ingest`;
  }

  it('fails the handshake without the CA (tls), passes with tls.ca, and with insecure (which warns)', async () => {
    const url = await httpsServer();
    const msgs = await messages(5);
    expect((await drive(await open(http({ url })), msgs)).outcomes).toEqual(new Array(5).fill('tls'));
    expect((await drive(await open(http({ url, tls: { ca: join(TLS_DIR, 'ca.pem') } })), msgs)).outcomes).toEqual(new Array(5).fill('2xx'));
    const insecure = await httpKind.open(http({ url, tls: { insecure: true } }), { clock: systemClock, signal: new AbortController().signal });
    await insecure.dispose();
    expect(insecure.warnings?.[0]).toMatch(/NOT verified/);
    expect((await drive(await open(http({ url, tls: { insecure: true } })), msgs)).outcomes).toEqual(new Array(5).fill('2xx'));
  });

  it('https keeps its connections alive: 200 requests over at most `connections` TLS handshakes', async () => {
    const url = await httpsServer();
    tlsConnections.count = 0;
    const { outcomes } = await drive(await open(http({ url, connections: 4, tls: { ca: join(TLS_DIR, 'ca.pem') } })), await messages(200));
    expect(outcomes.every((o) => o === '2xx')).toBe(true);
    expect(tlsConnections.count).toBeGreaterThanOrEqual(1);
    expect(tlsConnections.count).toBeLessThanOrEqual(4);
  });

  it('a CA file that is missing or not PEM is a user error naming target.http.tls.ca', async () => {
    await expect(open(http({ url: 'https://127.0.0.1:1/in', tls: { ca: '/nonexistent/ca.pem' } }))).rejects.toThrow(/target\.http\.tls\.ca: cannot read \/nonexistent\/ca\.pem: ENOENT/);
    await expect(open(http({ url: 'https://127.0.0.1:1/in', tls: { ca: join(TLS_DIR, 'server.key') } }))).rejects.toThrow(/holds no PEM certificate/);
  });
});

describe('bytes from a payload module are sent as is', () => {
  it('the request body is exactly the module\'s bytes', async () => {
    const bodies: Buffer[] = [];
    const s = await startServer(() => {});
    s.server.removeAllListeners('request');
    s.server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks));
        res.writeHead(200).end();
      });
    });
    closers.push(() => s.close());
    const msgs = (await messages(4)).map((m, i) => ({ ...m, body: Uint8Array.from([0x0a, i, 0xff, 0x00, 0x80]) }));
    const { outcomes } = await drive(await open(http({ url: s.url })), msgs);
    expect(outcomes).toEqual(new Array(4).fill('2xx'));
    expect(bodies.map((b) => [...b]).sort((a, b) => a[1] - b[1])).toEqual(msgs.map((m) => [...(m.body as Uint8Array)]));
  });
});
