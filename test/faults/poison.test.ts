import { describe, expect, it } from 'vitest';
import { BAD_UTF8 } from '../../src/faults/poison-text.js';
import { keepsIdAlways, poison, type PoisonContext, type Poisoned } from '../../src/faults/poison.js';
import { POISON_KINDS, poisonKindsSchema, type PoisonKind } from '../../src/scenario/fault-schemas/poison-schema.js';
import { formatPath, problemsFromIssues, scenarioErrorMap } from '../../src/scenario/scenario-issues.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { encodeJson } from '../../src/telemetry/payload.js';
import { fleetConfig, onlyMix } from '../telemetry/fleet-fixture.js';

// ---- helpers ---------------------------------------------------------------------------------

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !ArrayBuffer.isView(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** The encoded body as text: a string as is, bytes one char per byte (latin1), so bytes can be written as expected strings. */
function wire(p: Poisoned): string {
  const e = encodeJson(p.value);
  return typeof e === 'string' ? e : 'BYTES:' + Buffer.from(e).toString('latin1');
}

const encoded = (p: Poisoned): string | Uint8Array => encodeJson(p.value);
const bytesOf = (e: string | Uint8Array): Uint8Array => (typeof e === 'string' ? new TextEncoder().encode(e) : e);
/** Byte equality without vitest's element-by-element diffing (bodies here reach 256 KiB). */
const sameBytes = (a: string | Uint8Array, b: string | Uint8Array): boolean => Buffer.from(bytesOf(a)).equals(Buffer.from(bytesOf(b)));
/** As a JSON consumer reads it: bytes decoded leniently (U+FFFD for broken sequences). */
const parseLenient = (e: string | Uint8Array): unknown => JSON.parse(typeof e === 'string' ? e : new TextDecoder().decode(e));
const parses = (e: string | Uint8Array): boolean => {
  try {
    parseLenient(e);
    return true;
  } catch {
    return false;
  }
};
const getAt = (v: unknown, path: readonly string[]): unknown => path.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v);
const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** Leaf paths (primitives and lists; objects entered), as the mutations see them. */
function leaves(o: unknown, at: string[] = []): string[][] {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return [at];
  return Object.entries(o).flatMap(([k, v]) => leaves(v, [...at, k]));
}

/** Deepest nesting of objects and lists in a JSON text (strings skipped). */
function nestingDepth(text: string): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

const fleetBody = (mix?: Parameters<typeof onlyMix>[0]): Record<string, unknown> =>
  createMessageSource(fleetConfig(mix ? { mix: onlyMix(mix) } : {}), 7).next(0, 1_800_000_000_000).fields as unknown as Record<string, unknown>;

const SMALL = { msgId: 'x-1', n: 3, gps: { lat: 1.5, lng: 2.5 } };
const NAMED = { msgId: 'x-1', driver: 'Ana', n: 3 };
const TIMED = { msgId: 'x-1', sentAt: 1_800_000_000_000, seenAt: '2027-01-15T08:00:00.000Z', schemaVersion: 1, n: 3 };
const SMALL_CTX: PoisonContext = { maxBytes: 64, textOnly: false, idPath: ['msgId'] };
const FLEET_CTX: PoisonContext = { maxBytes: 262_144, textOnly: false, idPath: ['messageId'] };
const SMALL_JSON = '{"msgId":"x-1","n":3,"gps":{"lat":1.5,"lng":2.5}';

// ---- exact bytes -----------------------------------------------------------------------------

