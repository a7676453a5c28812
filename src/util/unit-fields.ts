import { z } from 'zod';
import { formatDuration, parseDuration, parseRate, parseSize } from './units.js';

/**
 * Zod building blocks for fields written with units. Input side: text such as `30s`, `2000/s`,
 * `64KiB` (rates and sizes may also be plain numbers); output side: ms, arrivals per second, bytes.
 * The regex patterns mirror src/util/units.ts and exist so the JSON Schema can check them in editors;
 * the values themselves always come from the units.ts parsers.
 * Messages say what was expected; the loader appends what it got and where.
 */

export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$';
export const RATE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(/\\s*(s|sec|second|m|min|minute))?\\s*$';
/** units.ts matches the unit case-insensitively; JSON Schema patterns have no flags, hence the classes. */
export const SIZE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*([bB]|[kKmM][bB]|[kKmM][iI][bB])?\\s*$';

/** Largest rate accepted anywhere, arrivals per second. */
export const MAX_RATE = 10_000_000;

/** Shown by editors (JSON Schema title/description/examples). A type alias so it fits zod's metadata record. */
export type FieldMeta = {
  title: string;
  description: string;
  examples?: unknown[];
  /** The default as a person would write it (`"10s"`); documentation only, applied elsewhere. */
  default?: unknown;
};

interface Bounds {
  min?: number;
  max?: number;
  /** When true, `min` itself is not allowed (strictly greater). */
  exclusiveMin?: boolean;
}

/** A custom issue pushed from a transform: the message is final, the loader appends the value it got. */
function fail(ctx: z.core.$RefinementCtx, input: unknown, message: string): never {
  ctx.issues.push({ code: 'custom', message, input });
  return z.NEVER;
}

function boundsError(value: number, b: Bounds, show: (n: number) => string): string | undefined {
  if (b.min !== undefined && (b.exclusiveMin ? value <= b.min : value < b.min)) {
    return b.exclusiveMin ? `expected more than ${show(b.min)}` : `expected at least ${show(b.min)}`;
  }
  if (b.max !== undefined && value > b.max) return `expected at most ${show(b.max)}`;
  return undefined;
}

const DURATION_EXPECTED = 'expected a duration with a unit, such as 500ms, 30s, 5m or 1h';

/** A duration (`30s`) → ms. A bare number is rejected: the unit is required. */
export function durationField(meta: FieldMeta, bounds: Bounds = { min: 0, exclusiveMin: true }) {
  // Metadata goes on the input schema: zod drops examples and defaults of a transform's output.
  return z
    .string({ error: DURATION_EXPECTED })
    .regex(new RegExp(DURATION_PATTERN), { error: DURATION_EXPECTED })
    .meta({ ...meta, examples: meta.examples ?? ['30s'] })
    .transform((text, ctx) => {
      const ms = parseDuration(text);
      if (ms === undefined) return fail(ctx, text, DURATION_EXPECTED);
      const bad = boundsError(ms, bounds, formatDuration);
      return bad ? fail(ctx, text, bad) : ms;
    });
}

/** How a rate or a size is written and read: a plain number, or text matching `pattern`. */
interface NumberOrText {
  expected: string;
  pattern: string;
  parse: (input: string | number) => number | undefined;
  show: (n: number) => string;
  example: string;
}

function numberOrTextField(unit: NumberOrText, meta: FieldMeta, bounds: Bounds) {
  const error = unit.expected;
  return z
    .union([z.number({ error }).min(0, { error }), z.string({ error }).regex(new RegExp(unit.pattern), { error })], { error })
    .meta({ ...meta, examples: meta.examples ?? [unit.example] })
    .transform((input, ctx) => {
      const value = unit.parse(input);
      if (value === undefined) return fail(ctx, input, error);
      const bad = boundsError(value, bounds, unit.show);
      return bad ? fail(ctx, input, bad) : value;
    });
}

const RATE: NumberOrText = {
  expected: 'expected a rate such as 2000 or 2000/s (or 120/m)',
  pattern: RATE_PATTERN,
  parse: parseRate,
  show: (n) => `${n}/s`,
  example: '1000/s',
};

/** A rate (`2000`, `2000/s`, `120/m`) → arrivals per second, 0 .. MAX_RATE unless bounded tighter. */
export function rateField(meta: FieldMeta, bounds: Bounds = { min: 0 }) {
  return numberOrTextField(RATE, meta, { max: MAX_RATE, ...bounds });
}

const SIZE: NumberOrText = {
  expected: 'expected a size such as 512, 64KiB or 1MB',
  pattern: SIZE_PATTERN,
  parse: parseSize,
  show: (n) => `${n} bytes`,
  example: '64KiB',
};

/** A size (`512`, `64KiB`, `1MB`) → bytes. */
export function sizeField(meta: FieldMeta, bounds: Bounds = { min: 0 }) {
  return numberOrTextField(SIZE, meta, bounds);
}

/** An integer in [min, max]; every failure says so in one message. */
export function intField(meta: FieldMeta, min: number, max: number) {
  const error = `expected an integer from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).meta(meta);
}

/** A finite number in [min, max] (max optional); every failure says so in one message. */
export function numberField(meta: FieldMeta, min: number, max?: number) {
  const error = max === undefined ? `expected a number >= ${min}` : `expected a number from ${min} to ${max}`;
  const base = z.number({ error }).min(min, { error });
  return (max === undefined ? base : base.max(max, { error })).meta(meta);
}
