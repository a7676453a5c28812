/** A template filter: one value in, one out (only called with a value that is present). */
export type Filter = (v: unknown) => unknown;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
/** A numeric filter: null for a value that is no finite number (a text, an object), never NaN or a throw. */
const numeric = (f: (x: number) => unknown): Filter => (v) => {
  const x = num(v);
  return Number.isFinite(x) ? f(x) : null;
};

/**
 * The documented filters (README "payload"): units the fleet's message does not use, and text.
 * - iso: epoch ms → ISO 8601 text; epochSeconds: epoch ms → whole seconds
 * - mph: km/h → miles per hour (1 decimal); fahrenheit: °C → °F (1 decimal)
 * - string: any value as text; upper: text in capitals; round(n): n decimals (0 when absent)
 * A numeric filter given something that is no number (`{{tripId | iso}}`) gives null.
 */
export const FILTERS: Readonly<Record<string, (arg?: number) => Filter>> = {
  iso: () => numeric((x) => (Math.abs(x) <= 8.64e15 ? new Date(x).toISOString() : null)),
  epochSeconds: () => numeric((x) => Math.floor(x / 1000)),
  mph: () => numeric((x) => Math.round(x * 0.621371 * 10) / 10),
  fahrenheit: () => numeric((x) => Math.round((x * 9 / 5 + 32) * 10) / 10),
  string: () => (v) => (typeof v === 'object' ? JSON.stringify(v) : String(v)),
  upper: () => (v) => String(v).toUpperCase(),
  round: (n = 0) => {
    const f = 10 ** n;
    return numeric((x) => Math.round(x * f) / f);
  },
};

const CALL = /^([A-Za-z]+)\s*(?:\(\s*(\d{1,2})\s*\))?$/;

/** `round(2)` → the filter; a text saying what is wrong for an unknown filter or a bad argument. */
export function parseFilter(text: string): Filter | string {
  const m = CALL.exec(text);
  const make = m ? FILTERS[m[1]] : undefined;
  if (!m || !make) return `unknown filter "${text}"`;
  if (m[2] !== undefined && m[1] !== 'round') return `filter "${m[1]}" takes no argument`;
  return make(m[2] === undefined ? undefined : Number(m[2]));
}
