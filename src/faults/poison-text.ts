import { draw } from '../telemetry/hash.js';

/**
 * The poison mutations that work on a message's text: on the JSON text of an object, or on a
 * text or bytes a user's hook returned. Bytes are handled as "binary strings" (one char per
 * byte, latin1), so every operation here works on both and cuts or inserts at byte positions.
 * All choices come from draws of the message hash `h` (never `h` itself: the fault picks the
 * kind by `h % kinds`, and a variant chosen the same way would follow the kind).
 */

const encoder = new TextEncoder();
const lenient = new TextDecoder('utf-8');

export const utf8Bytes = (s: string): Uint8Array => encoder.encode(s);
export const utf8Length = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Bytes → one char per byte (U+0000..U+00FF). */
export const toBinary = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
/** One char per byte → the bytes. */
export const fromBinary = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** Text as decoded by a consumer that replaces broken sequences with U+FFFD (as Node's Buffer#toString does). */
export const decodeLenient = (b: Uint8Array): string => lenient.decode(b);

/**
 * Byte sequences no UTF-8 decoder accepts, each a real encoder bug: C3 28 (a 2-byte lead
 * without its continuation), FF (never in UTF-8), ED A0 80 (the surrogate U+D800 encoded, as
 * CESU-8 / Java's modified UTF-8 do), C0 AF (an overlong '/'), E9 (é written in Latin-1).
 */
export const BAD_UTF8: readonly string[] = ['\xC3\x28', '\xFF', '\xED\xA0\x80', '\xC0\xAF', '\xE9'];

/**
 * Text that is not JSON, three producer bugs (by draw): 0 the document left unclosed with a stray
 * comma (`{"a":1,`: its last `}`/`]` dropped, a comma added), 1 single quotes for double quotes
 * (Python's str(dict)), 2 two documents back to back without a separator (`{…}{…}`: a buffer
 * flushed twice). 1 and 2 need text starting with `{"`/`["` resp. `{`/`[`, else 0 is used.
 * Never parses: 0 ends with a comma; 1 starts `{'`; 2 has a second value after the first.
 */
export function malformedText(s: string, h: number): string {
  const v = draw(h, 0) % 3;
  if (v === 1 && /^[[{]"/.test(s)) return s.replaceAll('"', "'");
  if (v === 2 && /^[[{]/.test(s)) return s + s;
  return (/[}\]]$/.test(s) ? s.slice(0, -1) : s) + ',';
}

/**
 * The text cut after 1 .. length-1 chars (bytes, for a binary string), by draw: the end of a
 * body lost to a size limit or a short write. A JS text is not cut inside a surrogate pair.
 * A proper prefix of a JSON object or list never parses; of other text it may.
 */
export function truncateText(s: string, h: number, binary: boolean): string {
  if (s.length < 2) return '';
  let cut = 1 + (draw(h, 1) % (s.length - 1));
  const c = s.charCodeAt(cut - 1);
  if (!binary && c >= 0xd800 && c <= 0xdbff) cut--;
  return s.slice(0, cut);
}

/**
 * 1–16 NUL characters after the document: a C string sent with its terminator, a fixed-size
 * record padded with zeros. A raw NUL is not JSON whitespace, so it no longer parses.
 */
export function trailingNuls(s: string, h: number): string {
  return s + '\0'.repeat(1 + (draw(h, 3) % 16));
}

/** `ins` inserted at a position 0..length chosen by draw `j`; a JS text is not split inside a surrogate pair. */
export function insertAt(s: string, ins: string, h: number, j: number, binary: boolean): string {
  let at = draw(h, j) % (s.length + 1);
  const c = s.charCodeAt(at - 1);
  if (!binary && at > 0 && c >= 0xd800 && c <= 0xdbff) at--;
  return s.slice(0, at) + ins + s.slice(at);
}

/** One of BAD_UTF8, by draw. */
export const badUtf8 = (h: number): string => BAD_UTF8[draw(h, 4) % BAD_UTF8.length];

/** The text padded with spaces (JSON allows trailing whitespace) to `target` bytes; `bytes` is its size now. */
export function padText(s: string, bytes: number, target: number): string {
  return bytes >= target ? s : s + ' '.repeat(target - bytes);
}

/** The size an 'oversize' poison makes a message: maxBytes + 1 .. maxBytes + 1024 bytes, by draw. */
export const oversizeTarget = (maxBytes: number, h: number): number => maxBytes + 1 + (draw(h, 5) % 1024);

/** The body as a JSON consumer parses it (bytes decoded leniently); undefined when it does not parse. */
export function parseLenient(body: string | Uint8Array): unknown {
  try {
    return JSON.parse(typeof body === 'string' ? body : decodeLenient(body)) as unknown;
  } catch {
    return undefined;
  }
}
