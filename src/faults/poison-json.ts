import { draw } from '../telemetry/hash.js';
import type { Poisoned } from './poison.js';
import { fieldPaths, freshKey, getAt, pick, placeholder, related, setAt, deleteAt, spliceRaw, type Json, type JsonObject, type Path } from './poison-walk.js';

/**
 * The poison mutations that keep a message JSON (or JSON but for one spot): they work on `o`, a
 * private deep copy of the message (poison.ts makes it), and never touch the id at `idPath` or
 * the objects holding it. `keepsId` here is the claim for a message that has its id; poison.ts
 * adds whether it has one. Draw indices: 1 positions, 2 counts, 10+i picks, 20+i per-field variants.
 */

/** 1–3, by draw: how many fields a mutation changes (fewer when there are fewer). */
const howMany = (h: number): number => 1 + (draw(h, 2) % 3);

/** The value with another JSON type: a number or boolean → its text, text → a number or { value }, a list → an object, null → "null". */
function retyped(v: Json, d: number): Json {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return Object.fromEntries(v.map((x, i) => [String(i), x])); // PHP's json_encode of a sparse array
  if (typeof v === 'string') {
    if (d % 2 === 1) return { value: v };
    const n = Number(v);
    return v.trim() !== '' && Number.isFinite(n) ? n : v.length;
  }
  return v;
}

/**
 * wrong-types: 1–3 leaves (not the id) written with another JSON type (see retyped): a producer
 * that formats numbers as text, an enum sent as a number. Every leaf is the id (or there is
 * none): the whole document goes as a one-item list, the root itself of the wrong type (id lost).
 */
export function wrongTypes(o: JsonObject, idPath: Path | null, h: number): Poisoned {
  const chosen = pick(fieldPaths(o, idPath, true), howMany(h), h, 10);
  if (chosen.length === 0) return { value: [o], keepsId: false };
  chosen.forEach((p, i) => setAt(o, p, retyped(getAt(o, p)!, draw(h, 20 + i))));
  return { value: o, keepsId: true };
}

/**
 * missing-fields: 1–3 fields removed, top-level or nested (a whole object counts as one field),
 * never the id or an object holding it; no two of them one inside the other. An object with
 * nothing but its id loses the id instead (then keepsId is false).
 */
export function missingFields(o: JsonObject, idPath: Path | null, h: number): Poisoned {
  let left = fieldPaths(o, idPath, false);
  if (left.length === 0) {
    for (const k of Object.keys(o)) delete o[k];
    return { value: o, keepsId: false };
  }
  for (let i = 0, n = howMany(h); i < n && left.length > 0; i++) {
    const [p] = pick(left, 1, h, 10 + i);
    deleteAt(o, p);
    left = left.filter((q) => !related(p, q));
  }
  return { value: o, keepsId: true };
}

/**
 * Numbers no consumer can hold, by draw per field: "Infinity", "-Infinity", "NaN" (what
 * String(1e308 * 10) gives: a producer that formats numbers as text), 18446744073709551617
 * (2^64 + 1: past int64/uint64, rounded in a double) and 1e400 (valid JSON, past the largest
 * double: JS reads Infinity, strict parsers fail) as raw literals.
 */
const HUGE: readonly Json[] = ['Infinity', '-Infinity', 'NaN'];
const HUGE_RAW: readonly string[] = ['18446744073709551617', '1e400'];

/**
 * huge-numbers: 1–3 number leaves (not the id) get a huge value (see HUGE); an object without
 * one gets a `hugeNumber` field. Always JSON text (the raw literals need it); it parses.
 */
export function hugeNumbers(o: JsonObject, idPath: Path | null, h: number): Poisoned {
  const numeric = fieldPaths(o, idPath, true).filter((p) => typeof getAt(o, p) === 'number');
  const chosen = numeric.length > 0 ? pick(numeric, howMany(h), h, 10) : [[freshKey(o, 'hugeNumber')]];
  const raw: string[] = [];
  chosen.forEach((p, i) => {
    const v = draw(h, 20 + i) % (HUGE.length + HUGE_RAW.length);
    if (v < HUGE.length) {
      setAt(o, p, HUGE[v]);
    } else {
      setAt(o, p, placeholder(raw.length));
      raw.push(HUGE_RAW[v - HUGE.length]);
    }
  });
  return { value: spliceRaw(o, raw), keepsId: true };
}

/** wrong-schema-version: schemaVersion (top level) 99, 0 or the next version as text ("2"), by draw, never its value now; added as 99 when missing. */
export function wrongSchemaVersion(o: JsonObject, h: number): Poisoned {
  if (!Object.hasOwn(o, 'schemaVersion')) {
    o.schemaVersion = 99;
    return { value: o, keepsId: true };
  }
  const now = o.schemaVersion;
  const n = Number(now);
  const options: Json[] = [99, 0, String(Number.isFinite(n) ? n + 1 : 2), 100].filter((x) => x !== now);
  o.schemaVersion = options[draw(h, 0) % 3];
  return { value: o, keepsId: true };
}