describe('poison: exact output for fixed hashes', () => {
  const telemetry = fleetBody();
  const fleetWith = (edit: (b: Record<string, unknown>) => void): string => {
    const b = structuredClone(telemetry);
    edit(b);
    return JSON.stringify(b);
  };
  const fleetJson = JSON.stringify(telemetry);

  it.each<[PoisonKind, unknown, number, PoisonContext, string, boolean]>([
    // kind, shaped, h, ctx, encoded (bytes as 'BYTES:' + latin1), keepsId
    ['malformed-json', SMALL, 1, SMALL_CTX, `${SMALL_JSON},`, false],
    ['malformed-json', SMALL, 2, SMALL_CTX, "{'msgId':'x-1','n':3,'gps':{'lat':1.5,'lng':2.5}}", false],
    ['malformed-json', SMALL, 8, SMALL_CTX, `${SMALL_JSON}}${SMALL_JSON}}`, false],
    ['truncated', SMALL, 1, SMALL_CTX, '{"msgId":"x-1","n', false],
    ['truncated', telemetry, 7, FLEET_CTX, '{"messageId":"06vljus-0","vehicleId":"ZCFRVX', false],
    ['wrong-types', SMALL, 1, SMALL_CTX, '{"msgId":"x-1","n":"3","gps":{"lat":"1.5","lng":"2.5"}}', true],
    ['wrong-types', telemetry, 7, FLEET_CTX, fleetWith((b) => { (b.position as Record<string, unknown>).lat = '55.6125'; }), true],
    ['missing-fields', SMALL, 1, SMALL_CTX, '{"msgId":"x-1","gps":{}}', true],
    ['missing-fields', SMALL, 7, SMALL_CTX, '{"msgId":"x-1","gps":{"lat":1.5,"lng":2.5}}', true],
    ['missing-fields', telemetry, 7, FLEET_CTX, fleetWith((b) => { delete (b.position as Record<string, unknown>).lon; }), true],
    ['null-bytes', NAMED, 4, SMALL_CTX, '{"msgId":"x-1","driver":"\\u0000Ana","n":3}', true],
    ['null-bytes', SMALL, 4, SMALL_CTX, `${SMALL_JSON},"note":"\\u0000"}`, true],
    ['null-bytes', SMALL, 1, SMALL_CTX, `${SMALL_JSON}}${'\0'.repeat(8)}`, false],
    ['null-bytes', NAMED, 1, { ...SMALL_CTX, textOnly: true }, '{"msgId":"x-1","driver":"\\u0000Ana","n":3}', true],
    ['invalid-utf8', NAMED, 1, SMALL_CTX, 'BYTES:{"msgId":"x-1","driver":"Ana\xE9","n":3}', true],
    ['invalid-utf8', SMALL, 2, SMALL_CTX, `BYTES:${SMALL_JSON},"note":"\xED\xA0\x80"}`, true],
    ['invalid-utf8', SMALL, 3, SMALL_CTX, `BYTES:${SMALL_JSON},"note":"\xFF"}`, true],
    ['invalid-utf8', SMALL, 4, SMALL_CTX, `BYTES:${SMALL_JSON},"note":"\xC0\xAF"}`, true],
    ['invalid-utf8', NAMED, 1, { ...SMALL_CTX, textOnly: true }, '{"msgId":"x-1","driver":"\\ud800Ana","n":3}', true],
    ['huge-numbers', SMALL, 1, SMALL_CTX, '{"msgId":"x-1","n":18446744073709551617,"gps":{"lat":"NaN","lng":"NaN"}}', true],
    ['huge-numbers', SMALL, 2, SMALL_CTX, '{"msgId":"x-1","n":"-Infinity","gps":{"lat":"-Infinity","lng":1e400}}', true],
    ['huge-numbers', SMALL, 5, SMALL_CTX, '{"msgId":"x-1","n":"Infinity","gps":{"lat":"NaN","lng":"Infinity"}}', true],
    ['huge-numbers', telemetry, 7, FLEET_CTX, fleetJson.replace('"fuelPct":80.6', '"fuelPct":1e400'), true],
    ['bad-timestamps', TIMED, 1, SMALL_CTX, '{"msgId":"x-1","sentAt":1800000000,"seenAt":"2026-02-30T25:61:00Z","schemaVersion":1,"n":3}', true],
    ['bad-timestamps', TIMED, 2, SMALL_CTX, '{"msgId":"x-1","sentAt":253402300799999,"seenAt":"1969-12-31T23:59:59.999Z","schemaVersion":1,"n":3}', true],
    ['bad-timestamps', TIMED, 7, SMALL_CTX, '{"msgId":"x-1","sentAt":-315619200000,"seenAt":"2026-02-30T25:61:00Z","schemaVersion":1,"n":3}', true],
    ['bad-timestamps', TIMED, 8, SMALL_CTX, '{"msgId":"x-1","sentAt":-1,"seenAt":"2026-02-30T25:61:00Z","schemaVersion":1,"n":3}', true],
    ['bad-timestamps', SMALL, 2, SMALL_CTX, `${SMALL_JSON},"timestamp":253402300799999}`, true],
    ['bad-timestamps', telemetry, 7, FLEET_CTX, fleetWith((b) => { b.sentAt = -315_619_200_000; }), true],
    ['wrong-schema-version', TIMED, 1, SMALL_CTX, '{"msgId":"x-1","sentAt":1800000000000,"seenAt":"2027-01-15T08:00:00.000Z","schemaVersion":99,"n":3}', true],
    ['wrong-schema-version', TIMED, 2, SMALL_CTX, '{"msgId":"x-1","sentAt":1800000000000,"seenAt":"2027-01-15T08:00:00.000Z","schemaVersion":0,"n":3}', true],
    ['wrong-schema-version', TIMED, 8, SMALL_CTX, '{"msgId":"x-1","sentAt":1800000000000,"seenAt":"2027-01-15T08:00:00.000Z","schemaVersion":"2","n":3}', true],
    ['wrong-schema-version', SMALL, 1, SMALL_CTX, `${SMALL_JSON},"schemaVersion":99}`, true],
    // Lists: 2 bytes a level (an object body would not fit in maxBytes 64 either way).
    ['deep-nesting', SMALL, 1, SMALL_CTX, `${SMALL_JSON},"nested":${'['.repeat(10_337)}${']'.repeat(10_337)}}`, true],
    // Objects, when the body still fits in maxBytes.
    ['deep-nesting', SMALL, 4, { ...SMALL_CTX, maxBytes: 1e6 }, `${SMALL_JSON},"nested":${'{"a":'.repeat(10_664)}{}${'}'.repeat(10_664)}}`, true],
    // 64 + 1 + 969 = 1034 bytes in all.
    ['oversize', SMALL, 1, SMALL_CTX, `${SMALL_JSON},"padding":"${'x'.repeat(972)}"}`, true],
  ])('%s of %j, h=%i', (kind, shaped, h, ctx, expected, keepsId) => {
    const out = poison(kind, shaped, h, ctx);
    expect(wire(out)).toBe(expected);
    expect(out.keepsId).toBe(keepsId);
  });

  it('oversize makes the body exactly maxBytes + 1 + (a draw of h) % 1024 bytes', () => {
    expect(bytesOf(encoded(poison('oversize', SMALL, 1, SMALL_CTX)))).toHaveLength(1034);
    expect(bytesOf(encoded(poison('oversize', { msgId: 'é', s: 'ü' }, 1, SMALL_CTX)))).toHaveLength(1034); // bytes, not chars
  });
});

