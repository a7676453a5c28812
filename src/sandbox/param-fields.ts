import { z } from 'zod';
import { parseDuration, parseRate, parseSize } from '../util/units.js';

/**
 * Field builders of the `sandbox:` block. Input is YAML-friendly (durations as text with a unit,
 * `"20s"`; ranges `"200ms..400ms"`; sizes `"256KiB"`; rates `10000` or `"10000/s"`); output is
 * resolved: durations and ranges in ms, sizes in bytes, rates per second.
 */

const durationMessage = 'expected a duration with a unit (ms, s, m, h), e.g. "500ms" or "20s"';

export function toMs(text: string, ctx: z.RefinementCtx): number {
  const ms = parseDuration(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a duration: ${durationMessage}` });
    return z.NEVER;
  }
  return ms;
}

/** Mirrors units.ts, so editors can check durations against the JSON Schema. */
const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)\\s*$';
const RANGE_PATTERN = `^${DURATION_PATTERN.slice(1, -1)}(\\.\\.${DURATION_PATTERN.slice(1, -1)})?$`;

export const durationText = z.string({ error: durationMessage }).meta({ pattern: DURATION_PATTERN }).transform(toMs);

/**
 * Editor docs: JSON Schema `description` and, as a person would write it, `default` (zod drops
 * defaults of transformed fields from the JSON Schema; the scenario schema generator restores it).
 */
export function doc(description: string, def: unknown) {
  return { description: `${description} Default: ${String(def)}.`, default: def };
}

/** A duration in ms; `def` is the default as it would be written. */
export function duration(def: string, description: string) {
  return durationText.default(parseDuration(def) as number).meta(doc(description, def));
}

/** `"1ms..3ms"` (uniform in the range) or `"2ms"` (fixed) → `{minMs, maxMs}`. */
export const rangeText = z
  .string({ error: `expected a duration or a range of durations, e.g. "2ms" or "1ms..3ms"` })
  .meta({ pattern: RANGE_PATTERN })
  .transform((text, ctx) => {
    const parts = text.split('..');
    if (parts.length > 2) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not a range: write "min..max", e.g. "1ms..3ms"` });
      return z.NEVER;
    }
    const minMs = toMs(parts[0], ctx);
    const maxMs = parts.length === 2 ? toMs(parts[1], ctx) : minMs;
    if (typeof minMs === 'number' && typeof maxMs === 'number' && maxMs < minMs) {
      ctx.addIssue({ code: 'custom', message: `range "${text}" ends before it starts` });
    }
    return { minMs, maxMs };
  });

export function range(def: string, description: string) {
  const [lo, hi = lo] = def.split('..');
  const value = { minMs: parseDuration(lo) as number, maxMs: parseDuration(hi) as number };
  return rangeText.default(value).meta(doc(description, def));
}

export function count(def: number, min: number, max: number, description: string) {
  return z.number().int().min(min).max(max).default(def).meta(doc(description, def));
}

const sizeInput = z.union([z.number(), z.string()], { error: 'expected a size, e.g. 262144 or "256KiB"' });

export function size(def: string, description: string) {
  return sizeInput
    .transform((v, ctx) => {
      const bytes = parseSize(v);
      if (bytes === undefined || bytes < 1) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: use bytes or a unit (KiB, MiB, KB, MB)` });
        return z.NEVER;
      }
      return bytes;
    })
    .default(parseSize(def) as number)
    .meta(doc(description, def));
}

/** A rate per second, or `null` for `"unlimited"`; `def` as it would be written. */
export function rate(def: string, description: string) {
  return z
    .union([z.number(), z.string()], { error: 'expected a rate, e.g. 10000 or "10000/s", or "unlimited"' })
    .transform((v, ctx) => {
      if (v === 'unlimited') return null;
      const perSec = parseRate(v);
      if (perSec === undefined || perSec <= 0) {
        ctx.addIssue({ code: 'custom', message: `"${v}" is not a rate: use e.g. 10000, "10000/s", "600/m" or "unlimited"` });
        return z.NEVER;
      }
      return perSec;
    })
    .default(def === 'unlimited' ? null : (parseRate(def) as number))
    .meta(doc(description, def));
}
