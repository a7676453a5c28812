import { describe, expect, it } from 'vitest';
import { compileDrift, isSilentDrift } from '../../src/faults/schema-drift.js';
import { describeDrift, driftOpsSchema, type DriftOp } from '../../src/scenario/fault-schemas/drift-schema.js';
import { formatPath, problemsFromIssues, scenarioErrorMap } from '../../src/scenario/scenario-issues.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import type { TelemetryBody } from '../../src/telemetry/payload.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

/** The `drift:` list as written in a scenario → resolved operations (throws on a bad list). */
const ops = (...items: unknown[]): DriftOp[] => driftOpsSchema.parse(items);

/** The problems of a bad `drift:` list, worded as the scenario loader words them. */
function problems(input: unknown): string[] {
  const r = driftOpsSchema.safeParse(input, { error: scenarioErrorMap });
  if (r.success) return [];
  return problemsFromIssues(r.error.issues).map((p) => `${formatPath(['drift', ...p.path])}: ${p.message}`);
}

/** Freezes a value and everything in it, so any write to it throws (test files are strict mode). */
function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

/** Drifts one message with fresh counters. */
const drift = (items: unknown[], input: unknown): unknown => compileDrift(ops(...items)).apply(deepFreeze(input));

describe('drift: the scenario schema', () => {
  it.each<[string, unknown, DriftOp]>([
    ['rename', { rename: { from: 'position.speedKmh', to: 'position.speed' } }, { op: 'rename', from: ['position', 'speedKmh'], to: ['position', 'speed'] }],
    ['remove', { remove: 'engine.rpm' }, { op: 'remove', field: ['engine', 'rpm'] }],
    ['remove a list item', { remove: 'dtcCodes.0' }, { op: 'remove', field: ['dtcCodes', '0'] }],
    ['type', { type: { field: 'sentAt', to: 'iso' } }, { op: 'type', field: ['sentAt'], to: 'iso' }],
    ['unit (the from-unit implied)', { unit: { field: 'engine.coolantC', to: 'fahrenheit' } }, { op: 'unit', field: ['engine', 'coolantC'], from: 'celsius', to: 'fahrenheit' }],
    ['add', { add: { field: '@meta.fw', value: { v: [1, null] } } }, { op: 'add', field: ['@meta', 'fw'], value: { v: [1, null] } }],
    ['schemaVersion N', { schemaVersion: 2 }, { op: 'schemaVersion', field: ['schemaVersion'], value: 2 }],
    ['schemaVersion in a user\'s shape', { schemaVersion: { field: 'meta.version', value: 3 } }, { op: 'schemaVersion', field: ['meta', 'version'], value: 3 }],
  ])('%s', (_t, item, expected) => {
    expect(ops(item)).toEqual([expected]);
  });

  const PATH = 'expected a dotted field path such as position.speedKmh: keys separated by single dots, no spaces (a number indexes a list, e.g. dtcCodes.0)';
  it.each<[string, unknown, string[]]>([
    ['an empty list', [], ['drift: expected at least one drift operation']],
    ['no list', 'rename', ['drift: expected a list of drift operations, e.g. - rename: { from: position.speedKmh, to: position.speed }']],
    ['an unknown operation', [{ renmae: { from: 'a', to: 'b' } }], ['drift[0].renmae: unknown key "renmae" (did you mean "rename"?); expected one of rename, remove, type, unit, add, schemaVersion']],
    ['two operations in one item', [{ remove: 'a' }, { remove: 'b', add: { field: 'c', value: 1 } }], ['drift[1]: expected one operation per list item, got 2 (remove, add): write each as its own item']],
    ['an empty item', [{}], ['drift[0]: expected one operation: rename, remove, type, unit, add, schemaVersion']],
    ['an empty key in a path', [{ remove: 'position..speedKmh' }], [`drift[0].remove: ${PATH}`]],
    ['a leading dot', [{ rename: { from: '.a', to: 'b' } }], [`drift[0].rename.from: ${PATH}`]],
    ['a space', [{ type: { field: 'sent at', to: 'iso' } }], [`drift[0].type.field: ${PATH}`]],
    ['an empty path', [{ unit: { field: '', to: 'mph' } }], [`drift[0].unit.field: ${PATH}`]],
    ['a number for a path', [{ remove: 5 }], [`drift[0].remove: ${PATH}`]],
    ['__proto__', [{ add: { field: 'a.__proto__', value: 1 } }], ['drift[0].add.field: expected a field path without __proto__ (it is no field of a JSON message)']],
    ['a unit not in the table', [{ unit: { field: 'position.speedKmh', to: 'knots' } }], ['drift[0].unit.to: expected a unit to convert to: mph (from kmh), kmh (from mph), fahrenheit (from celsius), celsius (from fahrenheit), ft (from m), m (from ft), km (from m), s (from ms), ms (from s)']],
    ['a type not in the list', [{ type: { field: 'a', to: 'boolean' } }], ['drift[0].type.to: expected string (number → "57.3"), number ("57.3" → 57.3), iso (epoch ms → ISO-8601 text) or epoch-ms (ISO-8601 text → epoch ms)']],
    ['a rename into itself', [{ rename: { from: 'position', to: 'position.old' } }], ['drift[0].rename: expected from and to to be different fields, neither inside the other']],
    ['a rename onto itself', [{ rename: { from: 'a.b', to: 'a.b' } }], ['drift[0].rename: expected from and to to be different fields, neither inside the other']],
    ['a rename without to', [{ rename: { from: 'a' } }], [`drift[0].rename.to: ${PATH}`]],
    ['add without a value', [{ add: { field: 'fw' } }], ['drift[0].add.value: expected the new field\'s value: text, a finite number, true/false, null, a list or a mapping']],
    ['add of an infinite number', [{ add: { field: 'fw', value: [Infinity] } }], ['drift[0].add.value: expected the new field\'s value: text, a finite number, true/false, null, a list or a mapping']],
    ['a version as text', [{ schemaVersion: 'v2' }], ['drift[0].schemaVersion: expected a version number such as 2, or { field: PATH, value: N } for a shape that keeps it elsewhere']],
    ['a version field without its value', [{ schemaVersion: { field: 'meta.v' } }], ['drift[0].schemaVersion.value: expected a version number such as 2']],
  ])('%s is refused', (_t, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  it('describes the list on one line for validate', () => {
    const line = describeDrift(ops(
      { rename: { from: 'position.speedKmh', to: 'position.speed' } },
      { unit: { field: 'position.speed', to: 'mph' } },
      { unit: { field: 'engine.coolantC', to: 'fahrenheit' } },
      { type: { field: 'sentAt', to: 'iso' } },
      { remove: 'engine.rpm' },
      { add: { field: 'firmware', value: '2.4.1' } },
      { schemaVersion: 2 },
      { schemaVersion: { field: 'meta.v', value: 3 } },
    ));
    expect(line).toBe('rename position.speedKmh → position.speed; unit position.speed km/h → mph; unit engine.coolantC °C → °F; type sentAt → iso; '
      + 'remove engine.rpm; add firmware = "2.4.1"; schemaVersion → 2; schemaVersion meta.v → 3');
  });
});

describe('drift: each operation, input → exact output', () => {
  it.each<[string, unknown[], unknown, unknown]>([
    ['rename within an object (the key moves to the end)', [{ rename: { from: 'p.speedKmh', to: 'p.speed' } }], { p: { speedKmh: 57, lat: 1 } }, { p: { lat: 1, speed: 57 } }],
    ['rename into an object created on the way', [{ rename: { from: 'p.speedKmh', to: 'motion.speed' } }], { id: 'a', p: { speedKmh: 57 } }, { id: 'a', p: {}, motion: { speed: 57 } }],
    ['rename a top-level field (an object moves whole)', [{ rename: { from: 'p', to: 'pos' } }], { p: { lat: 1 }, id: 'a' }, { id: 'a', pos: { lat: 1 } }],
    ['rename inside a list item', [{ rename: { from: 'stops.1.eta', to: 'stops.1.etaMs' } }], { stops: [{ eta: 1 }, { eta: 2 }] }, { stops: [{ eta: 1 }, { etaMs: 2 }] }],
    ['remove a nested field', [{ remove: 'e.rpm' }], { e: { rpm: 900, fuel: 50 } }, { e: { fuel: 50 } }],
    ['remove a list item (later items shift)', [{ remove: 'dtc.0' }], { dtc: ['P0300', 'P0171', 'U0100'] }, { dtc: ['P0171', 'U0100'] }],
    ['type number → string', [{ type: { field: 'p.speed', to: 'string' } }], { p: { speed: 57.3 } }, { p: { speed: '57.3' } }],
    ['type true → string', [{ type: { field: 'ok', to: 'string' } }], { ok: true }, { ok: 'true' }],
    ['type string → number', [{ type: { field: 'v', to: 'number' } }], { v: '57.3' }, { v: 57.3 }],
    ['type exponent text → number', [{ type: { field: 'v', to: 'number' } }], { v: '-1.5e3' }, { v: -1500 }],
    ['type epoch ms → iso', [{ type: { field: 'sentAt', to: 'iso' } }], { sentAt: 1_800_000_000_123 }, { sentAt: '2027-01-15T08:00:00.123Z' }],
    ['type iso → epoch ms', [{ type: { field: 'sentAt', to: 'epoch-ms' } }], { sentAt: '2027-01-15T08:00:00.123Z' }, { sentAt: 1_800_000_000_123 }],
    ['type iso with an offset → epoch ms', [{ type: { field: 't', to: 'epoch-ms' } }], { t: '2027-01-15T09:00+01:00' }, { t: 1_800_000_000_000 }],
    ['add a top-level field', [{ add: { field: 'fw', value: '2.4.1' } }], { id: 'a' }, { id: 'a', fw: '2.4.1' }],
    ['add into objects created on the way', [{ add: { field: 'meta.build.n', value: 7 } }], { id: 'a' }, { id: 'a', meta: { build: { n: 7 } } }],
    ['add into an existing object', [{ add: { field: 'p.alt', value: null } }], { p: { lat: 1 } }, { p: { lat: 1, alt: null } }],
    ['add replaces a value', [{ add: { field: 'kind', value: { v: [1] } } }], { kind: 'telemetry' }, { kind: { v: [1] } }],
    ['add appends to a list at its length', [{ add: { field: 'dtc.1', value: 'P0420' } }], { dtc: ['P0300'] }, { dtc: ['P0300', 'P0420'] }],
    ['schemaVersion N', [{ schemaVersion: 2 }], { schemaVersion: 1, id: 'a' }, { schemaVersion: 2, id: 'a' }],
    ['schemaVersion in a user\'s shape', [{ schemaVersion: { field: 'meta.v', value: 3 } }], { meta: { v: 2 } }, { meta: { v: 3 } }],
    ['ops in order: rename, then the unit of the new field', [{ rename: { from: 'p.kmh', to: 'p.mph' } }, { unit: { field: 'p.mph', to: 'mph' } }], { p: { kmh: 100 } }, { p: { mph: 62.14 } }],
  ])('%s', (_t, items, input, expected) => {
    expect(drift(items, input)).toStrictEqual(expected);
  });

  // The unit table: to ← from, the conversion, and the rounding (factors near 1: max(2, input
  // decimals); ÷ 1000: input decimals + 3; × 1000: input decimals − 3, at least 0).
  it.each<[string, number, number]>([
    ['mph', 57, 35.42], // km/h × 0.621371 = 35.418147
    ['mph', 57.125, 35.496], // 3 input decimals kept: 35.49582...
    ['kmh', 35.42, 57], // mph × 1.609344 = 57.00296...
    ['fahrenheit', 90, 194], // °C × 9/5 + 32
    ['fahrenheit', -40, -40],
    ['celsius', 98.6, 37], // (°F − 32) × 5/9
    ['celsius', 0, -17.78],
    ['ft', 100, 328.08], // m / 0.3048
    ['m', 328.08, 100], // ft × 0.3048 = 99.998784
    ['km', 1234, 1.234], // m / 1000
    ['km', 89218.7, 89.2187],
    ['s', 1500, 1.5], // ms / 1000
    ['ms', 1.5, 1500], // s × 1000
    ['ms', 0.0015, 1.5],
  ])('unit → %s: %d → %d', (to, input, expected) => {
    expect(drift([{ unit: { field: 'x', to } }], { x: input })).toStrictEqual({ x: expected });
  });
});

describe('drift: what it cannot do is left as is and counted', () => {
  const bytes = new TextEncoder().encode('{"a":1}');
  it.each<[string, unknown[], unknown, 'missing' | 'skipped']>([
    ['remove of an absent field', [{ remove: 'e.rpm' }], { e: { fuel: 1 } }, 'missing'],
    ['rename of an absent field', [{ rename: { from: 'p.speedKmh', to: 'p.speed' } }], { p: {} }, 'missing'],
    ['a path through a value that is no object', [{ unit: { field: 'vin.x', to: 'mph' } }], { vin: 'ABC' }, 'missing'],
    ['a word as a list index', [{ remove: 'dtc.first' }], { dtc: ['P0300'] }, 'missing'],
    ['a list index with a leading zero', [{ remove: 'dtc.00' }], { dtc: ['P0300'] }, 'missing'],
    ['a list index past the end', [{ type: { field: 'dtc.1', to: 'string' } }], { dtc: [1] }, 'missing'],
    ['schemaVersion where the shape has none', [{ schemaVersion: 2 }], { version: 1 }, 'missing'],
    ['a unit change of text', [{ unit: { field: 'speed', to: 'mph' } }], { speed: '57' }, 'skipped'],
    ['text that is no number', [{ type: { field: 'v', to: 'number' } }], { v: '57 km/h' }, 'skipped'],
    ['a string to string', [{ type: { field: 'v', to: 'string' } }], { v: 'a' }, 'skipped'],
    ['iso of text', [{ type: { field: 't', to: 'iso' } }], { t: '1800000000000' }, 'skipped'],
    ['epoch-ms of a date without a time', [{ type: { field: 't', to: 'epoch-ms' } }], { t: '2027-01-15' }, 'skipped'],
    ['epoch-ms of free text', [{ type: { field: 't', to: 'epoch-ms' } }], { t: 'Jan 15 2027' }, 'skipped'],
    ['add through a value that is no object', [{ add: { field: 'vin.check', value: 1 } }], { vin: 'ABC' }, 'skipped'],
    ['add past a list\'s end', [{ add: { field: 'dtc.2', value: 'P0420' } }], { dtc: ['P0300'] }, 'skipped'],
    ['rename to a way blocked by a value', [{ rename: { from: 'a', to: 'b.c' } }], { a: 1, b: 2 }, 'skipped'],
    ['text (a hook\'s message)', [{ remove: 'a' }], '{"a":1}', 'missing'],
    ['bytes', [{ remove: 'a' }], bytes, 'missing'],
    ['null', [{ remove: 'a' }], null, 'missing'],
    ['an object of a class', [{ remove: 'a' }], new Date(0), 'missing'],
  ])('%s: the input itself comes back, counted %s', (_t, items, input, how) => {
    const d = compileDrift(ops(...items));
    const frozen = input instanceof Uint8Array ? input : deepFreeze(input);
    expect(d.apply(frozen)).toBe(frozen);
    expect(d.stats()).toEqual([expect.objectContaining({ applied: 0, missing: how === 'missing' ? 1 : 0, skipped: how === 'skipped' ? 1 : 0 })]);
  });

  it('counts per operation across messages, with each operation described', () => {
    const d = compileDrift(ops({ unit: { field: 'position.speedKmh', to: 'mph' } }, { remove: 'engine' }, { add: { field: 'fw', value: '2' } }));
    for (const m of [{ position: { speedKmh: 50 }, engine: {} }, { position: { speedKmh: 0 } }, { dtcCodes: [] }, { position: { speedKmh: 'x' } }, 'text']) d.apply(deepFreeze(m));
    expect(d.stats()).toEqual([
      { op: 'unit position.speedKmh km/h → mph', applied: 2, missing: 2, skipped: 1 },
      { op: 'remove engine', applied: 1, missing: 4, skipped: 0 },
      { op: 'add fw = "2"', applied: 4, missing: 1, skipped: 0 },
    ]);
  });
});

describe('drift: copies, sharing, determinism', () => {
  const fleetBody = (n = 0): TelemetryBody => createMessageSource(fleetConfig(), 7).next(n, 1_800_000_000_000).fields as TelemetryBody;

  it('never changes its input; copies only the objects on the changed paths', () => {
    const input = deepFreeze(fleetBody());
    const before = JSON.stringify(input);
    const d = compileDrift(ops({ rename: { from: 'position.speedKmh', to: 'position.speed' } }, { unit: { field: 'position.speed', to: 'mph' } }, { schemaVersion: 2 }));
    const out = d.apply(input) as Record<string, unknown>;
    expect(JSON.stringify(input)).toBe(before);
    expect(out).not.toBe(input);
    expect(out.position).not.toBe(input.position);
    expect(out.engine).toBe(input.engine);
  });

  it('shares one frozen value of add among all messages', () => {
    const d = compileDrift(ops({ add: { field: 'meta', value: { fw: '2.4.1', flags: ['a'] } } }));
    const a = d.apply({ id: 1 }) as { meta: { flags: string[] } };
    const b = d.apply({ id: 2 }) as { meta: unknown };
    expect(a.meta).toBe(b.meta);
    expect(Object.isFrozen(a.meta) && Object.isFrozen(a.meta.flags)).toBe(true);
  });

  it('is deterministic: the same operations give the same messages, compiled once or twice', () => {
    const items = [{ rename: { from: 'position.speedKmh', to: 'speed' } }, { type: { field: 'sentAt', to: 'iso' } }, { remove: 'dtcCodes.0' }];
    const src = createMessageSource(fleetConfig(), 7);
    const bodies = Array.from({ length: 300 }, (_, n) => deepFreeze(src.next(n, 1_800_000_000_000 + n).fields));
    const [a, b] = [compileDrift(ops(...items)), compileDrift(ops(...items))];
    const first = bodies.map((m) => JSON.stringify(a.apply(m)));
    expect(bodies.map((m) => JSON.stringify(b.apply(m)))).toEqual(first);
    expect(bodies.map((m) => JSON.stringify(a.apply(m)))).toEqual(first);
  });

  it('on a fleet message: rename speedKmh → speed and the unit to mph give what one computes by hand; sentAt to ISO exactly', () => {
    const input = deepFreeze(fleetBody());
    expect(input.kind).toBe('telemetry');
    const d = compileDrift(ops({ rename: { from: 'position.speedKmh', to: 'position.speed' } }, { unit: { field: 'position.speed', to: 'mph' } }, { type: { field: 'sentAt', to: 'iso' } }));
    const { speedKmh, ...position } = input.position;
    expect(d.apply(input)).toStrictEqual({
      ...input,
      sentAt: '2027-01-15T08:00:00.000Z', // 1_800_000_000_000 ms after the epoch
      position: { ...position, speed: Math.round(speedKmh * 0.621371 * 100) / 100 },
    });
    expect(speedKmh).toBe(30); // the fixture's first message: 30 km/h → 18.64 mph
    expect((d.apply(input) as TelemetryBody & { position: { speed: number } }).position.speed).toBe(18.64);
  });

  it('works as a message transform: the body drifts, the message\'s fields stay as built', () => {
    const src = createMessageSource(fleetConfig(), 7);
    const d = compileDrift(ops({ rename: { from: 'position.speedKmh', to: 'position.speed' } }));
    src.transforms.push((shaped) => d.apply(shaped));
    const m = src.next(0, 1_800_000_000_000);
    expect(JSON.parse(m.body as string).position).toEqual({ lat: expect.any(Number), lon: expect.any(Number), headingDeg: expect.any(Number), speed: 30 });
    expect((m.fields as TelemetryBody).position.speedKmh).toBe(30);
  });
});

describe('isSilentDrift: a drift an old-schema check would typically let through', () => {
  it.each<[unknown, boolean]>([
    [{ unit: { field: 'position.speedKmh', to: 'mph' } }, true],
    [{ add: { field: 'fw', value: '2' } }, true],
    [{ type: { field: 'position.speedKmh', to: 'string' } }, false],
    [{ rename: { from: 'a', to: 'b' } }, false],
    [{ remove: 'a' }, false],
    [{ schemaVersion: 2 }, false],
  ])('%j → %s', (item, silent) => {
    expect(isSilentDrift(ops(item)[0])).toBe(silent);
  });
});