// ---- properties, per kind and body -----------------------------------------------------------

const BODIES: [string, Record<string, unknown>, readonly string[]][] = [
  ['telemetry', fleetBody('telemetry'), ['messageId']],
  ['diagnostic', fleetBody('diagnostic'), ['messageId']],
  ['trip_start', fleetBody('tripStart'), ['messageId']],
  ['geofence', fleetBody('geofence'), ['messageId']],
  ['harsh_braking', fleetBody('harshBraking'), ['messageId']],
  ['small', SMALL, ['msgId']],
  ['wrapped', { detail: { id: 'w-9', at: '2027-03-01T00:00:00Z' }, source: 'fleet', tags: ['a', 'b'] }, ['detail', 'id']],
];
const HASHES = [0, 1, 7, 0x9e3779b9, 0xffffffff, 123_456_789];
const NEVER_PARSES: readonly PoisonKind[] = ['malformed-json', 'truncated'];
const MAX_BYTES = 262_144;

/** What each kind's output must satisfy beyond the common checks (`e` encoded, `orig` the body). */
const KIND_CHECKS: Record<PoisonKind, (e: string | Uint8Array, orig: Record<string, unknown>, ctx: PoisonContext) => void> = {
  'malformed-json': () => undefined,
  truncated: (e, orig) => {
    const full = JSON.stringify(orig);
    expect(typeof e).toBe('string');
    expect((e as string).length).toBeGreaterThan(0);
    expect((e as string).length).toBeLessThan(full.length);
    expect(full.startsWith(e as string)).toBe(true);
  },
  'wrong-types': (e, orig, ctx) => {
    const parsed = parseLenient(e);
    const changed = leaves(orig).filter((p) => typeOf(getAt(parsed, p)) !== typeOf(getAt(orig, p)));
    expect(changed.length).toBeGreaterThanOrEqual(1);
    expect(changed.length).toBeLessThanOrEqual(3);
    expect(changed.some((p) => p.join('.') === ctx.idPath!.join('.'))).toBe(false);
  },
  'missing-fields': (e, orig) => {
    const parsed = parseLenient(e);
    const gone = leaves(orig).filter((p) => getAt(parsed, p) === undefined);
    // A removed field is the top-most missing path: its parent is still there.
    const removed = new Set(gone.map((p) => p.slice(0, p.findIndex((_, i) => getAt(parsed, p.slice(0, i + 1)) === undefined) + 1).join('.')));
    expect(removed.size).toBeGreaterThanOrEqual(1);
    expect(removed.size).toBeLessThanOrEqual(3);
    expect(leaves(parsed).every((p) => getAt(orig, p) !== undefined || p.length === 0)).toBe(true); // nothing added
  },
  'null-bytes': (e, _orig, ctx) => {
    const text = e as string;
    if (ctx.textOnly) expect(text.includes('\0')).toBe(false);
    if (text.endsWith('\0')) expect(parses(e)).toBe(false);
    else {
      expect(text).toContain('\\u0000');
      expect(JSON.stringify(parseLenient(e))).toContain('\\u0000');
    }
  },
  'invalid-utf8': (e, _orig, ctx) => {
    if (ctx.textOnly) {
      expect(typeof e).toBe('string');
      expect(e).toMatch(/\\ud800/);
      expect(JSON.stringify(parseLenient(e))).toMatch(/\\ud800/); // an unpaired surrogate once parsed
    } else {
      expect(e).toBeInstanceOf(Uint8Array);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(e as Uint8Array)).toThrow(TypeError);
      expect(parses(e)).toBe(true);
    }
  },
  'huge-numbers': (e) => {
    expect(e).toMatch(/:(18446744073709551617|1e400|"-?Infinity"|"NaN")[,}\]]/);
    expect(parses(e)).toBe(true);
  },
  'bad-timestamps': (e, orig) => {
    const parsed = parseLenient(e) as Record<string, unknown>;
    if (typeof orig.sentAt === 'number') expect([253_402_300_799_999, -1, -315_619_200_000, Math.floor(orig.sentAt / 1000)]).toContain(parsed.sentAt);
  },
  'deep-nesting': (e) => {
    const text = e as string;
    expect(nestingDepth(text)).toBeGreaterThan(10_000);
    // V8's JSON.parse is iterative: it reads 10,000+ (we checked 1,000,000) levels without a
    // RangeError on Node 20. JSON.stringify is recursive and throws RangeError on the result.
    const parsed = JSON.parse(text) as unknown;
    expect(() => JSON.stringify(parsed)).toThrow(RangeError);
  },
  oversize: (e, _orig, ctx) => {
    const n = bytesOf(e).length;
    expect(n).toBeGreaterThan(ctx.maxBytes);
    expect(n).toBeLessThanOrEqual(ctx.maxBytes + 1024);
    expect(parses(e)).toBe(true);
  },
  'wrong-schema-version': (e, orig) => {
    const parsed = parseLenient(e) as Record<string, unknown>;
    expect([99, 0, '2']).toContain(parsed.schemaVersion);
    expect(parsed.schemaVersion).not.toBe(orig.schemaVersion);
  },
};

