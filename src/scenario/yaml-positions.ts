import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';

/**
 * Maps a field path (`['phases', 2, 'rate']`) to a 1-based line and column in the YAML source,
 * so errors can point at the offending text. When the path does not exist in the file (a
 * required key is missing), the position is that of the nearest existing parent.
 */

export interface SourcePosition {
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
}

type AnyNode = unknown;

/** `{ line, col }` of a character offset in the source. */
export function positionAt(lineCounter: LineCounter, offset: number): SourcePosition {
  const { line, col } = lineCounter.linePos(offset);
  return { line, col };
}

function startOf(node: AnyNode): number | undefined {
  const range = (node as { range?: [number, number, number] } | null)?.range;
  return range ? range[0] : undefined;
}

function deref(doc: Document, node: AnyNode): AnyNode {
  // An alias points at its anchor's node; follow it so a path can go through `*name`.
  return isAlias(node) ? node.resolve(doc) : node;
}

function keyMatches(key: AnyNode, segment: PropertyKey): boolean {
  const value = isScalar(key) ? key.value : key;
  return String(value) === String(segment);
}

/** One step down: the child node (and, in a mapping, its key node) for `segment`. */
function child(node: AnyNode, segment: PropertyKey): { value: AnyNode; key?: AnyNode } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && keyMatches(p.key, segment));
    return pair ? { value: pair.value, key: pair.key } : undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment];
    return item === undefined ? undefined : { value: item };
  }
  return undefined;
}

function isEmptyValue(node: AnyNode): boolean {
  if (node === null || node === undefined) return true;
  // `rate:` with nothing after it: a null scalar with no source text of its own.
  return isScalar(node) && node.value === null && (node.source === undefined || node.source === '');
}

/**
 * Where `path` is in the document. `pointAt: 'key'` points at the key of the last step (used for
 * unknown keys); otherwise at the value, or at the key when the value is empty.
 */
export function locatePath(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
  pointAt: 'key' | 'value' = 'value',
): SourcePosition {
  let node: AnyNode = doc.contents;
  let offset = startOf(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const next = child(deref(doc, node), path[i]);
    if (!next) break;
    const last = i === path.length - 1;
    const useKey = next.key !== undefined && ((last && pointAt === 'key') || isEmptyValue(next.value));
    offset = (useKey ? startOf(next.key) : startOf(next.value)) ?? startOf(next.key) ?? offset;
    node = next.value;
  }
  return positionAt(lineCounter, offset);
}
