import { z } from 'zod';

/**
 * The `drift:` list of a `schema-drift` fault: how the selected vehicles' messages change from
 * the fault's start. Each item is one operation, written as a one-key mapping, applied in order
 * (src/faults/schema-drift.ts does the work):
 *   rename        { rename: { from: PATH, to: PATH } }      move a field (`to` may be in another object)
 *   remove        { remove: PATH }
 *   type          { type: { field: PATH, to: TYPE } }        see DRIFT_TYPES
 *   unit          { unit: { field: PATH, to: UNIT } }        see DRIFT_UNITS: the from-unit is implied
 *   add           { add: { field: PATH, value: JSON } }      a new field, same value in every message
 *   schemaVersion { schemaVersion: N } | { schemaVersion: { field: PATH, value: N } }
 * PATH is dotted (`position.speedKmh`); a number indexes a list (`dtcCodes.0`).
 */

/** A JSON value as `add` writes it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A field path split at the dots: `['position', 'speedKmh']`. Digits index a list. */
export type FieldPath = readonly string[];

export const DRIFT_TYPES = ['string', 'number', 'iso', 'epoch-ms'] as const;
/** string: number/boolean → its text; number: numeric text → number; iso: epoch ms → ISO-8601 text; epoch-ms: ISO-8601 text → epoch ms. */
export type DriftType = (typeof DRIFT_TYPES)[number];

/**
 * The units a drift converts to, each with the one unit it converts from and how both are
 * printed. The conversion factors live with the transform (src/faults/drift-values.ts).
 */
export const DRIFT_UNITS = {
  mph: { from: 'kmh', label: 'mph' },
  kmh: { from: 'mph', label: 'km/h' },
  fahrenheit: { from: 'celsius', label: '°F' },
  celsius: { from: 'fahrenheit', label: '°C' },
  ft: { from: 'm', label: 'ft' },
  m: { from: 'ft', label: 'm' },
  km: { from: 'm', label: 'km' },
  s: { from: 'ms', label: 's' },
  ms: { from: 's', label: 'ms' },
} as const satisfies Record<string, { from: string; label: string }>;
export type DriftUnit = keyof typeof DRIFT_UNITS;
const UNIT_NAMES = Object.keys(DRIFT_UNITS) as [DriftUnit, ...DriftUnit[]];

/** One drift operation, resolved: paths split, the unit's from-unit filled in. */
export type DriftOp =
  | { op: 'rename'; from: FieldPath; to: FieldPath }
  | { op: 'remove'; field: FieldPath }
  | { op: 'type'; field: FieldPath; to: DriftType }
  | { op: 'unit'; field: FieldPath; from: DriftUnit; to: DriftUnit }
  | { op: 'add'; field: FieldPath; value: JsonValue }
  | { op: 'schemaVersion'; field: FieldPath; value: number };

export const DRIFT_OP_NAMES = ['rename', 'remove', 'type', 'unit', 'add', 'schemaVersion'] as const;
/** Where `{ schemaVersion: N }` writes: the built-in shape's field. */
export const SCHEMA_VERSION_FIELD: FieldPath = Object.freeze(['schemaVersion']);

export const PATH_EXPECTED = 'expected a dotted field path such as position.speedKmh: keys separated by single dots, no spaces (a number indexes a list, e.g. dtcCodes.0)';
const PATH_PATTERN = /^[^.\s]+(\.[^.\s]+)*$/;

/** A dotted path → its keys. `__proto__` is refused: writing it would change an object's prototype. */
function pathField(title: string, description: string, example = 'position.speedKmh') {
  return z
    .string({ error: PATH_EXPECTED })
    .regex(PATH_PATTERN, { error: PATH_EXPECTED })
    .refine((p) => !p.split('.').includes('__proto__'), { error: 'expected a field path without __proto__ (it is no field of a JSON message)' })
    .meta({ title, description, examples: [example] })
    .transform((p): FieldPath => p.split('.'));
}