describe.each([false, true])('poison properties (textOnly: %s)', (textOnly) => {
  const cases = BODIES.flatMap(([name, body, idPath]) => POISON_KINDS.map((kind) => [kind, name, body, idPath] as const));

  it.each(cases)('%s of the %s body', (kind, _name, body, idPath) => {
    const frozen = deepFreeze(structuredClone(body));
    const snapshot = structuredClone(body);
    const ctx: PoisonContext = { maxBytes: MAX_BYTES, textOnly, idPath };
    for (const h of HASHES) {
      const out = poison(kind, frozen, h, ctx); // a write to the frozen input would throw
      const e = encoded(out);
      expect(frozen).toEqual(snapshot);
      expect(sameBytes(encoded(poison(kind, frozen, h, ctx)), e)).toBe(true); // deterministic

      if (textOnly) {
        expect(typeof e).toBe('string');
        expect(Buffer.from(e as string, 'utf8').toString('utf8')).toBe(e); // well-formed: no lone surrogate
        expect((e as string).includes('\0')).toBe(false);
      }
      if (NEVER_PARSES.includes(kind)) expect(parses(e)).toBe(false);
      if (keepsIdAlways(kind)) expect(out.keepsId).toBe(true);
      if (out.keepsId) expect(getAt(parseLenient(e), idPath)).toBe(getAt(body, idPath));
      else expect(parses(e) && getAt(parseLenient(e), idPath) === getAt(body, idPath)).toBe(false);
      KIND_CHECKS[kind](e, body, ctx);
    }
  });
});

