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
});
