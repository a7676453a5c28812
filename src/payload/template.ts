import type { MessageKind } from '../telemetry/types.js';
import { FILTERS, parseFilter, type Filter } from './filters.js';

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

type Shape = (msg: object) => unknown;

const PLACEHOLDER = /\{\{([^}]*)\}\}/g;
const ONLY_PLACEHOLDER = /^\{\{([^}]*)\}\}$/;

/** Compiles a template; every problem is collected (none thrown). */
export function compileTemplate(template: unknown): { shape?: Shape; problems: TemplateProblem[] } {
  const problems: TemplateProblem[] = [];
  const shape = compileValue(template, [], problems);
  return problems.length > 0 ? { problems } : { shape, problems };
}

function compileValue(v: unknown, path: (string | number)[], problems: TemplateProblem[]): Shape {
  if (typeof v === 'string') return compileString(v, path, problems);
  if (Array.isArray(v)) {
    const items = v.map((x, i) => compileValue(x, [...path, i], problems));
    return (m) => items.map((f) => f(m));
  }
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>);
    const keys = entries.map(([k]) => k);
    const values = entries.map(([k, x]) => compileValue(x, [...path, k], problems));
    return (m) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i](m);
      return out;
    };
  }
  return () => v;
}

function compileString(text: string, path: (string | number)[], problems: TemplateProblem[]): Shape {
  const whole = ONLY_PLACEHOLDER.exec(text);
  if (whole) {
    const get = compilePlaceholder(whole[1], path, problems);
    return (m) => get(m) ?? null;
  }
  const parts: (string | ((m: object) => unknown))[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(compilePlaceholder(match[1], path, problems));
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return () => text;
  if (last < text.length) parts.push(text.slice(last));
  return (m) => {
    let s = '';
    for (const p of parts) s += typeof p === 'string' ? p : stringOf(p(m));
    return s;
  };
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

/** `position.speedKmh | mph | round(1)` → a getter with its filters applied. */
function compilePlaceholder(expr: string, path: (string | number)[], problems: TemplateProblem[]): (m: object) => unknown {
  const [field, ...filterTexts] = expr.split('|').map((s) => s.trim());
  if (!(field in MESSAGE_FIELDS)) {
    problems.push({ path, message: `unknown field "${field}" in {{${expr.trim()}}}; expected one of ${Object.keys(MESSAGE_FIELDS).join(', ')}` });
    return () => undefined;
  }
  const filters: Filter[] = [];
  for (const f of filterTexts) {
    const parsed = parseFilter(f);
    if (typeof parsed === 'string') problems.push({ path, message: `${parsed} in {{${expr.trim()}}}; filters: ${Object.keys(FILTERS).join(', ')}` });
    else filters.push(parsed);
  }
  const keys = field.split('.');
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

function stringOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}
