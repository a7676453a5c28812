// Small helpers shared by the bench modules: numbers, rounding, ratios, formatting, logging.

/** A positive number from a command-line string, or `dflt` when it is absent. */
export function num(s, dflt) {
  if (s === undefined) return dflt;
  const n = Number(s);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`not a positive number: ${s}`);
  return n;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export const round = (x, d = 2) => (x === null || x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
export const ratio = (a, b) => (a === null || b === null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : round(a / b, 3));
export const fmt = (x, d = 2) => (x === null || x === undefined ? 'n/a' : typeof x === 'number' ? String(round(x, d)) : String(x));
/** Progress goes to stderr; tables and figures go to stdout (`say`). */
export const log = (s) => process.stderr.write(s + '\n');
export const say = (s) => process.stdout.write(s);

/** Picks `keys` of `o` into a new object; null when `o` is absent. */
export function pick(o, keys) {
  return o ? Object.fromEntries(keys.map((k) => [k, o[k]])) : null;
}

/** Prints a titled table: the first column left-aligned, the others right-aligned. */
export function table(title, head, rows) {
  const all = [head, ...rows].map((r) => r.map((c) => fmt(c)));
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  const out = [title, line(all[0]), '  ' + w.map((n) => '-'.repeat(n)).join('  '), ...all.slice(1).map(line)];
  say(out.join('\n') + '\n\n');
}
