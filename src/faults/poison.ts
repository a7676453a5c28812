import type { PoisonKind } from '../scenario/fault-schemas/poison-schema.js';
import { draw } from '../telemetry/hash.js';
import * as J from './poison-json.js';
import * as T from './poison-text.js';
import { getAt, idAt, isObject, jsonView, placeholder, setAt, type Json, type JsonObject } from './poison-walk.js';

/**
 * The poison mutations: a shaped message (before encoding, see MessageTransform) → a broken
 * message of a kind, as a real producer bug would make it. Pure and deterministic: the same
 * (kind, shaped, h, ctx) gives the same value, hence the same bytes; `shaped` is never changed
 * (an object is worked on as its JSON view, a deep copy). What each kind does:
 *   malformed-json        not JSON: unclosed + stray comma, single quotes, or two documents (T.malformedText)
 *   truncated             the JSON text cut after 1 .. length-1 chars (T.truncateText)
 *   wrong-types           1–3 leaves with another JSON type (J.wrongTypes)
 *   missing-fields        1–3 fields removed (J.missingFields)
 *   null-bytes            U+0000 inside a text value (escaped: still JSON), or 1–16 NULs after the document (nullBytes)
 *   invalid-utf8          one text value ends in broken UTF-8 bytes; text-only: a lone surrogate (invalidUtf8)
 *   huge-numbers          1–3 numbers "Infinity"/"NaN"/2^64+1/1e400 (J.hugeNumbers)
 *   bad-timestamps        time fields in year 9999, before 1970 or in the other unit (J.badTimestamps)
 *   deep-nesting          a `nested` field 10,001+ levels deep (J.deepNesting)
 *   oversize              a `padding` field: maxBytes + 1 .. + 1024 bytes in all (J.oversize)
 *   wrong-schema-version  schemaVersion 99, 0 or "2" (J.wrongSchemaVersion)
 * A text or bytes from a user's hook (or a JSON root that is not an object): see poisonText.
 */

export interface PoisonContext {
  /** The target's largest message, bytes: 'oversize' makes it maxBytes + 1 .. maxBytes + 1024. */
  maxBytes: number;
  /**
   * The target carries only text (SQS: Unicode without U+0000 or lone surrogates): poison stays a
   * JS string that encodes as valid UTF-8 — no raw NUL, no bytes.
   */
  textOnly: boolean;
  /** Where the shaped object keeps the message id (a dotted path, split); null when unknown. */
  idPath: readonly string[] | null;
}

export interface Poisoned {
  /** What to encode: a string or a Uint8Array (sent as it is) or an object (JSON.stringify). */
  value: unknown;
  /**
   * A JSON consumer still reads the message id at idPath from the encoded body (bytes decoded
   * leniently, as Node's Buffer#toString does). Always false when idPath is null.
   */
  keepsId: boolean;
}

/**
 * Kinds whose poison keeps the id for every object-shaped message that has its id at idPath and
 * one field besides it (and besides the objects holding it): the consumer can trace those to the
 * output or the DLQ. null-bytes keeps it in one variant of two (text-only targets: always);
 * malformed-json and truncated never do. Per message, Poisoned.keepsId is what counts.
 */
export function keepsIdAlways(kind: PoisonKind): boolean {
  return kind !== 'malformed-json' && kind !== 'truncated' && kind !== 'null-bytes';
}

/** The message `shaped` as poison of `kind`; `h` is the message's 32-bit hash, every choice is drawn from it. */
export function poison(kind: PoisonKind, shaped: unknown, h: number, ctx: PoisonContext): Poisoned {
  if (typeof shaped === 'string' || shaped instanceof Uint8Array) return poisonText(kind, shaped, h, ctx);
  const o = jsonView(shaped);
  if (!isObject(o)) return poisonText(kind, o === undefined ? '' : JSON.stringify(o), h, ctx);
  const hasId = idAt(o, ctx.idPath) !== undefined;
  const out = poisonObject(kind, o, h, ctx);
  return { value: out.value, keepsId: out.keepsId && hasId };
}

/** `o` is the message's private JSON view: the mutations may change it in place. */
function poisonObject(kind: PoisonKind, o: JsonObject, h: number, ctx: PoisonContext): Poisoned {
  switch (kind) {
    case 'malformed-json': return { value: T.malformedText(JSON.stringify(o), h), keepsId: false };
    case 'truncated': return { value: T.truncateText(JSON.stringify(o), h, false), keepsId: false };
    case 'wrong-types': return J.wrongTypes(o, ctx.idPath, h);
    case 'missing-fields': return J.missingFields(o, ctx.idPath, h);
    case 'null-bytes': return nullBytes(o, h, ctx);
    case 'invalid-utf8': return invalidUtf8(o, h, ctx);
    case 'huge-numbers': return J.hugeNumbers(o, ctx.idPath, h);
    case 'bad-timestamps': return J.badTimestamps(o, ctx.idPath, h);
    case 'deep-nesting': return J.deepNesting(o, h, ctx.maxBytes);
    case 'oversize': return J.oversize(o, T.oversizeTarget(ctx.maxBytes, h));
    case 'wrong-schema-version': return J.wrongSchemaVersion(o, h);
  }
}

