import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** A pipeline with its own JSON Schema (the one the shipped custom-payload scenario uses), validated with ajv. */
// CommonJS modules whose default export is also their `default` property: the typed way in from ESM.
const ajv = new AjvModule.default({ strict: false });
addFormatsModule.default(ajv);
const userSchema = ajv.compile(JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'scenarios', 'schemas', 'acme-telemetry.schema.json'), 'utf8')) as object);
function valid(body: string): boolean {
  try {
    return userSchema(JSON.parse(body));
  } catch {
    return false;
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer((_req, body, res) => res.writeHead(valid(body) ? 202 : 400).end());
});
afterAll(() => server.close());

function scenario(withTemplate: boolean): string {
  const file = join(tempDir(), 'payload.yaml');
  const template = [
    'payload:',
    '  template:',
    '    deviceId: "{{vehicleId}}"',
    '    ts: "{{sentAt | iso}}"',
    '    gps: { lat: "{{position.lat}}", lng: "{{position.lon}}" }',
    '    speed: "{{position.speedKmh | mph}}"',
    '    msgId: "{{messageId}}"',
    '    n: "{{seq}}"',
    '  when:',
    '    diagnostic: { deviceId: "{{vehicleId}}", ts: "{{sentAt | iso}}", gps: { lat: 0, lng: 0 }, speed: 0, msgId: "{{messageId}}", n: "{{seq}}", event: "dtc {{dtcCodes | string}}" }',
    '    trip_start: &standing { deviceId: "{{vehicleId}}", ts: "{{sentAt | iso}}", gps: { lat: "{{position.lat}}", lng: "{{position.lon}}" }, speed: 0, msgId: "{{messageId}}", n: "{{seq}}", event: "{{kind}}" }',
    '    trip_end: *standing',
  ];
  writeFileSync(file, ['name: shaped', `target:\n  http:\n    url: ${server.url}`, 'phases:', '  - { kind: constant, rate: 200/s, duration: 2s }', ...(withTemplate ? template : []), ''].join('\n'));
  return file;
}

describe('the user\'s message shape (child process, a loopback pipeline with its own schema)', () => {
  it('the built-in shape is rejected by the pipeline; the templated one is accepted', async () => {
    const builtIn = await runCli(['run', scenario(false), '--out', join(tempDir(), 'a')]);
    expect(builtIn.code).toBe(1);
    expect(builtIn.stdout).toMatch(/the target never answered successfully: 400 400/);
    const out = join(tempDir(), 'b');
    const shaped = await runCli(['run', scenario(true), '--out', out]);
    expect(shaped.stderr).not.toMatch(STACK_LINE);
    expect(shaped.code, shaped.stdout.slice(-1500)).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).counts).toMatchObject({ due: 400, ok: 400 });
  });

  it('validate --sample prints messages in the final shape', async () => {
    const r = await runCli(['validate', scenario(true), '--sample', '3']);
    expect(r.code, r.stderr).toBe(0);
    const samples = r.stdout.split('\n').filter((l) => l.startsWith('  {'));
    expect(samples).toHaveLength(3);
    for (const s of samples) expect(valid(s.trim())).toBe(true);
    expect(r.stdout).toMatch(/^identity {4}message id at msgId, seq at n$/m);
    expect(r.stdout).not.toMatch(/WARNING/);
  });

  it('a code hook builds each message (a string is sent as is); one that throws on every 100th message counts payload-error and the run completes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shape.mjs'), [
      'export function build(m, ctx) {',
      "  if (m.seq % 100 === 0 && m.kind !== 'diagnostic') throw new Error('cannot map message ' + m.messageId);",
      "  return JSON.stringify({ deviceId: m.vehicleId, ts: new Date(m.sentAt).toISOString(), gps: { lat: m.position?.lat ?? 0, lng: m.position?.lon ?? 0 }, speed: m.position?.speedKmh ?? 0, msgId: m.messageId, n: m.seq, source: 'seed ' + ctx.seed });",
      '}',
    ].join('\n'));
    const file = join(dir, 'hook.yaml');
    // 100 vehicles: seq 100 of every vehicle fails, i.e. arrivals 9,900..9,999 (minus any diagnostic)
    writeFileSync(file, `name: hook\nseed: 3\nfleet: { vehicles: 100, cadence: { min: 10ms, max: 10ms } }\ntarget:\n  http:\n    url: ${server.url}\nphases:\n  - { kind: constant, rate: 5000/s, duration: 2s }\npayload:\n  module: ./shape.mjs\n`);
    const out = join(dir, 'out');
    const r = await runCli(['run', file, '--out', out]);
    expect(r.stderr).not.toMatch(/^internal error/m); // the user's stack is shown once, in the warning, not as a crash
    expect(r.code, r.stdout.slice(-1500)).toBe(0);
    const s = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(s.counts.due).toBe(10_000);
    expect(s.errors['payload-error']).toBeGreaterThan(90);
    expect(s.counts.ok + s.errors['payload-error']).toBe(10_000);
    expect(r.stdout.match(/warning: the payload module failed to build arrival/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/cannot map message/);
  });

  it('a payload module that is missing or exports no build is a clear error before anything runs', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'nobuild.mjs'), 'export const x = 1;\n');
    for (const [mod, message] of [['./missing.mjs', /payload\.module: .*missing\.mjs not found/], ['./nobuild.mjs', /exports no build function/]] as const) {
      const file = join(dir, `s-${mod.slice(2, 6)}.yaml`);
      writeFileSync(file, `name: m\ntarget:\n  http:\n    url: ${server.url}\nduration: 1s\npayload:\n  module: ${mod}\n`);
      const r = await runCli(['run', file, '--out', join(dir, `o-${mod.slice(2, 6)}`)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
  });
});

