import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import AjvModule, { type ValidateFunction } from 'ajv';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseDocument } from 'yaml';
import { UserError } from '../util/user-error.js';

/**
 * A user's JSON Schema (the `sandbox.schema` file): read, parsed and compiled once, before any
 * message. Every failure is a UserError that names `sandbox.schema` and the file, never a stack.
 *
 * - The file is JSON (`.json`) or YAML (any other name; JSON is YAML too), at most 1 MiB, and
 *   holds an object (or `true`/`false`, the boolean schemas).
 * - Compiled by ajv with `{ allErrors: false, strict: false }` (unknown keywords are ignored) and
 *   ajv-formats. Draft-07 unless `$schema` names draft 2020-12, which gets ajv's 2020 class.
 *   `$ref`s must resolve inside the file: nothing is fetched.
 * Sync on purpose: it runs where plans are built and where the sandbox starts, both sync.
 */

export const SCHEMA_HINT =
  'sandbox.schema names a JSON Schema file (JSON or YAML), relative to the scenario file\'s folder; see src/sandbox/README.md.';

const MAX_SCHEMA_BYTES = 1024 * 1024;
const DRAFT_2020 = /json-schema\.org\/draft\/2020-12\/schema/;

// CommonJS modules whose default export is also their `default` property: the typed way in from ESM.
const Ajv = AjvModule.default;
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/**
 * Reads and compiles the schema at `path`. `label` starts error messages, followed by a space:
 * `x.yaml:` or `x.yaml:3:11` → `x.yaml:3:11 sandbox.schema: /abs/s.json cannot be read (file not found)`.
 */
export function loadUserSchema(path: string, label?: string): ValidateFunction {
  const fail = (problem: string, hint = SCHEMA_HINT): UserError =>
    new UserError(`${label ? `${label} ` : ''}sandbox.schema: ${path} ${problem}`, { hint });
  const schema = readSchema(path, fail);
  const ajv = DRAFT_2020.test(String((schema as { $schema?: unknown }).$schema)) ? new Ajv2020(OPTIONS) : new Ajv(OPTIONS);
  addFormats(ajv);
  try {
    return ajv.compile(schema);
  } catch (err) {
    throw fail(`is not a schema ajv can compile: ${firstLine(err)}`, 'Check it against its JSON Schema draft (draft-07, or 2020-12 when its $schema says so); $refs must point inside the file.');
  }
}

const OPTIONS = { allErrors: false, strict: false } as const;

type Fail = (problem: string, hint?: string) => UserError;

function readSchema(path: string, fail: Fail): object | boolean {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw fail(`cannot be read (${readProblem(err)})`, `Check the path. ${SCHEMA_HINT}`);
  }
  if (bytes.length > MAX_SCHEMA_BYTES) throw fail(`is ${bytes.length} bytes, more than a schema file may be (${MAX_SCHEMA_BYTES})`);
  const value = extname(path).toLowerCase() === '.json' ? parseJson(bytes.toString('utf8'), fail) : parseYaml(bytes.toString('utf8'), fail);
  if (typeof value === 'boolean' || (typeof value === 'object' && value !== null && !Array.isArray(value))) return value;
  throw fail('does not hold a JSON Schema (expected an object at the top level)');
}

function parseJson(text: string, fail: Fail): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw fail(`is not valid JSON: ${firstLine(err)}`);
  }
}

function parseYaml(text: string, fail: Fail): unknown {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const { line, col } = lines.linePos(doc.errors[0].pos[0]);
    throw fail(`is not valid YAML (line ${line}, column ${col}): ${firstLine(doc.errors[0])}`);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 }) as unknown;
  } catch (err) {
    throw fail(`cannot be read as YAML: ${firstLine(err)}`);
  }
}

function readProblem(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return code ?? firstLine(err);
}

function firstLine(err: unknown): string {
  return String((err as Error)?.message ?? err).split('\n')[0].trim();
}