const isPrefix = (a: FieldPath, b: FieldPath): boolean => a.length <= b.length && a.every((k, i) => k === b[i]);

const renameSchema = z
  .strictObject({
    from: pathField('From', 'The field to move; a message without it is left as is.'),
    to: pathField('To', 'Where it goes; objects on the way are created when missing.', 'position.speed'),
  })
  .superRefine((r, ctx) => {
    if (isPrefix(r.from, r.to) || isPrefix(r.to, r.from)) {
      ctx.addIssue({ code: 'custom', message: 'expected from and to to be different fields, neither inside the other' });
    }
  })
  .meta({ title: 'Rename', description: 'Moves a field: its value leaves `from` and appears at `to`, e.g. position.speedKmh → position.speed.' });

const typeSchema = z
  .strictObject({
    field: pathField('Field', 'The field whose type changes.', 'sentAt'),
    to: z.enum(DRIFT_TYPES, { error: 'expected string (number → "57.3"), number ("57.3" → 57.3), iso (epoch ms → ISO-8601 text) or epoch-ms (ISO-8601 text → epoch ms)' })
      .meta({ title: 'To type', description: 'string, number, iso or epoch-ms.' }),
  })
  .meta({ title: 'Type change', description: 'Writes the field as another JSON type: a number as text, numeric text as a number, epoch ms as ISO-8601 text or back. A value it cannot convert is left as is.' });

const UNIT_EXPECTED = `expected a unit to convert to: ${UNIT_NAMES.map((u) => `${u} (from ${DRIFT_UNITS[u].from})`).join(', ')}`;

const unitSchema = z
  .strictObject({
    field: pathField('Field', 'A number field; text and other values are left as is.'),
    to: z.enum(UNIT_NAMES, { error: UNIT_EXPECTED }).meta({ title: 'To unit', description: UNIT_EXPECTED.replace(/^expected a unit/, 'The unit') }),
  })
  .meta({ title: 'Unit change', description: 'Converts a number to another unit, implied by `to` (mph is from km/h, fahrenheit from celsius, …); the value stays a plausible number, so a type check lets it through.' });

/** Finite numbers, text, true/false, null, and lists and plain mappings of them. */
function isJsonValue(v: unknown): v is JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every(isJsonValue);
  if (typeof v !== 'object' || Object.getPrototypeOf(v) !== Object.prototype) return false;
  return Object.values(v).every(isJsonValue);
}

const VALUE_EXPECTED = 'expected the new field\'s value: text, a finite number, true/false, null, a list or a mapping';

const addSchema = z
  .strictObject({
    field: pathField('Field', 'The new field; objects on the way are created when missing, an existing value is replaced.', 'firmware'),
    value: z.unknown()
      .superRefine((v, ctx) => {
        if (!isJsonValue(v)) ctx.addIssue({ code: 'custom', message: VALUE_EXPECTED });
      })
      .meta({ title: 'Value', description: 'Any JSON value; every drifted message gets the same one.', examples: ['2.4.1'] }),
  })
  .meta({ title: 'Add field', description: 'A new required field the drifted schema has, e.g. { field: firmware, value: "2.4.1" }.' });

const VERSION_EXPECTED = 'expected a version number such as 2, or { field: PATH, value: N } for a shape that keeps it elsewhere';
const versionNumber = z.number({ error: 'expected a version number such as 2' }).min(0, { error: 'expected a version number of at least 0' });

const schemaVersionSchema = z
  .union([versionNumber, z.strictObject({ field: pathField('Field', 'Where the shape keeps its version.', 'meta.version'), value: versionNumber })], { error: VERSION_EXPECTED })
  .meta({ title: 'Schema version', description: 'Sets the version field: N alone writes the built-in shape\'s schemaVersion; { field, value } a user\'s shape\'s own. A message without the field is left as is.' });

const ONE_OP = `expected one operation: ${DRIFT_OP_NAMES.join(', ')}`;

