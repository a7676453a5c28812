/**
 * Writes schemas/scenario.schema.json from the zod schema of the scenario file.
 * Run after changing src/scenario (or src/sandbox/params.ts): `npx tsx scripts/gen-schema.ts`.
 * With `--check`, writes nothing and exits 1 when the shipped file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from '../src/scenario/json-schema.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const target = resolve(root, SCENARIO_SCHEMA_PATH);
const text = scenarioJsonSchemaText();

if (process.argv.includes('--check')) {
  const shipped = await readFile(target, 'utf8').catch(() => '');
  if (shipped !== text) {
    process.stderr.write(`${SCENARIO_SCHEMA_PATH} is stale: run npx tsx scripts/gen-schema.ts\n`);
    process.exit(1);
  }
  process.stdout.write(`${SCENARIO_SCHEMA_PATH} is up to date\n`);
} else {
  await writeFile(target, text);
  process.stdout.write(`wrote ${SCENARIO_SCHEMA_PATH} (${text.length} bytes)\n`);
}
