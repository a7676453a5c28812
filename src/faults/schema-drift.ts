import { describeDriftOp, type DriftOp, type FieldPath, type JsonValue } from '../scenario/fault-schemas/drift-schema.js';
import { SKIP, typeConversion, unitConversion, type Convert } from './drift-values.js';

/**
 * The `schema-drift` fault's transform: a shaped message (src/telemetry/message-source.ts) →
 * the same message in the drifted schema, the operations applied in order.
 *
 * Contract:
 * - Pure and deterministic: the output depends only on the operations and the input.
 * - Never changes its input. It copies only the objects and lists on the paths it changes and
 *   shares the rest with the input (structural sharing): `position` is copied when a field of
 *   it is renamed, `engine` stays the input's own object. Each object is copied at most once a
 *   message, however many operations touch it. When no operation applied, the input itself is
 *   returned.
 * - Only plain objects (prototype Object.prototype or null) and arrays are walked into; a digit
 *   key indexes a list. Text or bytes (a user's hook may return those) are returned as they are.
 * - Per operation it counts each message once, as one of:
 *     applied  the message changed (or already had the value written);
 *     missing  the field (rename: `from`) is not in the message, or the message is no object;
 *     skipped  the field is there but the operation cannot act: a value the type or unit change
 *              does not take (text for a unit change), or a destination (add, rename's `to`) that
 *              runs through a value that is no object or list, or past a list's end.
 * - Lists: removing an item shifts the items after it; add and rename may write at index
 *   length (append). Objects created on the way (add, rename's `to`) are plain objects.
 * - The values `add` writes are frozen and shared by every message.
 */

/** Per operation, in the order they apply: its description and how it fared. */
export interface DriftOpStats {
  op: string;
  applied: number;
  missing: number;
  skipped: number;
}

export interface CompiledDrift {
  /** A MessageTransform: the drifted copy of `shaped` (see the contract above). */
  apply(shaped: unknown): unknown;
  /** The counts so far, a fresh array each call. */
  stats(): DriftOpStats[];
}

type Container = Record<string, unknown> | unknown[];
const MISSING: unique symbol = Symbol('missing');
const SKIPPED: unique symbol = Symbol('skipped');
const ABSENT: unique symbol = Symbol('absent');
type Miss = typeof MISSING | typeof SKIPPED;

/** One message's work: the root so far and the containers copied for it (theirs to change). */
interface Work {
  root: Container;
  owned: object[];
}

/** Leaf step on the container holding the field: the changed container, or why not. */
type Leaf = (w: Work, node: Container, key: string) => Container | Miss;
/** One compiled operation: changes `w.root`, or says why not. */
type Step = (w: Work) => true | Miss;

function isContainer(v: unknown): v is Container {
  if (Array.isArray(v)) return true;
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A list index written as canonical digits (`0`, `12`; not `01`), else -1. */
function indexOf(key: string): number {
  const n = Number(key);
  return Number.isSafeInteger(n) && n >= 0 && String(n) === key ? n : -1;
}

function childOf(node: Container, key: string): unknown {
  if (Array.isArray(node)) {
    const i = indexOf(key);
    return i >= 0 && i < node.length ? node[i] : ABSENT;
  }
  return Object.hasOwn(node, key) ? node[key] : ABSENT;
}

/** `node` with `key` set to `value`: in place when this message owns it, else on a copy. */
function withChild(w: Work, node: Container, key: string, value: unknown): Container {
  const out = w.owned.includes(node) ? node : Array.isArray(node) ? node.slice() : { ...node };
  if (out !== node) w.owned.push(out);
  if (Array.isArray(out)) out[indexOf(key)] = value;
  else out[key] = value;
  return out;
}

/** A copy of `node` without `key` (a list item is spliced out). Assumes the key is there. */
function withoutChild(w: Work, node: Container, key: string): Container {
  let out: Container;
  if (Array.isArray(node)) {
    out = node.slice();
    out.splice(indexOf(key), 1);
  } else {
    out = {};
    for (const k of Object.keys(node)) if (k !== key) out[k] = node[k];
  }
  w.owned.push(out);
  return out;
}

/**
 * Walks `path` from `node` and runs `leaf` on the container of its last key, copying the
 * containers on the way (once a message). `create`: missing containers on the way are made
 * (and a way blocked by another value is SKIPPED); without it, a missing way is MISSING.
 */
function updateIn(w: Work, node: Container, path: FieldPath, i: number, leaf: Leaf, create: boolean): Container | Miss {
  const key = path[i];
  if (i === path.length - 1) return leaf(w, node, key);
  let child = childOf(node, key);
  const made = child === ABSENT;
  if (made) {
    if (!create || (Array.isArray(node) && indexOf(key) !== node.length)) return create ? SKIPPED : MISSING;
    child = {};
    w.owned.push(child as object);
  } else if (!isContainer(child)) {
    return create ? SKIPPED : MISSING;
  }
  const r = updateIn(w, child as Container, path, i + 1, leaf, create);
  if (r === MISSING || r === SKIPPED) return r;
  // The same child: unchanged, or owned and changed in place (already linked), unless just made.
  return r === child && !made ? node : withChild(w, node, key, r);
}

const remove: Leaf = (w, node, key) => (childOf(node, key) === ABSENT ? MISSING : withoutChild(w, node, key));

/** Writes `value` at the key, there or not (a list: an index up to its length). */
const put = (value: unknown): Leaf => (w, node, key) => {
  if (Array.isArray(node) && (indexOf(key) < 0 || indexOf(key) > node.length)) return SKIPPED;
  return withChild(w, node, key, value);
};

/** Replaces the value at the key with `convert(value)`; MISSING when absent, SKIPPED on SKIP. */
const replace = (convert: Convert): Leaf => (w, node, key) => {
  const v = childOf(node, key);
  if (v === ABSENT) return MISSING;
  const out = convert(v);
  if (out === SKIP) return SKIPPED;
  return out === v ? node : withChild(w, node, key, out);
};

function lookup(root: Container, path: FieldPath): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (!isContainer(cur)) return ABSENT;
    cur = childOf(cur, key);
    if (cur === ABSENT) return ABSENT;
  }
  return cur;
}

