import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { haversineKm, REGION } from '../../src/telemetry/geo.js';
import { createMessageSource, type MessageTransform } from '../../src/telemetry/message-source.js';
import { encodeJson, type MessageBody } from '../../src/telemetry/payload.js';
import { ROUTE_LIMITS } from '../../src/telemetry/route.js';
import type { FleetConfig, MessageKind, OutMessage } from '../../src/telemetry/types.js';
import { isValidVin } from '../../src/telemetry/vin.js';
import { fleetConfig, onlyMix } from './fleet-fixture.js';

const T0 = 1_700_000_000_000;

function messages(cfg: FleetConfig, seed: number, count: number, from = 0): OutMessage[] {
  const src = createMessageSource(cfg, seed);
  return Array.from({ length: count }, (_, i) => src.next(from + i, T0 + i));
}

const withoutSentAt = (m: OutMessage) => ({ ...m, body: String(m.body).replace(/"sentAt":\d+/, '"sentAt":0'), fields: { ...m.fields, sentAt: 0 } });

describe('createMessageSource: determinism', () => {
  it('same seed and n → same messages apart from sentAt', () => {
    const cfg = fleetConfig();
    const src = createMessageSource(cfg, 99);
    const a = Array.from({ length: 3000 }, (_, n) => src.next(n, T0 + n));
    const b = Array.from({ length: 3000 }, (_, n) => createMessageSource(cfg, 99).next(n, T0 + 5 * n + 17));
    expect(b.map(withoutSentAt)).toEqual(a.map(withoutSentAt));
    expect(b[10].body).not.toBe(a[10].body);
  });

  it('does not depend on the order n is asked in (property)', () => {
    const cfg = fleetConfig({ vehicles: 97 });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e12 }), fc.integer({ min: 0, max: 1e12 }), (n1, n2) => {
        const a = createMessageSource(cfg, 5);
        const b = createMessageSource(cfg, 5);
        const a1 = a.next(n1, T0);
        a.next(n2, T0);
        b.next(n2, T0);
        return b.next(n1, T0).body === a1.body;
      }),
    );
  });

  it('different seeds give different vehicles, ids and bodies', () => {
    const a = messages(fleetConfig(), 1, 200);
    const b = messages(fleetConfig(), 2, 200);
    const idsA = new Set(a.map((m) => m.messageId));
    expect(b.filter((m) => idsA.has(m.messageId))).toEqual([]);
    expect(a.filter((m, i) => m.vehicleId === b[i].vehicleId).length).toBeLessThan(5);
    expect(a.filter((m, i) => m.body === b[i].body)).toEqual([]);
  });

  it('messageIds are unique per (seed, n), also across two seeds', () => {
    const ids = new Set([...messages(fleetConfig(), 1, 20_000), ...messages(fleetConfig(), 2, 20_000)].map((m) => m.messageId));
    expect(ids.size).toBe(40_000);
  });
});

describe('createMessageSource: vehicles and seq', () => {
  it('every vehicle appears once per round, with seq = round + 1, over several rounds', () => {
    const N = 400;
    const ms = messages(fleetConfig({ vehicles: N }), 3, 6 * N);
    const lastSeq = new Int32Array(N);
    for (let r = 0; r < 6; r++) {
      const round = ms.slice(r * N, (r + 1) * N);
      expect(new Set(round.map((m) => m.vehicleIndex)).size).toBe(N);
      for (const m of round) {
        expect(m.seq).toBe(lastSeq[m.vehicleIndex] + 1);
        lastSeq[m.vehicleIndex] = m.seq;
      }
    }
  });

  it('the vehicle id, fleet and seq in the message match the fleet model', () => {
    const src = createMessageSource(fleetConfig({ vehicles: 50 }), 4);
    for (let n = 0; n < 200; n++) {
      const m = src.next(n, T0);
      const v = src.fleet.vehicle(m.vehicleIndex);
      const body = JSON.parse(m.body as string) as MessageBody;
      expect([m.vehicleId, body.vehicleId, body.fleetId, body.tenantId, body.seq]).toEqual([v.id, v.id, v.fleetId, v.tenantId, m.seq]);
      expect(src.schedule.arrivalOf(m.vehicleIndex, m.seq)).toBe(n);
    }
  });

  it('creates a source for 2,000,000 vehicles quickly and sends from vehicle 1,999,999', () => {
    const started = performance.now();
    const src = createMessageSource(fleetConfig({ vehicles: 2_000_000 }), 8);
    expect(performance.now() - started).toBeLessThan(500);
    const n = src.schedule.arrivalOf(1_999_999, 3);
    const m = src.next(n, T0);
    expect([m.vehicleIndex, m.seq]).toEqual([1_999_999, 3]);
    expect(isValidVin(m.vehicleId)).toBe(true);
  });
});

