import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';
import { startServer, type TestServer } from '../support/http-server.js';

/** A pipeline with its own schema: deviceId (text), ts (ISO time), gps.lat/lng (numbers), speed (number). */
function valid(body: string): boolean {
  try {
    const m = JSON.parse(body) as { deviceId?: unknown; ts?: unknown; gps?: { lat?: unknown; lng?: unknown }; speed?: unknown };
    return typeof m.deviceId === 'string' && typeof m.ts === 'string' && !Number.isNaN(Date.parse(m.ts)) && typeof m.gps?.lat === 'number' && typeof m.gps?.lng === 'number' && typeof m.speed === 'number';
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
    '  when:',
    '    diagnostic: { deviceId: "{{vehicleId}}", ts: "{{sentAt | iso}}", gps: { lat: 0, lng: 0 }, speed: 0, codes: "{{dtcCodes}}" }',
    '    trip_start: &standing { deviceId: "{{vehicleId}}", ts: "{{sentAt | iso}}", gps: { lat: "{{position.lat}}", lng: "{{position.lon}}" }, speed: 0 }',
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
  });

  it('a code hook builds each message (a string is sent as is); one that throws on every 100th message counts payload-error and the run completes', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'shape.mjs'), [
      'export function build(m, ctx) {',
      "  if (m.seq % 100 === 0 && m.kind !== 'diagnostic') throw new Error('cannot map message ' + m.messageId);",
      "  return JSON.stringify({ deviceId: m.vehicleId, ts: new Date(m.sentAt).toISOString(), gps: { lat: m.position?.lat ?? 0, lng: m.position?.lon ?? 0 }, speed: m.position?.speedKmh ?? 0, seed: ctx.seed });",
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
