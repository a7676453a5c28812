import { readFile } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { UserError } from '../util/user-error.js';
import { defaultSandboxParams, formatParamsIssues, sandboxParamsSchema, type SandboxParams } from './params.js';
import { loadUserSchema } from './user-schema.js';

const HINT = 'The sandbox: block is documented in src/sandbox/README.md; every field is optional.';

/**
 * Reads the `sandbox:` block of a scenario YAML file (the rest of the file is not looked at)
 * and validates it. No file (`path` undefined) or no block means all defaults. Every failure is
 * a UserError naming the file, and for a bad field its `line:col` and path, e.g.
 *   scenarios/x.yaml:7:21 sandbox.db.maxConnections: Too small: expected number to be >=1
 * `sandbox.schema` comes back absolute (resolved against the file's folder), read and compiled
 * once here so that a bad schema file is reported before the sandbox starts.
 */
export async function loadSandboxParams(path: string | undefined): Promise<SandboxParams> {
  if (path === undefined) return defaultSandboxParams();
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new UserError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { hint: 'Check the path.' });
  }
  return parseSandboxParams(text, path);
}

/** The same, on YAML text; `source` names it in messages. */
export function parseSandboxParams(text: string, source: string): SandboxParams {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e.pos[0]);
    throw new UserError(`${source}:${line}:${col} is not valid YAML: ${e.message.split('\n')[0]}`, { hint: HINT });
  }
  const root: unknown = doc.toJS();
  if (root !== null && (typeof root !== 'object' || Array.isArray(root))) {
    throw new UserError(`${source}: expected a scenario (a YAML mapping) at the top level`, { hint: HINT });
  }
  const block = (root as Record<string, unknown> | null)?.sandbox ?? {};
  const result = sandboxParamsSchema.safeParse(block === null ? {} : block);
  if (result.success) return withSchemaResolved(result.data, source, position(doc, lines, ['sandbox', 'schema']));
  const problems = formatParamsIssues(result.error).map((msg, i) => {
    const issue = result.error.issues[i];
    const path = ['sandbox', ...issue.path];
    const where = (issue.code === 'unrecognized_keys' && keyPosition(doc, lines, path, issue.keys[0])) || position(doc, lines, path);
    return `${source}${where} ${msg}`;
  });
  const message = problems.length === 1 ? problems[0] : `${source}: ${problems.length} problems in the sandbox: block\n${problems.join('\n')}`;
  throw new UserError(message, { hint: HINT });
}

/** `params` with `schema` resolved against the folder of `source` and checked (read, compiled). */
function withSchemaResolved(params: SandboxParams, source: string, where: string): SandboxParams {
  if (params.schema === null) return params;
  const schema = resolvePath(dirname(source), params.schema);
  loadUserSchema(schema, `${source}${where || ':'}`);
  return { ...params, schema };
}

/** `:line:col` of the key `key` in the mapping at `path`, or '' if not found. */
function keyPosition(doc: Document, lines: LineCounter, path: PropertyKey[], key: string | undefined): string {
  const map = doc.getIn(path, true);
  if (!isMap(map)) return '';
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
  return range ? lineCol(lines, range[0]) : '';
}

function lineCol(lines: LineCounter, offset: number): string {
  const { line, col } = lines.linePos(offset);
  return `:${line}:${col}`;
}

/** `:line:col` of the deepest node of `path` found in the document, or '' if none. */
function position(doc: Document, lines: LineCounter, path: PropertyKey[]): string {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node?.range) return lineCol(lines, node.range[0]);
  }
  return '';
}