describe('createMessageSource: bodies', () => {
  const kinds: Array<[keyof FleetConfig['mix'], MessageKind, string[]]> = [
    ['telemetry', 'telemetry', ['position', 'engine']],
    ['tripStart', 'trip_start', ['tripId', 'position']],
    ['tripEnd', 'trip_end', ['tripId', 'position']],
    ['harshBraking', 'harsh_braking', ['decelMps2', 'position']],
    ['geofence', 'geofence', ['geofenceId', 'event', 'position']],
    ['diagnostic', 'diagnostic', ['dtcCodes', 'dump']],
  ];

  it.each(kinds)('mix only %s → kind %s with its fields and the common header', (key, kind, fields) => {
    const ms = messages(fleetConfig({ mix: onlyMix(key), diagnosticBytes: 300 }), 6, 300);
    for (const [i, m] of ms.entries()) {
      expect(m.kind).toBe(kind);
      const body = JSON.parse(m.body as string) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(['messageId', 'vehicleId', 'seq', 'sentAt', 'schemaVersion', 'kind', 'fleetId', 'tenantId', ...fields]);
      expect(body).toMatchObject({ messageId: m.messageId, vehicleId: m.vehicleId, seq: m.seq, sentAt: T0 + i, schemaVersion: 1, kind });
    }
  });

  it('typed fields have plausible values', () => {
    const cfg = fleetConfig({ mix: { telemetry: 1, tripStart: 1, tripEnd: 1, harshBraking: 1, geofence: 1, diagnostic: 1 }, diagnosticBytes: 100 });
    for (const m of messages(cfg, 12, 3000)) {
      const b = JSON.parse(m.body as string) as MessageBody;
      if ('position' in b) {
        const p = b.position;
        expect(p.lat > REGION.minLat && p.lat < REGION.maxLat && p.lon > REGION.minLon && p.lon < REGION.maxLon).toBe(true);
        expect(Number.isInteger(p.speedKmh) && p.speedKmh >= 0 && p.speedKmh <= ROUTE_LIMITS.maxBaseSpeedKmh).toBe(true);
        expect(Number.isInteger(p.headingDeg) && p.headingDeg >= 0 && p.headingDeg < 360).toBe(true);
      }
      if (b.kind === 'telemetry') {
        const e = b.engine;
        expect(e.rpm).toBeGreaterThan(500);
        expect(e.rpm).toBeLessThan(3000);
        expect(e.coolantC >= 86 && e.coolantC <= 94 && e.fuelPct >= 10 && e.fuelPct <= 100 && e.odometerKm > 0).toBe(true);
      }
      if (b.kind === 'trip_start' || b.kind === 'trip_end') expect(b.tripId).toMatch(new RegExp(`^${b.vehicleId}-T\\d+$`));
      if (b.kind === 'harsh_braking') expect(b.decelMps2 >= 3.5 && b.decelMps2 <= 8.5).toBe(true);
      if (b.kind === 'geofence') expect(['enter', 'exit']).toContain(b.event);
      if (b.kind === 'diagnostic') expect(b.dtcCodes.every((c) => /^[PBCU][0-9A-F]{4}$/.test(c))).toBe(true);
    }
  });

  it.each([0, 1, 1000, 32 * 1024, 256 * 1024])('diagnostic body of diagnosticBytes=%i is that plus a small header', (bytes) => {
    const [m] = messages(fleetConfig({ mix: onlyMix('diagnostic'), diagnosticBytes: bytes }), 1, 1);
    const body = JSON.parse(m.body as string) as MessageBody & { dump: string };
    expect(body.dump.length).toBe(bytes);
    expect(Buffer.byteLength(m.body)).toBeGreaterThan(bytes);
    expect(Buffer.byteLength(m.body)).toBeLessThan(bytes + 400);
  });

  it('consecutive positions of a vehicle are within reach of its top speed in the time between them', () => {
    const N = 200;
    const cfg = fleetConfig({ vehicles: N, mix: onlyMix('telemetry') });
    const src = createMessageSource(cfg, 21);
    const last = new Map<number, { n: number; lat: number; lon: number }>();
    for (let n = 0; n < 8 * N; n++) {
      const m = src.next(n, T0);
      const { position } = JSON.parse(m.body as string) as MessageBody & { position: { lat: number; lon: number } };
      const prev = last.get(m.vehicleIndex);
      if (prev) {
        const dtMs = ((n - prev.n) * src.meanCadenceMs) / N;
        expect(dtMs).toBeGreaterThanOrEqual(cfg.cadence.minMs * 0.99);
        expect(dtMs).toBeLessThanOrEqual(cfg.cadence.maxMs * 1.01);
        const maxKm = (src.fleet.vehicle(m.vehicleIndex).route.baseSpeedKmh * dtMs) / 3_600_000;
        expect(haversineKm(prev, position)).toBeLessThanOrEqual(maxKm * 1.02 + 0.002); // + rounding to 5 decimals
      }
      last.set(m.vehicleIndex, { n, ...position });
    }
  });
});

