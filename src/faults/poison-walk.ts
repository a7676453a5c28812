import { draw } from '../telemetry/hash.js';

/**
 * The JSON tree helpers of the poison mutations (poison-json.ts): a message's JSON view, its
 * leaves and fields as paths, deterministic picks among them, and raw text spliced into a JSON
 * document where JSON.stringify cannot write it (big literals, deep nesting, broken bytes).
 */

/** A value as JSON.parse gives it. */
export type Json = string | number | boolean | null | Json[] | JsonObject;
export type JsonObject = { [key: string]: Json };
/** Keys from the root; a digit string indexes a list. */
export type Path = readonly string[];

/** Leaves and fields deeper than this are not candidates (a guard against odd user objects). */
const MAX_DEPTH = 32;

export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What a JSON consumer reads of `shaped`: a fresh deep copy (toJSON applied, undefined and
 * functions dropped), so a mutation never reaches the caller's object. undefined when
 * JSON.stringify gives nothing (undefined, a function).
 */
export function jsonView(shaped: unknown): Json | undefined {
  const text = JSON.stringify(shaped);
  return text === undefined ? undefined : (JSON.parse(text) as Json);
}

export function getAt(root: Json, path: Path): Json | undefined {
  let v: Json | undefined = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, Json>)[k];
  }
  return v;
}

/** Sets the value at an existing path (the parent must exist). */
export function setAt(root: Json, path: Path, value: Json): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string, Json>;
  parent[path[path.length - 1]] = value;
}

export function deleteAt(root: Json, path: Path): void {
  const parent = getAt(root, path.slice(0, -1)) as Record<string, Json>;
  delete parent[path[path.length - 1]];
}

/** The id a JSON consumer reads at `idPath` (a string or a number); undefined when there is none or idPath is null. */
export function idAt(root: Json | undefined, idPath: Path | null): string | number | undefined {
  if (root === undefined || idPath === null || idPath.length === 0) return undefined;
  const v = getAt(root, idPath);
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

/** a is b, or one lies inside the other: changing a would change b. */
export function related(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The fields of an object tree, depth first in key order: every key of every nested object
 * (lists are not entered). `leavesOnly`: only those whose value is not an object (a primitive or
 * a list). Paths related to `idPath` (the id, the objects holding it) are left out.
 */
export function fieldPaths(root: JsonObject, idPath: Path | null, leavesOnly: boolean): Path[] {
  const out: Path[] = [];
  const visit = (o: JsonObject, at: string[]): void => {
    for (const k of Object.keys(o)) {
      const p = [...at, k];
      const v = o[k];
      const inner = isObject(v) && p.length < MAX_DEPTH;
      if ((!leavesOnly || !inner) && !(idPath && related(p, idPath))) out.push(p);
      if (inner) visit(v, p);
    }
  };
  visit(root, []);
  return out;
}

/**
 * Up to `count` distinct items of `items`, chosen by draws of `h` from `salt` on (a partial
 * Fisher–Yates shuffle of a copy), in the order chosen.
 */
export function pick<T>(items: readonly T[], count: number, h: number, salt: number): T[] {
  const a = [...items];
  const n = Math.min(count, a.length);
  for (let i = 0; i < n; i++) {
    const j = i + (draw(h, salt + i) % (a.length - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

/** `base`, or `base_2`, `base_3`, … : the first key `o` does not have yet. */
export function freshKey(o: JsonObject, base: string): string {
  if (!Object.hasOwn(o, base)) return base;
  let i = 2;
  while (Object.hasOwn(o, `${base}_${i}`)) i++;
  return `${base}_${i}`;
}

/**
 * A stand-in string for raw text: set it as a value, stringify, then `spliceRaw` swaps its JSON
 * form for the raw text. Private-use characters, which JSON.stringify writes as they are, keep it
 * apart from real message text.
 */
export const placeholder = (i: number): string => `\uE000rushhour-poison-${i}\uE000`;

/** JSON.stringify(root), then each placeholder(i) (quoted) replaced by raw[i]. */
export function spliceRaw(root: Json, raw: readonly string[]): string {
  let text = JSON.stringify(root);
  raw.forEach((r, i) => {
    text = text.split(JSON.stringify(placeholder(i))).join(r);
  });
  return text;
}
