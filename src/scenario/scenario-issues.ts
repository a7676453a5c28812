import { maskUrl } from '../targets/mask.js';
import type { z } from 'zod';

/**
 * Turns zod issues into problems a person can act on: a field path, what was expected, and the
 * value found. zod's own wording and structure (unions, key lists) never reach the user.
 */

export interface Problem {
  /** Field path from the top of the file, e.g. `['phases', 2, 'rate']`; empty for the top level. */
  path: PropertyKey[];
  /** Says what was expected (and, for `quoted` problems, also what was found). */
  message: string;
  /** Point at the key rather than the value (unknown keys). */
  atKey?: boolean;
  /** The message already names the value; do not append it. */
  quoted?: boolean;
}

type Issue = z.core.$ZodIssue;
type RawIssue = z.core.$ZodRawIssue;

const TYPE_WORDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'a mapping (key: value lines)',
  array: 'a list',
};

function shapeKeys(iss: RawIssue): string[] {
  const def = (iss.inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def;
  return def?.shape ? Object.keys(def.shape) : [];
}

function bound(iss: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, small: boolean): string {
  const n = String(small ? iss.minimum : iss.maximum);
  if (iss.origin === 'array') return `expected ${small ? 'at least' : 'at most'} ${n} item${n === '1' ? '' : 's'}`;
  if (iss.origin === 'string') return small && n === '1' ? 'expected non-empty text' : `expected ${small ? 'at least' : 'at most'} ${n} characters`;
  if (iss.inclusive === false) return `expected ${small ? 'more' : 'less'} than ${n}`;
  return `expected ${small ? 'at least' : 'at most'} ${n}`;
}

/**
 * Per-parse error map: the wording of every issue a schema does not word itself. For unknown keys
 * the message is the comma-separated list of allowed keys (see problemsFromIssues).
 */
export function scenarioErrorMap(iss: RawIssue): string | undefined {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${TYPE_WORDS[iss.expected] ?? iss.expected}`;
    case 'too_small':
      return bound(iss, true);
    case 'too_big':
      return bound(iss, false);
    case 'invalid_value':
      return `expected ${iss.values.length === 1 ? '' : 'one of '}${iss.values.map((v) => String(v)).join(', ')}`;
    case 'unrecognized_keys':
      return shapeKeys(iss).join(', ');
    case 'invalid_union':
      if (iss.note === 'No matching discriminator') return `expected one of ${((iss.options ?? []) as unknown[]).map(String).join(', ')}`;
      return 'expected one of the documented forms of this field';
    case 'invalid_key':
      return 'expected a valid key';
    case 'invalid_format':
      return iss.pattern ? `expected text matching ${String(iss.pattern)}` : `expected ${iss.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${String(iss.divisor)}`;
    default:
      return undefined;
  }
}

/** Edit distance, for "did you mean". Small inputs only (key names). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

function unknownKeyMessage(key: string, allowedList: string): string {
  const allowed = allowedList ? allowedList.split(', ') : [];
  const best = allowed.map((k) => ({ k, d: distance(key, k) })).sort((x, y) => x.d - y.d)[0];
  const guess = best && best.d <= Math.max(1, Math.floor(best.k.length / 3)) ? ` (did you mean "${best.k}"?)` : '';
  const expected = allowed.length ? `; expected one of ${allowed.join(', ')}` : '';
  return `unknown key ${JSON.stringify(key)}${guess}${expected}`;
}

/** A union branch is a candidate when the value had its shape (no type mismatch at the branch's root). */
function viableBranches(branches: Issue[][]): Issue[][] {
  return branches.filter((b) => !b.some((i) => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value')));
}

function toProblems(issue: Issue, prefix: PropertyKey[]): Problem[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // Report the branch the value was evidently meant for (e.g. the `http:` mapping of a target).
    const viable = viableBranches(issue.errors);
    if (viable.length === 1) return viable[0].flatMap((i) => toProblems(i, path));
  }
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => ({ path: [...path, k], message: unknownKeyMessage(k, issue.message), atKey: true, quoted: true }));
  }
  if (issue.code === 'invalid_key') {
    // A bad key in a record (e.g. a header name): point at the key and show it.
    const key = path[path.length - 1];
    const inner = issue.issues[0]?.message ?? 'expected a valid key';
    return [{ path, message: `${inner}, got ${JSON.stringify(String(key))}`, atKey: true, quoted: true }];
  }
  const quoted = issue.code === 'custom' && (issue.params as { quoted?: boolean } | undefined)?.quoted === true;
  return [{ path, message: issue.message, quoted }];
}

/** Problems in the order zod found them (the loader sorts them by position). */
export function problemsFromIssues(issues: readonly Issue[]): Problem[] {
  return issues.flatMap((i) => toProblems(i, []));
}

/** `phases[2].rate`; `target.http.headers["X Y"]`; `(top level)` for the root. */
export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((seg, i) => {
      if (typeof seg === 'number') return `[${seg}]`;
      const s = String(seg);
      if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(s)) return i === 0 ? s : `.${s}`;
      return `[${JSON.stringify(s)}]`;
    })
    .join('');
}

/** The value at `path` in the parsed data, and whether the last key exists at all. */
export function valueAt(root: unknown, path: readonly PropertyKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, seg)) return { found: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return { found: true, value: cur };
}

/** A short description of a value for "got …": `"fast"`, `-5`, `a list`, `an empty value`. */
export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'an empty value';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') {
    const s = JSON.stringify(v);
    return s.length > 62 ? `${s.slice(0, 58)}…" (${v.length} characters)` : s;
  }
  return String(v);
}

/** The problem's text after the path: the message plus what was found (or that the key is missing). */
export function problemText(p: Problem, root: unknown): string {
  if (p.quoted) return p.message;
  const { found, value } = valueAt(root, p.path);
  if (!found) return p.path.length === 0 ? p.message : `missing; ${p.message}`;
  return `${p.message}, got ${shownValue(p.path, value)}`;
}

/** What an error may show of a value: never a header value, and a URL with its secrets masked. */
function shownValue(path: readonly PropertyKey[], value: unknown): string {
  if (path.includes('headers') && typeof value === 'string') return 'a value that is not shown (header values are never printed)';
  return describeValue(typeof value === 'string' ? maskUrl(value) : value);
}
