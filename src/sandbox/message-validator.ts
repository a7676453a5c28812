import type { ErrorObject, ValidateFunction } from 'ajv';
import { DEFAULT_FIELDS, type FieldName, type FieldPaths, type SandboxParams } from './params.js';
import { readMessageId, validateTelemetry } from './telemetry-schema.js';
import { loadUserSchema } from './user-schema.js';

/** What the processor needs of a valid message: the fields of its output log entry. */
export interface ProcessedMessage {
  messageId: string;
  vehicleId: string;
  /** Per-vehicle sequence number; 0 when a user's message has none. */
  seq: number;
  /** Epoch ms when the client sent it; null when a user's message has none. */
  sentAt: number | null;
  kind: string;
}

/** The processor's check of one message body. Neither method throws. */
export interface MessageValidator {
  /** The message's fields, or a text that says why it is invalid (it becomes the DLQ's `lastError`). */
  validate(body: string): ProcessedMessage | string;
  /** The messageId of a body if one can be read, even from an invalid message (for the DLQ). */
  readMessageId(body: string): string | null;
}

/** Telemetry schema v1 (telemetry-schema.ts): the default. */
export const telemetryV1Validator: MessageValidator = { validate: validateTelemetry, readMessageId };

/** Longest error text (chars) taken from ajv. */
const MAX_ERROR_CHARS = 200;

/**
 * The validator `params` ask for: schema v1, or the user's `schema` file read and compiled now
 * (once; throws the UserError of loadUserSchema) with `fields` over the v1 names.
 */
export function messageValidatorFor(params: Pick<SandboxParams, 'schema' | 'fields'>): MessageValidator {
  if (params.schema === null) return telemetryV1Validator;
  return userSchemaValidator(loadUserSchema(params.schema), { ...DEFAULT_FIELDS, ...params.fields });
}

/**
 * Validates a body with a compiled user schema, then reads the output fields at `fields`
 * (dotted paths; a JSON `null` counts as absent):
 * - malformed JSON → `malformed JSON`; rejected by the schema → `invalid: <instancePath> <message>`
 *   from ajv's first error (`(root)` for the top level), capped to 200 chars;
 * - messageId, vehicleId: non-empty strings, required;
 * - seq: a positive integer, absent → 0;
 * - sentAt: a number (epoch ms) or a text Date.parse reads (ISO-8601), absent → null;
 * - kind: a string, absent → `telemetry`.
 * A field that breaks its rule is `missing field <path> (sandbox.fields.<name>)` or
 * `invalid: <path> must be … (sandbox.fields.<name>)`.
 */
export function userSchemaValidator(check: ValidateFunction, fields: FieldPaths): MessageValidator {
  const paths = Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, p.split('.')])) as Record<FieldName, string[]>;
  const read = (doc: unknown, name: FieldName): Field => ({ name, path: fields[name], value: valueAt(doc, paths[name]) });
  return {
    validate(body) {
      const doc = parse(body);
      if (doc === MALFORMED) return 'malformed JSON';
      if (!check(doc)) return ajvError(check.errors);
      return readFields(doc, read);
    },
    readMessageId(body) {
      const id = valueAt(parse(body), paths.messageId);
      return typeof id === 'string' ? id : null;
    },
  };
}

interface Field {
  name: FieldName;
  path: string;
  value: unknown;
}

function readFields(doc: unknown, read: (doc: unknown, name: FieldName) => Field): ProcessedMessage | string {
  const messageId = read(doc, 'messageId');
  if (typeof messageId.value !== 'string' || messageId.value === '') return fieldError(messageId, 'a non-empty string');
  const vehicleId = read(doc, 'vehicleId');
  if (typeof vehicleId.value !== 'string' || vehicleId.value === '') return fieldError(vehicleId, 'a non-empty string');
  const seq = read(doc, 'seq');
  if (seq.value !== undefined && !(typeof seq.value === 'number' && Number.isInteger(seq.value) && seq.value >= 1)) {
    return fieldError(seq, 'a positive integer');
  }
  const sentAt = read(doc, 'sentAt');
  const sentAtMs = toEpochMs(sentAt.value);
  if (Number.isNaN(sentAtMs)) return fieldError(sentAt, 'a number (epoch ms) or an ISO-8601 time');
  const kind = read(doc, 'kind');
  if (kind.value !== undefined && typeof kind.value !== 'string') return fieldError(kind, 'a string');
  return {
    messageId: messageId.value,
    vehicleId: vehicleId.value,
    seq: (seq.value as number | undefined) ?? 0,
    sentAt: sentAtMs,
    kind: (kind.value as string | undefined) ?? 'telemetry',
  };
}

/** Epoch ms, null when absent, NaN when it is neither a finite number nor a date text. */
function toEpochMs(v: unknown): number | null {
  if (v === undefined) return null;
  if (typeof v === 'number') return Number.isFinite(v) ? v : NaN;
  return typeof v === 'string' ? Date.parse(v) : NaN;
}

function fieldError(f: Field, expected: string): string {
  const where = `(sandbox.fields.${f.name})`;
  return f.value === undefined ? `missing field ${f.path} ${where}` : `invalid: ${f.path} must be ${expected} ${where}`;
}

const MALFORMED = Symbol('malformed');

function parse(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return MALFORMED;
  }
}

/** The value at `path`, or undefined when a step is missing (or null: JSON null counts as absent). */
function valueAt(doc: unknown, path: readonly string[]): unknown {
  let cur = doc;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur ?? undefined;
}

function ajvError(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'invalid: rejected by sandbox.schema';
  const extra = e.keyword === 'additionalProperties' ? `: ${JSON.stringify((e.params as { additionalProperty?: string }).additionalProperty)}` : '';
  const text = `invalid: ${e.instancePath || '(root)'} ${e.message ?? 'is not valid'}${extra}`;
  return text.length > MAX_ERROR_CHARS ? `${text.slice(0, MAX_ERROR_CHARS - 1)}…` : text;
}