const opFields = z.strictObject({
  rename: renameSchema.optional(),
  remove: pathField('Remove', 'The field to drop; a message without it is left as is.', 'engine.rpm').optional(),
  type: typeSchema.optional(),
  unit: unitSchema.optional(),
  add: addSchema.optional(),
  schemaVersion: schemaVersionSchema.optional(),
});

const opSchema = opFields
  .superRefine((o, ctx) => {
    const keys = Object.keys(o).filter((k) => o[k as keyof typeof o] !== undefined);
    if (keys.length === 0) ctx.addIssue({ code: 'custom', message: ONE_OP });
    else if (keys.length > 1) ctx.addIssue({ code: 'custom', message: `expected one operation per list item, got ${keys.length} (${keys.join(', ')}): write each as its own item` });
  }, { when: (p) => !p.issues.some((i) => i.code === 'unrecognized_keys') }) // an unknown key is reported as such
  .meta({ title: 'Drift operation', description: `One change to the message, as a one-key mapping: ${DRIFT_OP_NAMES.join(', ')}.`, minProperties: 1, maxProperties: 1 })
  // With only an unknown key the refinement is skipped and this runs on an empty item; the
  // unrecognized-key issue already fails the parse, so the placeholder is never seen.
  .transform((o) => toDriftOp(o) ?? z.NEVER);

type OpInput = z.output<typeof opFields>;

/** The one operation of a checked item, resolved; undefined for an empty item. */
function toDriftOp(o: OpInput): DriftOp | undefined {
  if (o.rename) return { op: 'rename', from: o.rename.from, to: o.rename.to };
  if (o.remove) return { op: 'remove', field: o.remove };
  if (o.type) return { op: 'type', field: o.type.field, to: o.type.to };
  if (o.unit) return { op: 'unit', field: o.unit.field, from: DRIFT_UNITS[o.unit.to].from, to: o.unit.to };
  if (o.add) return { op: 'add', field: o.add.field, value: o.add.value as JsonValue };
  const v = o.schemaVersion;
  if (v === undefined) return undefined;
  return typeof v === 'number' ? { op: 'schemaVersion', field: SCHEMA_VERSION_FIELD, value: v } : { op: 'schemaVersion', field: v.field, value: v.value };
}

/** `drift:`: the operations, in the order they apply. */
export const driftOpsSchema = z
  .array(opSchema, { error: 'expected a list of drift operations, e.g. - rename: { from: position.speedKmh, to: position.speed }' })
  .min(1, { error: 'expected at least one drift operation' })
  .meta({ title: 'Drift', description: 'How the selected vehicles\' messages change from the fault\'s start, applied in order to each message: rename, remove, type, unit, add, schemaVersion.' });

const unitLabel = (u: DriftUnit): string => DRIFT_UNITS[u].label;

/** A value for a one-line description: JSON, cut at 40 characters. */
function shortJson(v: JsonValue): string {
  const s = JSON.stringify(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** One operation in words: `unit position.speedKmh km/h → mph`. */
export function describeDriftOp(op: DriftOp): string {
  switch (op.op) {
    case 'rename':
      return `rename ${op.from.join('.')} → ${op.to.join('.')}`;
    case 'remove':
      return `remove ${op.field.join('.')}`;
    case 'type':
      return `type ${op.field.join('.')} → ${op.to}`;
    case 'unit':
      return `unit ${op.field.join('.')} ${unitLabel(op.from)} → ${unitLabel(op.to)}`;
    case 'add':
      return `add ${op.field.join('.')} = ${shortJson(op.value)}`;
    case 'schemaVersion':
      return `schemaVersion ${op.field.join('.') === 'schemaVersion' ? '' : `${op.field.join('.')} `}→ ${op.value}`;
  }
}

/** The whole list on one line, for `rushhour validate`: operations joined by `; `. */
export function describeDrift(ops: readonly DriftOp[]): string {
  return ops.map(describeDriftOp).join('; ');
}
