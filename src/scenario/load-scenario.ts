import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, type Document, type YAMLError } from 'yaml';
import { UserError } from '../util/user-error.js';
import type { Scenario } from './scenario.js';
import { describeValue, formatPath, problemText, problemsFromIssues, scenarioErrorMap, type Problem } from './scenario-issues.js';
import { scenarioSchema } from './schema.js';
import { locatePath, positionAt, type SourcePosition } from './yaml-positions.js';

/**
 * Reads and validates a scenario file. Every failure is a UserError (exit code 2) whose message
 * names the file, `line:column` (1-based) and the field path, and says what was expected:
 *   scenarios/x.yaml:12:11 phases[2].rate: expected a rate such as 2000 or 2000/s (or 120/m), got "fast"
 * With several problems, the first line is a headline and each problem follows on its own line.
 */

export const SCENARIO_HINT =
  'The scenario format is in the README (scenario reference); point your editor at schemas/scenario.schema.json for help as you type.';

/** Scenario files are small; anything bigger is almost certainly the wrong file. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;

/** Problems listed in one message; the rest are counted. */
const MAX_LISTED = 30;

interface Located {
  pos: SourcePosition;
  text: string;
}

/** Reads `path` (UTF-8 YAML) and validates it. */
export async function loadScenarioFile(path: string): Promise<Scenario> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw readError(path, e);
  }
  if (bytes.length > MAX_SCENARIO_BYTES) {
    throw new UserError(`${path}: ${bytes.length} bytes is too large for a scenario file (at most ${MAX_SCENARIO_BYTES})`, {
      hint: 'Is this the right file? Scenario files are a few dozen lines of YAML.',
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw notText(path, 'it is not valid UTF-8');
  }
  return parseScenarioText(text, path);
}

function readError(path: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new UserError(`scenario file not found: ${path}`, {
      hint: 'Check the path. Shipped scenarios are in scenarios/, e.g. `rushhour validate scenarios/smoke.yaml`.',
      cause: e,
    });
  }
  if (code === 'EISDIR') return new UserError(`${path} is a directory, not a scenario file`, { hint: 'Name a .yaml file inside it.', cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`cannot read ${path}: permission denied`, { cause: e });
  return new UserError(`cannot read scenario file ${path}: ${(e as Error).message}`, { cause: e });
}

function notText(label: string, why: string): UserError {
  return new UserError(`${label}: not a YAML text file (${why})`, {
    hint: 'A scenario is a UTF-8 YAML text file, e.g. scenarios/smoke.yaml.',
  });
}

/** Control characters YAML does not allow in a document (tab, LF and CR are fine). */
// eslint-disable-next-line no-control-regex
const BINARY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** Validates scenario YAML text; `fileLabel` is how errors name the file. */
export function parseScenarioText(text: string, fileLabel: string): Scenario {
  const binary = BINARY.exec(text);
  if (binary) throw notText(fileLabel, `it contains ${controlByteAt(text, binary.index)}`);
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const located = doc.errors.map((e) => ({ pos: positionAt(lineCounter, e.pos[0]), text: `YAML syntax: ${yamlErrorText(e)}` }));
    throw problemsError(fileLabel, located, 'the file is not valid YAML');
  }
  if (doc.contents === null || isNullScalar(doc.contents)) {
    throw new UserError(`${fileLabel}: the scenario file is empty`, { hint: `A minimal scenario:\n  name: smoke\n  duration: 30s\n${SCENARIO_HINT}` });
  }
  const data = toPlain(doc, fileLabel);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    const pos = positionAt(lineCounter, doc.contents.range?.[0] ?? 0);
    const located = [{ pos, text: `(top level): expected a mapping of scenario fields (name:, phases:, …), got ${describeValue(data)}` }];
    throw problemsError(fileLabel, located, 'the scenario is not a mapping');
  }
  const result = scenarioSchema.safeParse(data, { error: scenarioErrorMap });
  if (result.success) return result.data;
  const located = problemsFromIssues(result.error.issues).map((p) => locateProblem(doc, lineCounter, p, data));
  throw problemsError(fileLabel, located, 'the scenario is not valid');
}

/** `control byte 0x00 at line 1, column 5` (1-based). */
function controlByteAt(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  const col = index - before.lastIndexOf('\n');
  const hex = text.charCodeAt(index).toString(16).padStart(2, '0');
  return `control byte 0x${hex} at line ${line}, column ${col}`;
}

function isNullScalar(node: unknown): boolean {
  return (node as { value?: unknown }).value === null && !('items' in (node as object));
}

/** The yaml library's message, reworded where it speaks of its own API. */
function yamlErrorText(e: YAMLError): string {
  if (e.code === 'MULTIPLE_DOCS') return 'more than one document (---) in the file; a scenario file holds one';
  if (e.code === 'DUPLICATE_KEY') return 'duplicate key (each key may appear once in a mapping)';
  return firstLine(e.message);
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** The document as plain JS values; alias bombs and similar surface as a UserError. */
function toPlain(doc: Document, label: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    throw new UserError(`${label}: cannot read the YAML: ${firstLine((e as Error).message ?? String(e))}`, { hint: SCENARIO_HINT, cause: e });
  }
}

function locateProblem(doc: Document, lineCounter: LineCounter, p: Problem, data: unknown): Located {
  const pos = locatePath(doc, lineCounter, p.path, p.atKey ? 'key' : 'value');
  return { pos, text: `${formatPath(p.path)}: ${problemText(p, data)}` };
}

/** One UserError for all problems, sorted by position; a single problem is its own headline. */
function problemsError(label: string, problems: Located[], headline: string): UserError {
  const sorted = [...problems].sort((a, b) => a.pos.line - b.pos.line || a.pos.col - b.pos.col);
  const all = [...new Set(sorted.map((p) => `${label}:${p.pos.line}:${p.pos.col} ${p.text}`))];
  const lines = all.slice(0, MAX_LISTED);
  if (all.length > MAX_LISTED) lines.push(`… and ${all.length - MAX_LISTED} more`);
  const message = all.length === 1 ? lines[0] : [`${label}: ${headline}: ${all.length} problems`, ...lines].join('\n');
  return new UserError(message, { hint: SCENARIO_HINT });
}