describe('poison: choices', () => {
  const many = (kind: PoisonKind, shaped: unknown, ctx: PoisonContext, step = 1): string[] =>
    Array.from({ length: 300 }, (_, i) => wire(poison(kind, shaped, i * step, ctx)));

  // The fault picks the kind by h % kinds.length; a variant chosen the same way would follow it.
  it.each([1, 2, 3, 11])('every variant shows up among hashes h ≡ 0 (mod %i)', (step) => {
    const malformed = many('malformed-json', SMALL, SMALL_CTX, step);
    expect(malformed.some((s) => s.endsWith(','))).toBe(true);
    expect(malformed.some((s) => s.startsWith("{'"))).toBe(true);
    expect(malformed.some((s) => s.includes('}{'))).toBe(true);
    const nul = many('null-bytes', NAMED, SMALL_CTX, step);
    expect(nul.some((s) => s.endsWith('\0'))).toBe(true);
    expect(nul.some((s) => s.includes('\\u0000'))).toBe(true);
    const huge = many('huge-numbers', SMALL, SMALL_CTX, step).join();
    for (const t of ['18446744073709551617', '1e400', '"Infinity"', '"-Infinity"', '"NaN"']) expect(huge).toContain(t);
    const times = many('bad-timestamps', TIMED, SMALL_CTX, step).join();
    for (const t of ['253402300799999', '"sentAt":-1,', '-315619200000', '"sentAt":1800000000,', '9999-12-31', '1969-12-31', '1960-01-01', '2026-02-30']) expect(times).toContain(t);
    const versions = many('wrong-schema-version', TIMED, SMALL_CTX, step).join();
    for (const t of ['"schemaVersion":99', '"schemaVersion":0', '"schemaVersion":"2"']) expect(versions).toContain(t);
    const bad = many('invalid-utf8', SMALL, SMALL_CTX, step).join();
    for (const b of BAD_UTF8) expect(bad).toContain(`"${b}"`);
    const deep = many('deep-nesting', SMALL, { ...SMALL_CTX, maxBytes: 1e6 }, step);
    expect(deep.some((s) => s.includes('"nested":[['))).toBe(true);
    expect(deep.some((s) => s.includes('"nested":{"a":{'))).toBe(true);
  });

  it('truncates at every point 1 .. length-1 and never parses', () => {
    const full = JSON.stringify(SMALL);
    const cuts = new Set(many('truncated', SMALL, SMALL_CTX).map((s) => s.length));
    expect(Math.min(...cuts)).toBe(1);
    expect(Math.max(...cuts)).toBe(full.length - 1);
    expect(cuts.size).toBe(full.length - 1);
  });

  it('does not cut a surrogate pair in two', () => {
    const outs = Array.from({ length: 200 }, (_, h) => wire(poison('truncated', { msgId: 'x', s: '😀😀😀😀' }, h, SMALL_CTX)));
    for (const s of outs) expect(Buffer.from(s, 'utf8').toString('utf8')).toBe(s);
  });

  it('changes 1 to 3 fields for wrong-types and missing-fields', () => {
    const body = fleetBody();
    const counts = new Set(Array.from({ length: 100 }, (_, h) => {
      const parsed = JSON.parse(wire(poison('wrong-types', body, h, FLEET_CTX))) as unknown;
      return leaves(body).filter((p) => typeOf(getAt(parsed, p)) !== typeOf(getAt(body, p))).length;
    }));
    expect([...counts].sort()).toEqual([1, 2, 3]);
  });
});

