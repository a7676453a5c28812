import { z } from 'zod';

/**
 * The `poison:` field of a `poison` fault: which kinds of broken message it sends. Each picked
 * message becomes one of them (chosen by the message's hash); src/faults/poison.ts builds them.
 *   malformed-json        text that is not JSON (unclosed with a stray comma, single quotes, two documents)
 *   truncated             the JSON text cut short
 *   wrong-types           1–3 fields with another JSON type (a number as text, …)
 *   missing-fields        1–3 fields removed
 *   null-bytes            U+0000 inside a text value, or NUL bytes after the document
 *   invalid-utf8          bytes that are not UTF-8 (text-only targets: the nearest text)
 *   huge-numbers          numbers no double or int64 holds ("Infinity", 2^64 + 1, 1e400)
 *   bad-timestamps        times in year 9999, before 1970, or in the wrong unit
 *   deep-nesting          a value nested deeper than common parsers allow (> 10,000 levels)
 *   oversize              larger than the target's largest message
 *   wrong-schema-version  a schemaVersion no consumer supports
 */
export const POISON_KINDS = [
  'malformed-json',
  'truncated',
  'wrong-types',
  'missing-fields',
  'null-bytes',
  'invalid-utf8',
  'huge-numbers',
  'bad-timestamps',
  'deep-nesting',
  'oversize',
  'wrong-schema-version',
] as const;

export type PoisonKind = (typeof POISON_KINDS)[number];

const KIND_LIST = POISON_KINDS.join(', ');
const KIND_EXPECTED = `expected a poison kind: one of ${KIND_LIST}`;
const FIELD_EXPECTED = `expected all, or a list of poison kinds (${KIND_LIST})`;

const isKind = (v: unknown): v is PoisonKind => typeof v === 'string' && (POISON_KINDS as readonly string[]).includes(v);

const kindSchema = z.enum(POISON_KINDS, { error: KIND_EXPECTED }).meta({ title: 'Poison kind', description: `One of ${KIND_LIST}.` });

const kindListSchema = z
  .array(kindSchema, { error: FIELD_EXPECTED })
  .min(1, { error: `expected at least one poison kind (${KIND_LIST}), or all` })
  .superRefine((list, ctx) => {
    list.forEach((k, i) => {
      if (list.indexOf(k) !== i) ctx.addIssue({ code: 'custom', path: [i], message: `expected each poison kind once; ${k} is listed twice` });
    });
  })
  .meta({ uniqueItems: true });

/** `poison: all` or `poison: [malformed-json, truncated]` → the kinds, in the order written (all: POISON_KINDS' order). */
export const poisonKindsSchema = z
  .union([z.literal('all'), kindListSchema], {
    // One kind written alone (`poison: truncated`) gets told how to write it as a list.
    error: (iss) => (isKind(iss.input) ? `expected a list, even of one kind: [${iss.input}] (or all)` : FIELD_EXPECTED),
  })
  .meta({ title: 'Poison kinds', description: `Which broken messages to send: all, or a list of ${KIND_LIST}. Each picked message gets one of them, chosen by its hash.`, examples: ['all', ['malformed-json', 'truncated']] })
  .transform((v): PoisonKind[] => (v === 'all' ? [...POISON_KINDS] : v));