describe('a payload module that builds bytes (a protobuf-like binary record)', () => {
  /** Protobuf wire format, by hand: field 1 vehicleId (string), 2 seq (varint), 3 messageId (string). */
  const MODULE = [
    'const varint = (n) => { const out = []; while (n > 127) { out.push((n & 127) | 128); n >>>= 7; } out.push(n); return out; };',
    'const str = (field, s) => { const b = Buffer.from(s, "utf8"); return [(field << 3) | 2, ...varint(b.length), ...b]; };',
    'export function build(m) {',
    '  return Buffer.from([...str(1, m.vehicleId), (2 << 3) | 0, ...varint(m.seq), ...str(3, m.messageId)]);',
    '}',
  ].join('\n');

  function decode(b: Buffer): { vehicleId: string; seq: number; messageId: string } {
    const out: Record<number, string | number> = {};
    let i = 0;
    const varint = () => {
      let n = 0;
      let shift = 0;
      for (;;) {
        const byte = b[i++];
        n |= (byte & 127) << shift;
        if (byte < 128) return n;
        shift += 7;
      }
    };
    while (i < b.length) {
      const tag = varint();
      if ((tag & 7) === 0) out[tag >> 3] = varint();
      else {
        const len = varint();
        out[tag >> 3] = b.subarray(i, i + len).toString('utf8');
        i += len;
      }
    }
    return { vehicleId: String(out[1]), seq: Number(out[2]), messageId: String(out[3]) };
  }

  it('is sent as is over http, shown in hex by validate --sample, and refused for SQS (text only) before any load', async () => {
    const records: Array<{ type: string; rec: ReturnType<typeof decode> }> = [];
    const bin = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        records.push({ type: String(req.headers['content-type']), rec: decode(Buffer.concat(chunks)) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => bin.listen(0, '127.0.0.1', r));
    const dir = tempDir();
    writeFileSync(join(dir, 'proto.mjs'), MODULE);
    const file = join(dir, 'bin.yaml');
    const url = `http://127.0.0.1:${(bin.address() as AddressInfo).port}/readings`;
    writeFileSync(file, `name: bin\nfleet: { vehicles: 50 }\ntarget:\n  http:\n    url: ${url}\n    headers: { content-type: application/x-protobuf }\nphases:\n  - { kind: constant, rate: 200/s, duration: 1s }\npayload:\n  module: ./proto.mjs\n`);
    try {
      const r = await runCli(['run', file, '--out', join(dir, 'out')]);
      expect(r.code, r.stdout.slice(-1500)).toBe(0);
      const mine = records.filter((x) => x.rec.messageId.length > 0);
      expect(mine.length).toBeGreaterThanOrEqual(200);
      expect(new Set(mine.map((x) => x.type))).toEqual(new Set(['application/x-protobuf']));
      expect(mine.every((x) => /^[A-HJ-NPR-Z0-9]{17}$/.test(x.rec.vehicleId) && x.rec.seq >= 1)).toBe(true);
      const sample = await runCli(['validate', file, '--sample', '2']);
      expect(sample.stdout).toMatch(/^ {2}<\d+ bytes> 0a11[0-9a-f]+$/m);
      expect(sample.stdout).not.toMatch(/WARNING/); // the id is inside the bytes
      const plain = await runCli(['validate', file]);
      expect(plain.stdout).toMatch(/^sample {6}<\d+ bytes> 0a11[0-9a-f]+ {3}\(built by payload\.module; --sample N for more\)$/m);
      writeFileSync(file, `name: bin\ntarget:\n  sqs: { queue: q, endpoint: "http://127.0.0.1:1", region: eu-north-1 }\nduration: 1s\npayload:\n  module: ./proto.mjs\n`);
      const sqs = await runCli(['validate', file, '--sample', '1']);
      expect(sqs.stdout).toMatch(/payload-error: build\(\) returned bytes, but SQS message bodies are text/);
      const refused = await runCli(['run', file, '--out', join(dir, 'sqs-out')]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/payload\.module fails on every message, so the run would send nothing: build\(\) returned bytes, but SQS message bodies are text/);
      expect(refused.stderr).not.toMatch(STACK_LINE);
    } finally {
      await new Promise<void>((r) => bin.close(() => r()));
    }
  });
});