describe('poison: edge cases', () => {
  it('claims no id when idPath is null or the message has none there', () => {
    for (const kind of POISON_KINDS) {
      expect(poison(kind, SMALL, 1, { ...SMALL_CTX, idPath: null }).keepsId).toBe(false);
      expect(poison(kind, SMALL, 1, { ...SMALL_CTX, idPath: ['nope'] }).keepsId).toBe(false);
    }
  });

  it('wrong-types and missing-fields of an object with nothing but its id lose the id', () => {
    expect(wire(poison('wrong-types', { msgId: 'x-1' }, 1, SMALL_CTX))).toBe('[{"msgId":"x-1"}]');
    expect(poison('wrong-types', { msgId: 'x-1' }, 1, SMALL_CTX).keepsId).toBe(false);
    expect(wire(poison('missing-fields', { msgId: 'x-1' }, 1, SMALL_CTX))).toBe('{}');
    expect(poison('missing-fields', { msgId: 'x-1' }, 1, SMALL_CTX).keepsId).toBe(false);
  });

  it('never touches the id nor the objects holding it', () => {
    const body = { detail: { id: 'w-9' }, x: 1 };
    for (const kind of ['wrong-types', 'missing-fields', 'huge-numbers', 'bad-timestamps'] as const) {
      for (let h = 0; h < 50; h++) {
        const out = poison(kind, body, h, { ...SMALL_CTX, idPath: ['detail', 'id'] });
        expect((JSON.parse(wire(out)) as { detail: { id: string } }).detail.id).toBe('w-9');
      }
    }
  });

  it('works on the JSON view: toJSON applied, undefined dropped, shaped untouched', () => {
    const shaped = deepFreeze({ msgId: 'x-1', at: new Date(Date.UTC(2027, 0, 1)), gone: undefined });
    expect(wire(poison('bad-timestamps', shaped, 2, SMALL_CTX))).toBe('{"msgId":"x-1","at":"9999-12-31T23:59:59.999Z"}');
    expect(shaped.at.getTime()).toBe(Date.UTC(2027, 0, 1));
  });
});

// ---- a text or bytes from a user's hook ------------------------------------------------------