/** Deeper than Go's encoding/json allows (10,000); far deeper than Python's (~1,000), Jackson's (1,000), serde_json's (128). */
const MIN_DEPTH = 10_001;

/**
 * deep-nesting: a `nested` field (top level, beside the id) holding 10,001–11,000 levels, by
 * draw, of {"a":{"a":…{}}} (6 bytes a level) or [[…]] (2 bytes a level). Objects only when the
 * body still fits in maxBytes (so the target takes it and the consumer meets the depth). Built
 * by string repetition. JSON text; V8's JSON.parse (iterative) reads it, JSON.stringify of the
 * result throws RangeError (recursive).
 */
export function deepNesting(o: JsonObject, h: number, maxBytes: number): Poisoned {
  const depth = MIN_DEPTH + (draw(h, 1) % 1000);
  o[freshKey(o, 'nested')] = placeholder(0);
  const baseBytes = Buffer.byteLength(JSON.stringify(o)) - Buffer.byteLength(JSON.stringify(placeholder(0)));
  const objects = draw(h, 0) % 2 === 0 && baseBytes + 6 * depth - 4 <= maxBytes;
  const nested = objects
    ? '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1)
    : '['.repeat(depth) + ']'.repeat(depth);
  return { value: spliceRaw(o, [nested]), keepsId: true };
}

/** oversize: a `padding` field (ASCII 'x's) that makes the body exactly `target` bytes as JSON (or leaves it larger, if it already is). */
export function oversize(o: JsonObject, target: number): Poisoned {
  const key = freshKey(o, 'padding');
  o[key] = '';
  const bytes = Buffer.byteLength(JSON.stringify(o));
  o[key] = 'x'.repeat(Math.max(0, target - bytes));
  return { value: o, keepsId: true };
}

/** A string leaf (not the id) chosen by draw, or a new `note` field holding '' when there is none. */
export function someStringLeaf(o: JsonObject, idPath: Path | null, h: number): Path {
  const strings = fieldPaths(o, idPath, true).filter((p) => typeof getAt(o, p) === 'string');
  if (strings.length > 0) return pick(strings, 1, h, 10)[0];
  const key = freshKey(o, 'note');
  o[key] = '';
  return [key];
}

/** Names of time fields: ts, time, timestamp, date, datetime (any case); camelCase …At/…Time/…Timestamp/…Date/…Ts (sentAt, not format); snake_case …_at/…_time/…_ts/…_date. */
const TIME_NAMES = [/^(ts|time|timestamp|date|datetime)$/i, /[a-z0-9](At|Time|Timestamp|Date|Ts)$/, /_(at|time|ts|timestamp|date)$/i];
const isTimeName = (k: string): boolean => TIME_NAMES.some((r) => r.test(k));
/** The look of an ISO-8601 date-time: 2026-01-05T10:00 (or a space for the T). */
const ISO_LOOK = /^[+-]?\d{4,6}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/** Epoch numbers below this are seconds, above it milliseconds (1e11 s is year 5138; 1e11 ms is 1973). */
const SECONDS_BELOW = 1e11;
const YEAR_9999_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const YEAR_1960_MS = -315_619_200_000; // 1960-01-01T00:00:00.000Z
const BAD_ISO: readonly string[] = ['9999-12-31T23:59:59.999Z', '1969-12-31T23:59:59.999Z', '1960-01-01T00:00:00.000Z', '2026-02-30T25:61:00Z'];

/**
 * A bad time in the field's own form, by draw: 0 year 9999, 1 one unit before the epoch (-1),
 * 2 year 1960 (negative), 3 for a number the other unit (ms sent as seconds: 1970 again; seconds
 * as ms: year ~57,000), for text an impossible date (Feb 30th, 25:61).
 */
function badTime(v: Json, d: number): Json {
  if (typeof v !== 'number') return BAD_ISO[d];
  const seconds = Math.abs(v) < SECONDS_BELOW;
  const unit = seconds ? 1000 : 1;
  switch (d) {
    case 0: return Math.floor(YEAR_9999_MS / unit);
    case 1: return -1;
    case 2: return YEAR_1960_MS / unit;
    default: return seconds ? v * 1000 : Math.floor(v / 1000);
  }
}

/**
 * bad-timestamps: every leaf that looks like a time (a number or text under a time-like name,
 * or text that looks like ISO-8601; never the id) gets a bad time (see badTime), each its own by
 * draw. An object without one gets a `timestamp` field (epoch ms). It stays JSON.
 */
export function badTimestamps(o: JsonObject, idPath: Path | null, h: number): Poisoned {
  const times = fieldPaths(o, idPath, true).filter((p) => {
    const v = getAt(o, p);
    const named = isTimeName(p[p.length - 1]);
    return (typeof v === 'number' && named) || (typeof v === 'string' && (named || ISO_LOOK.test(v)));
  });
  if (times.length === 0) {
    o[freshKey(o, 'timestamp')] = badTime(Date.UTC(2026, 0, 1), draw(h, 20) % 4);
    return { value: o, keepsId: true };
  }
  times.forEach((p, i) => setAt(o, p, badTime(getAt(o, p)!, draw(h, 20 + i) % 4)));
  return { value: o, keepsId: true };
}
