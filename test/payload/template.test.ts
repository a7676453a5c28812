import { describe, expect, it } from 'vitest';
import { compilePayload } from '../../src/payload/payload-shape.js';
import type { BodyCodec } from '../../src/telemetry/payload.js';
import { sampleMessages } from '../../src/payload/sources.js';
import { compileTemplate, compileText, placeholdersIn } from '../../src/payload/template.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

const telemetry = {
  messageId: 'abc-1', vehicleId: 'VIN123', seq: 7, sentAt: Date.UTC(2026, 11, 1, 8, 0, 0, 250), schemaVersion: 1, kind: 'telemetry', fleetId: 'fleet-3', tenantId: 'tenant-1',
  position: { lat: 55.61234, lon: 12.98765, speedKmh: 100, headingDeg: 90 },
  engine: { rpm: 2850, coolantC: 90, fuelPct: 55.5, odometerKm: 12345.6 },
};

const shape = (template: unknown, msg: object = telemetry) => {
  const c = compileTemplate(template);
  expect(c.problems).toEqual([]);
  return c.shape!(msg);
};

describe('payload templates (compiled once, pure)', () => {
  it.each([
    // [template, expected]
    [{ id: '{{messageId}}' }, { id: 'abc-1' }],
    [{ n: '{{seq}}' }, { n: 7 }], // a single placeholder keeps its type
    [{ n: '{{seq | string}}' }, { n: '7' }],
    [{ label: 'v-{{vehicleId}}/{{seq}}' }, { label: 'v-VIN123/7' }], // text around placeholders makes a string
    [{ ts: '{{sentAt | iso}}' }, { ts: '2026-12-01T08:00:00.250Z' }],
    [{ ts: '{{sentAt | epochSeconds}}' }, { ts: 1796112000 }],
    [{ mph: '{{position.speedKmh | mph}}' }, { mph: 62.1 }],
    [{ f: '{{engine.coolantC | fahrenheit}}' }, { f: 194 }],
    [{ lat: '{{position.lat | round(2)}}' }, { lat: 55.61 }],
    [{ km: '{{engine.odometerKm | round}}' }, { km: 12346 }],
    [{ t: '{{tenantId | upper}}' }, { t: 'TENANT-1' }],
    [{ gps: { lat: '{{position.lat}}', lng: '{{position.lon}}' } }, { gps: { lat: 55.61234, lng: 12.98765 } }], // nested
    [{ pos: '{{position}}' }, { pos: telemetry.position }], // a whole sub-object
    [{ list: ['{{seq}}', 'x', 3] }, { list: [7, 'x', 3] }],
    [{ source: 'loadtest', n: 42, ok: true, none: null }, { source: 'loadtest', n: 42, ok: true, none: null }], // literals stay literals
    [{ trip: '{{tripId}}', text: 'trip {{tripId}}' }, { trip: null, text: 'trip ' }], // a field this kind lacks
    [{ t: '{{vehicleId | iso}}', u: '{{vehicleId | mph | string}}', x: 'x{{vehicleId | round}}' }, { t: null, u: null, x: 'x' }], // no number: null, and the chain ends
    [{ 'a"b': 1, 'line\nbreak': '{{seq}}', 'x\u2028y': 'z' }, { 'a"b': 1, 'line\nbreak': 7, 'x\u2028y': 'z' }], // keys are written safely
    [{ n: '{{seq | round(0) | string | upper}}' }, { n: '7' }],
  ])('%j → %j', (template, expected) => {
    expect(shape(template)).toEqual(expected);
  });

  it.each([
    [{ a: '{{position.latt}}' }, ['a'], /unknown field "position\.latt"/],
    [{ g: { x: '{{seq | bogus}}' } }, ['g', 'x'], /unknown filter "bogus"/],
    [{ l: ['ok', '{{sentAt | iso(3)}}'] }, ['l', 1], /filter "iso" takes no argument/],
  ])('%j is rejected at %j', (template, path, message) => {
    const c = compileTemplate(template);
    expect(c.shape).toBeUndefined();
    expect(c.problems).toHaveLength(1);
    expect(c.problems[0].path).toEqual(path);
    expect(c.problems[0].message).toMatch(message);
  });

  it('a kind can have its own template; the others use the default, and kinds with neither keep the built-in shape', () => {
    const wire = (c: BodyCodec, body: unknown) => JSON.parse(c.encode(c.shape(body as never, {} as never)) as string);
    const both = compilePayload({ template: { id: '{{messageId}}' }, when: { diagnostic: { codes: '{{dtcCodes}}' } } }).codec!;
    expect(wire(both, telemetry)).toEqual({ id: 'abc-1' });
    expect(wire(both, { ...telemetry, kind: 'diagnostic', dtcCodes: ['P0301'] })).toEqual({ codes: ['P0301'] });
    const onlyDiag = compilePayload({ when: { diagnostic: { codes: '{{dtcCodes}}' } } }).codec!;
    expect(wire(onlyDiag, telemetry)).toEqual(telemetry);
    expect(compilePayload({ when: { geofence: { e: '{{nope}}' } } }).problems[0].path).toEqual(['when', 'geofence', 'e']);
  });

  it('the same seed gives the same shaped bytes (apart from the send time)', async () => {
    const plan = { fleet: fleetConfig({ vehicles: 100 }), seed: 9, payload: { template: { d: '{{vehicleId}}', n: '{{seq}}', at: '{{position.lat}}', m: '{{messageId}}' } } };
    expect(await sampleMessages(plan, 50, { nowMs: 1_800_000_000_000 })).toEqual(await sampleMessages(plan, 50, { nowMs: 1_800_000_000_000 }));
    expect(JSON.parse((await sampleMessages(plan, 1))[0])).toMatchObject({ n: 1 });
  });
});