describe('createMessageSource: kind mix', () => {
  it('matches the mix weights over 100,000 messages', () => {
    const mix = { telemetry: 0.6, tripStart: 0.05, tripEnd: 0.05, harshBraking: 0.1, geofence: 0.15, diagnostic: 0.05 };
    const counts = new Map<string, number>();
    for (const m of messages(fleetConfig({ mix, vehicles: 1000, diagnosticBytes: 10 }), 31, 100_000)) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
    const expected: Record<MessageKind, number> = { telemetry: 0.6, trip_start: 0.05, trip_end: 0.05, harsh_braking: 0.1, geofence: 0.15, diagnostic: 0.05 };
    for (const [kind, p] of Object.entries(expected)) {
      // ± 10 % of the share (> 5 standard deviations at these counts), far below what ignoring the mix would give.
      expect(Math.abs((counts.get(kind) ?? 0) / 100_000 - p)).toBeLessThan(p * 0.1);
    }
  });
});

describe('createMessageSource: the body is an object until it is encoded', () => {
  it('a codec shapes each body object (with its kind\'s fields, and its header), and what it encodes is sent', () => {
    const seen: MessageBody[] = [];
    const src = createMessageSource(fleetConfig({ vehicles: 50 }), 5, {
      shape: (body, head) => {
        seen.push(body);
        expect(head.messageId).toBe(body.messageId);
        return `${body.kind}|${body.vehicleId}|${body.seq}`;
      },
      encode: encodeJson,
    });
    const m = src.next(3, T0);
    expect(seen).toHaveLength(1);
    expect(m.body).toBe(`${seen[0].kind}|${m.vehicleId}|${m.seq}`);
    if (seen[0].kind === 'telemetry') expect(seen[0].position.lat).toBeTypeOf('number');
  });

  it('the built-in codec is the JSON document of that object, byte for byte', () => {
    const bodies: MessageBody[] = [];
    const custom = createMessageSource(fleetConfig({ vehicles: 50 }), 5, { shape: (body) => (bodies.push(body), body), encode: (b) => JSON.stringify(b) });
    const builtIn = createMessageSource(fleetConfig({ vehicles: 50 }), 5);
    for (let n = 0; n < 200; n++) expect(custom.next(n, T0 + n).body).toBe(builtIn.next(n, T0 + n).body);
    expect(new Set(bodies).size).toBe(200); // a fresh object each time: a codec may keep it
  });

  it('transforms run in order between shape and encoding, see the message they change, and leave no trace once removed', () => {
    const src = createMessageSource(fleetConfig({ vehicles: 50 }), 5);
    const plain = createMessageSource(fleetConfig({ vehicles: 50 }), 5);
    const subjects: string[] = [];
    const rename: MessageTransform = (shaped, m) => {
      subjects.push(`${m.n}:${m.vehicleIndex}:${m.seq}:${m.kind}:${m.messageId}`);
      const { vehicleId, ...rest } = shaped as Record<string, unknown>;
      return { ...rest, vin: vehicleId };
    };
    const poisonEven: MessageTransform = (shaped, m) => (m.n % 2 === 0 ? '{"truncated": ' : shaped);
    src.transforms.push(rename, poisonEven);
    const a = src.next(4, T0);
    const b = src.next(5, T0);
    expect(a.body).toBe('{"truncated": ');
    const bb = JSON.parse(b.body as string);
    expect(bb.vin).toBe(b.vehicleId);
    expect(bb).not.toHaveProperty('vehicleId');
    expect(subjects).toEqual([`4:${a.vehicleIndex}:${a.seq}:${a.kind}:${a.messageId}`, `5:${b.vehicleIndex}:${b.seq}:${b.kind}:${b.messageId}`]);
    expect(b.fields.vehicleId).toBe(b.vehicleId); // the fleet's fields, which targets read for keys, are untouched
    src.transforms.length = 0;
    for (let n = 0; n < 50; n++) expect(src.next(n, T0).body).toBe(plain.next(n, T0).body);
  });
});
