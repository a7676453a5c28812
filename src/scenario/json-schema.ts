import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/**
 * The JSON Schema of the scenario file (input side: what a person writes), generated from the
 * zod schema so the two cannot drift. Shipped as schemas/scenario.schema.json by
 * scripts/gen-schema.ts; a test fails when the shipped file is stale.
 * Editors (VS Code YAML, JetBrains) use it via `# yaml-language-server: $schema=…`.
 */

export const SCENARIO_SCHEMA_ID = 'urn:rushhour:scenario-schema:v1';
export const SCENARIO_SCHEMA_DRAFT = 'https://json-schema.org/draft/2020-12/schema';
/** Where the generated file lives, relative to the repository root. */
export const SCENARIO_SCHEMA_PATH = 'schemas/scenario.schema.json';

export function scenarioJsonSchema(): Record<string, unknown> {
  // `unrepresentable: 'any'` keeps generation from failing should a nested schema (the sandbox
  // block belongs to another module) ever hold something JSON Schema cannot say.
  const generated = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
    override: restoreInputDocs,
  }) as Record<string, unknown>;
  const { $schema: _draft, ...rest } = generated;
  return { $schema: SCENARIO_SCHEMA_DRAFT, $id: SCENARIO_SCHEMA_ID, ...rest };
}

/**
 * zod drops `default` and `examples` from any schema that contains a transform, because they
 * could be output values. Ours are written in input form (`default: '10s'`, see FieldMeta), so
 * they are put back from the schema's metadata.
 */
function restoreInputDocs(ctx: { zodSchema: unknown; jsonSchema: Record<string, unknown> }): void {
  const meta = z.globalRegistry.get(ctx.zodSchema as z.ZodType);
  if (!meta) return;
  if (meta.default !== undefined && ctx.jsonSchema.default === undefined) ctx.jsonSchema.default = meta.default;
  if (meta.examples !== undefined && ctx.jsonSchema.examples === undefined) ctx.jsonSchema.examples = meta.examples;
  const shorthand = meta[SHORTHAND_KEY] as string[] | undefined;
  if (shorthand) {
    // An object that may also be written as one word (`ingest: kinesis`): the schema says both forms.
    const { description, default: def, ...object } = ctx.jsonSchema;
    for (const k of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[k];
    delete object[SHORTHAND_KEY];
    Object.assign(ctx.jsonSchema, { description, default: def, anyOf: [{ type: 'string', enum: shorthand }, object] });
  }
}

/** Metadata key: the words a field written as an object also takes alone (see sandbox.ingest). */
export const SHORTHAND_KEY = 'x-rushhour-shorthand';

/** The exact text of schemas/scenario.schema.json. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