/**
 * null-bytes, by draw: 0 a U+0000 inserted into one text value (not the id) — JSON.stringify
 * writes it as the escape \u0000, so the body still parses (keepsId true) but breaks consumers
 * that hand the text to C or Postgres; 1 the JSON text followed by 1–16 raw NULs, so it does not
 * parse (keepsId false). Text-only targets always get 0 (SQS refuses a raw U+0000).
 */
function nullBytes(o: JsonObject, h: number, ctx: PoisonContext): Poisoned {
  if (!ctx.textOnly && draw(h, 0) % 2 === 1) return { value: T.trailingNuls(JSON.stringify(o), h), keepsId: false };
  const p = J.someStringLeaf(o, ctx.idPath, h);
  setAt(o, p, T.insertAt(getAt(o, p) as string, '\0', h, 1, false));
  return { value: o, keepsId: true };
}

/**
 * invalid-utf8 on one text value (not the id; a `note` field when there is none):
 * - bytes: the value's bytes end in one of T.BAD_UTF8 (e.g. C3 28, FF); the rest is valid JSON.
 *   A strict decoder (TextDecoder fatal) rejects the whole body; a lenient one reads U+FFFD and
 *   parses it, id included (keepsId true).
 * - text-only: a JS string cannot hold bad bytes; the value gets a lone surrogate U+D800, which
 *   JSON.stringify writes as the ASCII escape \ud800 — valid UTF-8 on the wire (SQS takes it),
 *   but an unpaired surrogate once parsed: serde_json rejects it, Go reads U+FFFD, JS keeps an
 *   ill-formed string. keepsId true. (A raw lone surrogate would be encoded as EF BF BD, U+FFFD.)
 */
function invalidUtf8(o: JsonObject, h: number, ctx: PoisonContext): Poisoned {
  const p = J.someStringLeaf(o, ctx.idPath, h);
  const s = getAt(o, p) as string;
  if (ctx.textOnly) {
    setAt(o, p, T.insertAt(s, '\uD800', h, 1, false));
    return { value: o, keepsId: true };
  }
  setAt(o, p, placeholder(0));
  const [before, after] = JSON.stringify(o).split(JSON.stringify(placeholder(0)));
  const open = T.toBinary(T.utf8Bytes(`${before}${JSON.stringify(s).slice(0, -1)}`));
  const close = T.toBinary(T.utf8Bytes(`"${after}`));
  return { value: T.fromBinary(open + T.badUtf8(h) + close), keepsId: true };
}

/**
 * A text or bytes (a user's hook returned them), or the JSON text of a root that is not an
 * object, stays text (or bytes, as given) and gets what still makes sense of a text:
 *   truncated      cut (bytes: at a byte position)
 *   null-bytes     a raw NUL inserted, or 1–16 NULs appended, by draw (not JSON any more);
 *                  text-only targets: malformed-json instead (SQS refuses U+0000)
 *   invalid-utf8   one of T.BAD_UTF8 inserted (bytes out, also for a text in); text-only: U+FFFD
 *                  inserted, the nearest a valid text comes (what a lenient decoder leaves)
 *   oversize       spaces appended to the target size (trailing whitespace: JSON stays JSON)
 *   anything else  malformed-json of the text
 * keepsId: whether the result, parsed as JSON (bytes decoded leniently), has the text's id,
 * unchanged, at idPath (computed for invalid-utf8 and oversize; false for the others, which
 * never parse).
 */
function poisonText(kind: PoisonKind, shaped: string | Uint8Array, h: number, ctx: PoisonContext): Poisoned {
  const binary = shaped instanceof Uint8Array;
  const s = binary ? T.toBinary(shaped) : shaped;
  const back = (t: string): string | Uint8Array => (binary ? T.fromBinary(t) : t);
  const idOf = (body: string | Uint8Array) => idAt(T.parseLenient(body) as Json | undefined, ctx.idPath);
  const id = kind === 'invalid-utf8' || kind === 'oversize' ? idOf(shaped) : undefined;
  const hasId = (body: string | Uint8Array): boolean => id !== undefined && idOf(body) === id;
  switch (kind) {
    case 'truncated':
      return { value: back(T.truncateText(s, h, binary)), keepsId: false };
    case 'null-bytes':
      if (ctx.textOnly) break;
      return { value: back(draw(h, 0) % 2 === 0 ? T.insertAt(s, '\0', h, 1, binary) : T.trailingNuls(s, h)), keepsId: false };
    case 'invalid-utf8': {
      const value = ctx.textOnly
        ? back(T.insertAt(s, binary ? '\xEF\xBF\xBD' : '\uFFFD', h, 1, binary))
        : T.fromBinary(T.insertAt(binary ? s : T.toBinary(T.utf8Bytes(s)), T.badUtf8(h), h, 1, true));
      return { value, keepsId: hasId(value) };
    }
    case 'oversize': {
      const padded = T.padText(s, binary ? s.length : T.utf8Length(s), T.oversizeTarget(ctx.maxBytes, h));
      return { value: back(padded), keepsId: hasId(shaped) };
    }
    default:
      break;
  }
  return { value: back(T.malformedText(s, h)), keepsId: false };
}
