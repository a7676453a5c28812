import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_DRAFT, SCENARIO_SCHEMA_ID, SCENARIO_SCHEMA_PATH, scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenario/json-schema.js';

const shippedPath = fileURLToPath(new URL(`../../${SCENARIO_SCHEMA_PATH}`, import.meta.url));

type Json = Record<string, unknown>;

describe('schemas/scenario.schema.json', () => {
  it('is what scripts/gen-schema.ts generates now (run `npx tsx scripts/gen-schema.ts` if this fails)', async () => {
    const shipped = await readFile(shippedPath, 'utf8');
    expect(shipped).toBe(scenarioJsonSchemaText());
  });

  it('declares its draft and id, and documents the fields for editors', () => {
    const s = scenarioJsonSchema() as Json & { properties: Record<string, Json> };
    expect(s.$schema).toBe(SCENARIO_SCHEMA_DRAFT);
    expect(s.$id).toBe(SCENARIO_SCHEMA_ID);
    expect(s.additionalProperties).toBe(false);
    expect(s.required).toEqual(['name']);
    expect(Object.keys(s.properties)).toEqual(['name', 'description', 'seed', 'duration', 'fleet', 'target', 'sandbox', 'phases', 'thresholds', 'engine', 'cost', 'payload', 'probes', 'faults']);
    for (const [key, field] of Object.entries(s.properties)) {
      expect(field.title, `properties.${key}.title`).toBeTruthy();
      expect(field.description, `properties.${key}.description`).toBeTruthy();
    }
  });

  it('describes the input side: durations are text with a unit, defaults as written', () => {
    const s = scenarioJsonSchema() as { properties: Record<string, Json & { properties?: Record<string, Json> }> };
    expect(s.properties.duration).toMatchObject({ type: 'string', examples: ['30s'] });
    expect(new RegExp(s.properties.duration.pattern as string).test('1.5s')).toBe(true);
    expect(new RegExp(s.properties.duration.pattern as string).test('30')).toBe(false);
    expect(s.properties.target.default).toBe('sandbox');
    expect(s.properties.fleet.properties?.diagnosticSize.default).toBe('32KiB');
  });
});
