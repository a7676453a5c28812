import { z } from 'zod';
import { formatDuration, parseDuration, parseRate, parseSize } from '../util/units.js';

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

const RATE_EXPECTED = 'expected a rate such as 2000 or 2000/s (or 120/m)';

/** A rate (`2000`, `2000/s`, `120/m`) → arrivals per second, 0 .. MAX_RATE unless bounded tighter. */
export function rateField(meta: FieldMeta, bounds: Bounds = { min: 0 }) {
  const all = { max: MAX_RATE, ...bounds };
  return z
    .union(
      [
        z.number({ error: RATE_EXPECTED }).min(0, { error: RATE_EXPECTED }),
        z.string({ error: RATE_EXPECTED }).regex(new RegExp(RATE_PATTERN), { error: RATE_EXPECTED }),
      ],
      { error: RATE_EXPECTED },
    )
    .meta({ ...meta, examples: meta.examples ?? ['1000/s'] })
    .transform((input, ctx) => {
      const perS = parseRate(input);
      if (perS === undefined) return fail(ctx, input, RATE_EXPECTED);
      const bad = boundsError(perS, all, (n) => `${n}/s`);
      return bad ? fail(ctx, input, bad) : perS;
    });
}

const SIZE_EXPECTED = 'expected a size such as 512, 64KiB or 1MB';

/** A size (`512`, `64KiB`, `1MB`) → bytes. */
export function sizeField(meta: FieldMeta, bounds: Bounds = { min: 0 }) {
  return z
    .union(
      [
        z.number({ error: SIZE_EXPECTED }).min(0, { error: SIZE_EXPECTED }),
        z.string({ error: SIZE_EXPECTED }).regex(new RegExp(SIZE_PATTERN), { error: SIZE_EXPECTED }),
      ],
      { error: SIZE_EXPECTED },
    )
    .meta({ ...meta, examples: meta.examples ?? ['64KiB'] })
    .transform((input, ctx) => {
      const bytes = parseSize(input);
      if (bytes === undefined) return fail(ctx, input, SIZE_EXPECTED);
      const bad = boundsError(bytes, bounds, (n) => `${n} bytes`);
      return bad ? fail(ctx, input, bad) : bytes;
    });
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