describe('generated shapes', () => {
  it('a __proto__ key is an own property, never the prototype', () => {
    const out = shape(JSON.parse('{"__proto__": {"polluted": "{{seq}}"}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
  it('keeps the template\'s key order', () => {
    expect(Object.keys(shape({ z: 1, a: '{{seq}}', m: { y: 1, b: 2 } }) as object)).toEqual(['z', 'a', 'm']);
  });
});

describe('text templates (URL paths, header values, partition keys)', () => {
  const render = (text: string, opts?: Parameters<typeof compileText>[1]) => {
    const c = compileText(text, opts);
    expect(c.problems).toEqual([]);
    return c.template!;
  };
  it.each([
    ['/vehicles/{{vehicleId}}/telemetry', '/vehicles/VIN123/telemetry', false],
    ['{{fleetId}}', 'fleet-3', false],
    ['{{tenantId | upper}}-{{seq}}', 'TENANT-1-7', false],
    ['/ingest', '/ingest', true],
    ['trip-{{tripId}}', 'trip-', false], // a field this kind lacks renders as empty text
  ])('%s → %s', (text, expected, constant) => {
    const t = render(text);
    expect(t.render(telemetry)).toBe(expected);
    expect(t.constant).toBe(constant);
  });
  it('maps literals once and each value per message', () => {
    const t = render('/t/{{tenantId}}/${X}', { literal: (s) => s.replace('${X}', 'secret'), encode: (s) => encodeURIComponent(s.toUpperCase()) });
    expect(t.render({ ...telemetry, tenantId: 'a b' })).toBe('/t/A%20B/secret');
    expect(t.fields).toEqual(['tenantId']);
  });
  it('rejects an unknown field and an unknown filter', () => {
    expect(compileText('/v/{{vin}}').problems[0].message).toMatch(/unknown field "vin"/);
    expect(compileText('{{seq | hex}}').problems[0].message).toMatch(/unknown filter "hex"/);
  });
  it('lists the fields a text names', () => {
    expect(placeholdersIn('http://h/{{vehicleId}}/{{ seq | string }}')).toEqual(['vehicleId', 'seq']);
  });
});