describe('poison of a text or bytes', () => {
  const TEXT = '{"id":"a-1","v":2}';
  const BYTES = new TextEncoder().encode('{"id":"a-1","v":"é"}');
  const ctx: PoisonContext = { maxBytes: 30, textOnly: false, idPath: ['id'] };
  const textOnly: PoisonContext = { ...ctx, textOnly: true };
  const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

  it.each<[PoisonKind, string | Uint8Array, PoisonContext, string, boolean]>([
    ['malformed-json', TEXT, ctx, '{"id":"a-1","v":2,', false],
    ['truncated', TEXT, ctx, '{"id":"a-1","v', false],
    ['null-bytes', TEXT, ctx, '{"id":"a-1\0","v":2}', false],
    ['null-bytes', TEXT, textOnly, '{"id":"a-1","v":2,', false], // SQS refuses U+0000: malformed-json instead
    ['invalid-utf8', TEXT, ctx, 'BYTES:{"id":"a-1\xE9","v":2}', false], // the id itself got the broken byte
    ['invalid-utf8', TEXT, textOnly, '{"id":"a-1\uFFFD","v":2}', false],
    ['invalid-utf8', BYTES, ctx, `BYTES:{"id":"a-1","v\xE9":"${latin1(new TextEncoder().encode('é'))}"}`, true],
    ['oversize', TEXT, ctx, TEXT + ' '.repeat(30 + 1 + 625 - TEXT.length), true],
    ['wrong-types', TEXT, ctx, '{"id":"a-1","v":2,', false], // no fields to retype in a text: malformed-json
    ['truncated', BYTES, ctx, 'BYTES:{"id":"a-1","v":"', false],
  ])('%s of %j (h=42)', (kind, shaped, c, expected, keepsId) => {
    const out = poison(kind, shaped, 42, c);
    expect(wire(out)).toBe(expected);
    expect(out.keepsId).toBe(keepsId);
  });

  it.each(POISON_KINDS)('%s keeps the form (text or bytes), the input and its claims', (kind) => {
    for (const [shaped, c] of [[TEXT, ctx], [TEXT, textOnly], [BYTES, ctx], [BYTES, textOnly]] as const) {
      const before = Uint8Array.from(bytesOf(shaped));
      for (const h of HASHES) {
        const out = poison(kind, shaped, h, c);
        const e = encoded(out);
        expect(sameBytes(shaped, before)).toBe(true);
        expect(sameBytes(encoded(poison(kind, shaped, h, c)), e)).toBe(true);
        if (shaped instanceof Uint8Array || (kind === 'invalid-utf8' && !c.textOnly)) expect(e).toBeInstanceOf(Uint8Array);
        else expect(typeof e).toBe('string');
        if (kind === 'invalid-utf8' && !c.textOnly) expect(() => new TextDecoder('utf-8', { fatal: true }).decode(e as Uint8Array)).toThrow(TypeError);
        if (kind === 'oversize') expect(bytesOf(e).length).toBeGreaterThan(c.maxBytes);
        if (out.keepsId) expect(getAt(parseLenient(e), ['id'])).toBe('a-1');
        if (['malformed-json', 'truncated', 'null-bytes', 'wrong-types', 'missing-fields'].includes(kind)) expect(parses(e)).toBe(false);
      }
    }
  });

  it('treats a JSON root that is not an object as text', () => {
    expect(wire(poison('malformed-json', [1, 2], 1, ctx))).toBe('[1,2,');
    expect(poison('oversize', [1, 2], 1, { ...ctx, idPath: ['0'] }).keepsId).toBe(true);
  });
});

// ---- the scenario field ----------------------------------------------------------------------

describe('poisonKindsSchema', () => {
  /** What the scenario loader would say (its error map, union branches resolved), with the paths. */
  const problems = (v: unknown): string[] => {
    const r = poisonKindsSchema.safeParse(v, { error: scenarioErrorMap });
    return r.success ? [] : problemsFromIssues(r.error.issues).map((p) => `${formatPath(p.path)}: ${p.message}`);
  };

  it('reads all and lists of kinds, in the order written', () => {
    expect(poisonKindsSchema.parse('all')).toEqual([...POISON_KINDS]);
    expect(POISON_KINDS).toHaveLength(11);
    expect(poisonKindsSchema.parse(['truncated', 'oversize'])).toEqual(['truncated', 'oversize']);
    expect(problems(['null-bytes'])).toEqual([]);
  });

  it.each<[unknown, RegExp]>([
    [[], /^\(top level\): expected at least one poison kind \(malformed-json, .*wrong-schema-version\), or all$/],
    [['truncated', 'truncated'], /^\[1\]: expected each poison kind once; truncated is listed twice$/],
    [['truncated', 'bogus'], /^\[1\]: expected a poison kind: one of malformed-json, truncated, wrong-types, missing-fields, null-bytes, invalid-utf8, huge-numbers, bad-timestamps, deep-nesting, oversize, wrong-schema-version$/],
    ['truncated', /^\(top level\): expected a list, even of one kind: \[truncated\] \(or all\)$/],
    ['bogus', /^\(top level\): expected all, or a list of poison kinds \(malformed-json, truncated, .*wrong-schema-version\)$/],
    [3, /^\(top level\): expected all, or a list of poison kinds/],
  ])('refuses %j', (v, message) => {
    const found = problems(v);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });
});
