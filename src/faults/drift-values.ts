import type { DriftType, DriftUnit } from '../scenario/fault-schemas/drift-schema.js';

/**
 * The value conversions of a schema drift: pure functions of one leaf value. Each returns the
 * converted value, or SKIP when the value is not one it converts (it is then left as is).
 */
export const SKIP: unique symbol = Symbol('skip');
/** A leaf value → its converted value, or SKIP. */
export type Convert = (v: unknown) => unknown;

/**
 * ISO-8601 date-time as JSON and Date#toISOString write it: a date, `T`, hh:mm, optional seconds
 * and fraction, then `Z` or an offset. Stricter than Date.parse, which also reads other text.
 */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Decimal number text, as JSON writes numbers (optional sign, fraction and exponent). */
const NUMERIC_TEXT = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/;
/** The Date range, epoch ms. */
const MAX_DATE_MS = 8.64e15;

/**
 * string: a number or true/false → its JSON text (57.3 → "57.3"); number: numeric text → the
 * number ("57.3" → 57.3); iso: epoch ms (a number) → ISO-8601 UTC text with ms
 * ("2027-01-15T08:00:00.000Z"); epoch-ms: ISO-8601 text → epoch ms (an integer).
 */
const TYPE_CONVERSIONS: Record<DriftType, Convert> = {
  string: (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : SKIP),
  number: (v) => (typeof v === 'string' && NUMERIC_TEXT.test(v) && Number.isFinite(Number(v)) ? Number(v) : SKIP),
  iso: (v) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= MAX_DATE_MS ? new Date(v).toISOString() : SKIP),
  'epoch-ms': (v) => {
    if (typeof v !== 'string' || !ISO_DATE_TIME.test(v)) return SKIP;
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? ms : SKIP;
  },
};

/**
 * A unit change: `convert` maps a value in the from-unit to the to-unit; `decimals` gives the
 * result's decimals from the input's, so the value keeps a similar precision:
 * - factors near 1 (speed, temperature, length): max(2, input decimals): 57 km/h → 35.42 mph;
 * - ÷ 1000 (m → km, ms → s): input decimals + 3, exact: 1234 m → 1.234 km;
 * - × 1000 (s → ms): input decimals − 3, at least 0, exact: 1.5 s → 1500 ms.
 */
interface UnitConversion {
  convert: (x: number) => number;
  decimals: (inputDecimals: number) => number;
}

const near1 = (d: number): number => Math.max(2, d);
const shrink = (d: number): number => d + 3;
const grow = (d: number): number => Math.max(0, d - 3);

/** To-unit → the conversion from its implied from-unit (DRIFT_UNITS in the scenario schema). */
export const UNIT_CONVERSIONS: Record<DriftUnit, UnitConversion> = {
  mph: { convert: (kmh) => kmh * 0.621371, decimals: near1 },
  kmh: { convert: (mph) => mph * 1.609344, decimals: near1 },
  fahrenheit: { convert: (c) => (c * 9) / 5 + 32, decimals: near1 },
  celsius: { convert: (f) => ((f - 32) * 5) / 9, decimals: near1 },
  ft: { convert: (m) => m / 0.3048, decimals: near1 }, // × 3.28084
  m: { convert: (ft) => ft * 0.3048, decimals: near1 },
  km: { convert: (m) => m / 1000, decimals: shrink },
  s: { convert: (ms) => ms / 1000, decimals: shrink },
  ms: { convert: (s) => s * 1000, decimals: grow },
};

/** Most decimals a result keeps (beyond, a double has no digits left to keep). */
const MAX_DECIMALS = 12;

/** Decimals in a number's shortest text: 57 → 0, 57.25 → 2, 1.5e-7 → 8. */
export function decimalsOf(x: number): number {
  if (Number.isInteger(x)) return 0;
  const s = String(Math.abs(x));
  const e = s.indexOf('e');
  const mantissa = e < 0 ? s : s.slice(0, e);
  const dot = mantissa.indexOf('.');
  const fraction = dot < 0 ? 0 : mantissa.length - dot - 1;
  return Math.max(0, fraction - (e < 0 ? 0 : Number(s.slice(e + 1))));
}

/** Rounds to `d` decimals (half away from zero, as Math.round on the magnitude). */
function roundTo(x: number, d: number): number {
  const p = 10 ** Math.min(d, MAX_DECIMALS);
  const r = Math.round(Math.abs(x) * p) / p;
  return x < 0 ? -r : r;
}

/** A number in the from-unit of `to` → in `to`, rounded (see UnitConversion); anything else SKIP. */
export function unitConversion(to: DriftUnit): Convert {
  const c = UNIT_CONVERSIONS[to];
  return (v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return SKIP;
    return roundTo(c.convert(v), c.decimals(decimalsOf(v)));
  };
}

/** See TYPE_CONVERSIONS. */
export function typeConversion(to: DriftType): Convert {
  return TYPE_CONVERSIONS[to];
}