/** A step that runs one walk and keeps its result. */
const walk = (path: FieldPath, leaf: Leaf, create: boolean): Step => (w) => {
  const r = updateIn(w, w.root, path, 0, leaf, create);
  if (r === MISSING || r === SKIPPED) return r;
  w.root = r;
  return true;
};

/**
 * Rename: read `from`, write `to` first (so a removal that shifts a list cannot move the
 * destination), then remove `from`. The schema keeps either path from lying inside the other.
 */
const rename = (from: FieldPath, to: FieldPath): Step => (w) => {
  const v = lookup(w.root, from);
  if (v === ABSENT) return MISSING;
  const written = updateIn(w, w.root, to, 0, put(v), true);
  if (written === MISSING || written === SKIPPED) return written;
  const removed = updateIn(w, written, from, 0, remove, false);
  w.root = removed === MISSING || removed === SKIPPED ? written : removed;
  return true;
};

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null) {
    for (const child of Object.values(v)) deepFreeze(child);
    Object.freeze(v);
  }
  return v;
}

function compileStep(op: DriftOp): Step {
  switch (op.op) {
    case 'rename':
      return rename(op.from, op.to);
    case 'remove':
      return walk(op.field, remove, false);
    case 'type':
      return walk(op.field, replace(typeConversion(op.to)), false);
    case 'unit':
      return walk(op.field, replace(unitConversion(op.to)), false);
    case 'add':
      return walk(op.field, put(deepFreeze(structuredClone(op.value) as JsonValue)), true);
    case 'schemaVersion': {
      const value = op.value;
      return walk(op.field, replace(() => value), false);
    }
  }
}

/**
 * Compiles the operations once; `apply` then drifts one message (a few operations: on the order
 * of a microsecond, mostly the copies of the objects on the changed paths). The only state is
 * the counters.
 */
export function compileDrift(ops: readonly DriftOp[]): CompiledDrift {
  const steps = ops.map(compileStep);
  const applied = new Array<number>(ops.length).fill(0);
  const missing = new Array<number>(ops.length).fill(0);
  const skipped = new Array<number>(ops.length).fill(0);
  return {
    apply(shaped) {
      if (!isContainer(shaped)) {
        for (let i = 0; i < steps.length; i++) missing[i]++;
        return shaped;
      }
      const w: Work = { root: shaped, owned: [] };
      for (let i = 0; i < steps.length; i++) {
        const r = steps[i](w);
        if (r === true) applied[i]++;
        else if (r === MISSING) missing[i]++;
        else skipped[i]++;
      }
      return w.root;
    },
    stats: () => ops.map((op, i) => ({ op: describeDriftOp(op), applied: applied[i], missing: missing[i], skipped: skipped[i] })),
  };
}

/**
 * Whether a drift would typically pass a schema check of the old schema unnoticed — the run
 * flags those as "accepted silently" when the pipeline took the drifted messages. The rule:
 * silent when every message that passed the old schema's checks (field names, required fields,
 * JSON types, the version) still passes them.
 * - unit: silent. The value stays a number of a plausible size; only its meaning changed.
 * - add: silent. Most checks accept a field they do not know (JSON Schema's additionalProperties
 *   and zod's object default); a strict schema that refuses extra fields would notice.
 * - rename, remove: not silent. A required field goes missing.
 * - type: not silent. The JSON type changes (a number field becomes text, or back).
 * - schemaVersion: not silent. The version field is what a schema check reads first.
 */
export function isSilentDrift(op: DriftOp): boolean {
  return op.op === 'unit' || op.op === 'add';
}
