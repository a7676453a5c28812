import type { Filter } from './filters.js';
import { ONLY_PLACEHOLDER, parsePlaceholder, PLACEHOLDER, stringOf, type Shape, type TemplateProblem } from './template.js';

/**
 * Generates a template's shape as one JavaScript function, once: a mapping becomes an object
 * literal with the template's keys, a list an array literal, a placeholder a property read with
 * its filters applied, text around placeholders a concatenation. V8 then builds each message's
 * object like hand-written code (one hidden class per mapping, no loop over keys). Safe by
 * construction: every key and literal is written with JSON.stringify, and filters are passed in
 * as values (`F[i]`), never as source text. Same semantics as template.ts documents.
 */
export function generateShape(template: unknown, problems: TemplateProblem[]): Shape {
  const filters: Filter[] = [];
  const body = expression(template, [], problems, filters);
  if (problems.length > 0) return () => undefined;
  const factory = new Function('F', 'S', `"use strict"; return (m) => { let t; return ${body}; };`) as (f: Filter[], s: typeof stringOf) => Shape;
  return factory(filters, stringOf);
}

function expression(v: unknown, path: (string | number)[], problems: TemplateProblem[], filters: Filter[]): string {
  if (typeof v === 'string') return text(v, path, problems, filters);
  if (Array.isArray(v)) return `[${v.map((x, i) => expression(x, [...path, i], problems, filters)).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    const fields = Object.entries(v as Record<string, unknown>).map(([k, x]) => {
      // a literal `__proto__:` key would set the prototype; a computed one makes an own property
      const key = k === '__proto__' ? `[${JSON.stringify(k)}]` : JSON.stringify(k);
      return `${key}: ${expression(x, [...path, k], problems, filters)}`;
    });
    return `{ ${fields.join(', ')} }`;
  }
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** A string value: one placeholder keeps its type (missing → null); otherwise text. */
function text(s: string, path: (string | number)[], problems: TemplateProblem[], filters: Filter[]): string {
  const whole = ONLY_PLACEHOLDER.exec(s);
  if (whole) return `(${placeholder(whole[1], path, problems, filters)} ?? null)`;
  const parts: string[] = [];
  let last = 0;
  for (const match of s.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(JSON.stringify(s.slice(last, match.index)));
    parts.push(`S(${placeholder(match[1], path, problems, filters)})`);
    last = match.index + match[0].length;
  }
  if (parts.length === 0) return JSON.stringify(s);
  if (last < s.length) parts.push(JSON.stringify(s.slice(last)));
  return `(${parts.join(' + ')})`;
}

/** `position.lat | round(2)` → `(t = m["position"]?.["lat"], t = t == null ? t : F[0](t), t)`. */
function placeholder(expr: string, path: (string | number)[], problems: TemplateProblem[], filters: Filter[]): string {
  const p = parsePlaceholder(expr, path, problems);
  if (!p) return 'undefined';
  const read = `m${p.keys.map((k, i) => `${i > 0 ? '?.' : ''}[${JSON.stringify(k)}]`).join('')}`;
  if (p.filters.length === 0) return read;
  // each filter only on a present value: one that gives null (a text that is no number) ends the chain
  const steps = p.filters.map((f) => `, t = t == null ? t : F[${filters.push(f) - 1}](t)`).join('');
  return `(t = ${read}${steps}, t)`;
}
