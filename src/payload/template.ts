import type { MessageKind } from '../telemetry/types.js';
import { FILTERS, parseFilter, type Filter } from './filters.js';
import { generateShape } from './template-codegen.js';

/**
 * A payload template: the user's message shape, written as YAML in the scenario, compiled ONCE
 * into a function from the fleet's message object to the user's object (never interpreted per
 * message). A string value may hold placeholders `{{path | filter | filter(n)}}`:
 * - a value that is exactly one placeholder keeps the field's type (a number stays a number);
 * - text around placeholders makes a string; other values (numbers, booleans, null) and text
 *   without placeholders stay literals; mappings and lists are shaped field by field;
 * - a field the message's kind does not have gives null (alone) or an empty text (in a string).
 */

/** The fields of the fleet's message, by path: the header, then each kind's own (telemetry/payload.ts). */
export const MESSAGE_FIELDS: Readonly<Record<string, readonly MessageKind[] | 'all'>> = {
  messageId: 'all', vehicleId: 'all', seq: 'all', sentAt: 'all', schemaVersion: 'all', kind: 'all', fleetId: 'all', tenantId: 'all',
  'position.lat': ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence'],
  'position.lon': ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence'],
  'position.speedKmh': ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence'],
  'position.headingDeg': ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence'],
  position: ['telemetry', 'trip_start', 'trip_end', 'harsh_braking', 'geofence'],
  'engine.rpm': ['telemetry'], 'engine.coolantC': ['telemetry'], 'engine.fuelPct': ['telemetry'], 'engine.odometerKm': ['telemetry'], engine: ['telemetry'],
  tripId: ['trip_start', 'trip_end'],
  decelMps2: ['harsh_braking'],
  geofenceId: ['geofence'], event: ['geofence'],
  dtcCodes: ['diagnostic'], dump: ['diagnostic'],
};

/** A problem in a template: where (a path inside the template) and what. */
export interface TemplateProblem {
  path: (string | number)[];
  message: string;
}

export type Shape = (msg: object) => unknown;

export const PLACEHOLDER = /\{\{([^}]*)\}\}/g;
export const ONLY_PLACEHOLDER = /^\{\{([^}]*)\}\}$/;

/**
 * Compiles a template; every problem is collected (none thrown). The shape is generated as one
 * JavaScript function (template-codegen.ts) whose object literals have the template's keys: it
 * builds the user's object about as fast as hand-written code would.
 */
export function compileTemplate(template: unknown): { shape?: Shape; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const shape = generateShape(template, problems);
  return problems.length > 0 ? { problems } : { shape, problems };
}

/** A compiled text template: `render` gives the text for one message; `constant` when it has no placeholder. */
export interface TextTemplate {
  render: (msg: object) => string;
  constant: boolean;
  /** The field paths its placeholders read, in order. */
  fields: string[];
}

/**
 * Compiles a text with placeholders — a URL path, a header value, a partition key — once.
 * `literal` maps the text between placeholders once, at compile time (e.g. resolving `${ENV}`
 * references, which are never read from a message); `encode` maps each placeholder's value per
 * message (e.g. percent-encoding in a URL path). A missing field renders as empty text.
 */
export function compileText(text: string, opts: { literal?: (s: string) => string; encode?: (s: string) => string } = {}): { template?: TextTemplate; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const literal = opts.literal ?? ((x: string) => x);
  const encode = opts.encode;
  const parts: (string | ((m: object) => unknown))[] = [];
  const fields: string[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(literal(text.slice(last, match.index)));
    parts.push(compilePlaceholder(match[1], [], problems));
    fields.push(match[1].split('|')[0].trim());
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(literal(text.slice(last)));
  if (problems.length > 0) return { problems };
  if (fields.length === 0) {
    const fixed = parts.join('');
    return { template: { render: () => fixed, constant: true, fields }, problems };
  }
  const render = (m: object): string => {
    let s = '';
    for (const p of parts) s += typeof p === 'string' ? p : encode ? encode(stringOf(p(m))) : stringOf(p(m));
    return s;
  };
  return { template: { render, constant: false, fields }, problems };
}

/** The message fields a text's placeholders name (without checking them), e.g. for "no placeholders here" checks. */
export function placeholdersIn(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1].split('|')[0].trim());
}

/** A placeholder parsed: the field's keys (`position.lat` → position, lat) and its filters; problems collected. */
export function parsePlaceholder(expr: string, path: (string | number)[], problems: TemplateProblem[]): { keys: string[]; filters: Filter[] } | undefined {
  const [field, ...filterTexts] = expr.split('|').map((s) => s.trim());
  if (!(field in MESSAGE_FIELDS)) {
    problems.push({ path, message: `unknown field "${field}" in {{${expr.trim()}}}; expected one of ${Object.keys(MESSAGE_FIELDS).join(', ')}` });
    return undefined;
  }
  const filters: Filter[] = [];
  for (const f of filterTexts) {
    const parsed = parseFilter(f);
    if (typeof parsed === 'string') problems.push({ path, message: `${parsed} in {{${expr.trim()}}}; filters: ${Object.keys(FILTERS).join(', ')}` });
    else filters.push(parsed);
  }
  return { keys: field.split('.'), filters };
}

/** `position.speedKmh | mph | round(1)` → a getter with its filters applied. */
function compilePlaceholder(expr: string, path: (string | number)[], problems: TemplateProblem[]): (m: object) => unknown {
  const p = parsePlaceholder(expr, path, problems);
  if (!p) return () => undefined;
  const { keys, filters } = p;
  const get = keys.length === 1 ? (m: object) => (m as Record<string, unknown>)[keys[0]] : (m: object) => dig(m, keys);
  if (filters.length === 0) return get;
  return (m) => {
    let v = get(m);
    for (const f of filters) v = v === undefined || v === null ? v : f(v);
    return v;
  };
}

function dig(m: object, keys: string[]): unknown {
  let cur: unknown = m;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** A value inside a text: nothing for a missing one, JSON for objects and lists. */
export function stringOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
