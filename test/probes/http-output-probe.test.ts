import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSchedule } from '../../src/load/pacers.js';
import { DeliveryTracker } from '../../src/probes/delivery-tracker.js';
import { HttpOutputProbe, MAX_BODY_BYTES } from '../../src/probes/http-output-probe.js';
import type { HttpOutputConfig } from '../../src/scenario/probes-schema.js';
import { createMessageSource, type MessageSource } from '../../src/telemetry/message-source.js';
import { UserError } from '../../src/util/user-error.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

const SEED = 33;
const COUNT = 6000;
const hash = (n: number) => (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;
const drop = (n: number) => hash(n) < 0.01;
const dup = (n: number) => hash(n) >= 0.01 && hash(n) < 0.015;

const probes: HttpOutputProbe[] = [];
afterEach(async () => {
  await Promise.all(probes.splice(0).map((p) => p.stop()));
});

function setup(over: Partial<HttpOutputConfig> = {}, idPath = 'messageId') {
  const source = createMessageSource(fleetConfig({ vehicles: 500 }), SEED);
  const pacer = createSchedule([{ kind: 'constant', name: 's', durationMs: COUNT, rate: 1000 }]);
  const tracker = new DeliveryTracker({ seed: SEED, vehicles: 500, schedule: source.schedule, pacer, window: 64, vehicleId: (v) => source.fleet.vehicleId(v) });
  tracker.started(Date.now());
  const probe = new HttpOutputProbe({ kind: 'http', host: '127.0.0.1', port: 0, path: '/hook', ...over }, tracker, idPath);
  probes.push(probe);
  return { source, tracker, probe };
}

const bodyOf = (source: MessageSource, n: number) => String(source.next(n, Date.now()).body);

async function post(url: string, body: string, contentType = 'application/json'): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': contentType } });
  return { status: res.status, json: await res.json() };
}

describe('HttpOutputProbe: a webhook receiver on loopback (real HTTP)', () => {
  it('a pipeline POSTs singles, arrays and NDJSON batches, dropping 1 % and duplicating 0.5 %: exactly those counts', async () => {
    const { source, tracker, probe } = setup();
    await probe.start();
    const CHUNK = 60;
    let posted = 0;
    for (let from = 0, round = 0; from < COUNT; from += CHUNK, round++) {
      const ns: number[] = [];
      for (let n = from; n < Math.min(COUNT, from + CHUNK); n++) {
        tracker.sent(n);
        tracker.accepted(n);
        if (drop(n)) continue;
        ns.push(n);
        if (dup(n)) ns.push(n);
      }
      const bodies = ns.map((n) => bodyOf(source, n));
      const mode = round % 4;
      let answers: { status: number; json: unknown }[];
      if (mode === 0) answers = await Promise.all(bodies.map((b) => post(probe.url, b)));
      else if (mode === 1) answers = [await post(probe.url, `[${bodies.join(',')}]`)];
      else if (mode === 2) answers = [await post(probe.url, bodies.join('\n') + '\n', 'application/x-ndjson')];
      else answers = [await post(probe.url, bodies.join('\r\n'), 'text/plain')]; // NDJSON by sniffing
      for (const a of answers) expect(a.status).toBe(200);
      expect(answers.reduce((s, a) => s + (a.json as { received: number }).received, 0)).toBe(bodies.length);
      posted += bodies.length;
    }
    const dropped = Array.from({ length: COUNT }, (_, n) => n).filter(drop).length;
    const duplicated = Array.from({ length: COUNT }, (_, n) => n).filter(dup).length;
    expect(dropped).toBeGreaterThan(30);
    expect(duplicated).toBeGreaterThan(15);
    expect(probe.received).toBe(posted);
    expect(probe.readings().delivery).toMatchObject({ accepted: COUNT, seen: COUNT - dropped, unexpected: 0 });
    expect(probe.settled()).toBe(false);
    await probe.stop();
    const totals = tracker.finish(probe.name);
    expect(totals).toMatchObject({ accepted: COUNT, seen: COUNT - dropped, lost: dropped, duplicated, unexpected: 0, pending: 0 });
    expect(totals.e2eLatency.count).toBe(COUNT - dropped);
  });

  it('a wrapped body ({"detail": {...}}) with idField detail.id; an unparseable body or one without an id is unexpected, and still 200', async () => {
    const { source, tracker, probe } = setup({ path: '/' }, 'detail.id');
    await probe.start();
    for (let n = 0; n < 20; n++) {
      tracker.sent(n);
      tracker.accepted(n);
      const { messageId, ...rest } = JSON.parse(bodyOf(source, n)) as Record<string, unknown>;
      expect((await post(probe.url, JSON.stringify({ 'detail-type': 'telemetry', detail: { id: messageId, ...rest } }))).status).toBe(200);
    }
    expect(probe.readings().delivery).toMatchObject({ accepted: 20, seen: 20, unexpected: 0, pending: 0 });
    expect(probe.settled()).toBe(true);
    expect(await post(probe.url, '{not json')).toEqual({ status: 200, json: { received: 1 } });
    expect(await post(probe.url, bodyOf(source, 3))).toEqual({ status: 200, json: { received: 1 } }); // unwrapped: no detail.id
    expect(await post(probe.url, '[{"detail":{}}, 7]')).toEqual({ status: 200, json: { received: 2 } });
    expect(await post(probe.url, '{"detail":{"id":"x"}}\nnope\n', 'application/x-ndjson')).toEqual({ status: 200, json: { received: 2 } });
    expect(await post(probe.url, '')).toEqual({ status: 200, json: { received: 0 } });
    expect(probe.readings().delivery).toMatchObject({ seen: 20, unexpected: 6 });
  });

  it('another path is 404, another method 405, a body over 10 MiB 413', async () => {
    const { probe, tracker } = setup();
    await probe.start();
    const base = probe.url.replace(/\/hook$/, '');
    expect((await fetch(`${base}/other`, { method: 'POST', body: '{}' })).status).toBe(404);
    const get = await fetch(probe.url);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect((await fetch(`${probe.url}?token=1`, { method: 'POST', body: '{"messageId":"q"}' })).status).toBe(200);
    const big = await fetch(probe.url, { method: 'POST', body: 'x'.repeat(MAX_BODY_BYTES + 1) }).then((r) => r.status, (e: unknown) => String(e));
    expect(big).toBe(413);
    expect(probe.oversized).toBe(1);
    expect(tracker.counts().unexpected).toBe(2);
  });

  it('a busy port and a non-loopback host are UserErrors naming probes.output.http.listen', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as AddressInfo;
    try {
      const { probe } = setup({ port });
      const e = await probe.start().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).message).toMatch(/^probes\.output\.http\.listen: cannot listen on 127\.0\.0\.1:\d+ \(the port is in use\)/);
      expect((e as UserError).hint).toMatch(/free port/);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
    const { probe } = setup({ host: '0.0.0.0', port: 9911 });
    const e = await probe.start().catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).message).toBe('probes.output.http.listen: 0.0.0.0:9911 is not a loopback address');
    expect((e as UserError).hint).toMatch(/loopback only/);
  });

  it('stop() ends within about a second even with a request in flight, and is safe to call twice', async () => {
    const { probe } = setup();
    await probe.start();
    // A client that sends headers and half a body, then stalls.
    const url = new URL(probe.url);
    const { request } = await import('node:http');
    const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-length': '100' } });
    req.on('error', () => {});
    req.write('{"messageId":');
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await Promise.all([probe.stop(), probe.stop()]);
    expect(Date.now() - t0).toBeLessThan(2000);
    req.destroy();
  });
});
