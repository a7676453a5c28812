import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSandboxParams } from '../../src/sandbox/config-file.js';
import { formatParamsIssues, sandboxParamsSchema } from '../../src/sandbox/params.js';
import { loadUserSchema } from '../../src/sandbox/user-schema.js';
import { UserError } from '../../src/util/user-error.js';

const dir = mkdtempSync(join(tmpdir(), 'rushhour-user-schema-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function errorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return e as UserError;
  }
  throw new Error('expected a UserError');
}

describe('loadUserSchema (sandbox.schema files)', () => {
  it('compiles a JSON file, a YAML file and a draft 2020-12 schema, with formats', () => {
    const json = loadUserSchema(file('a.json', '{"type":"object","properties":{"at":{"type":"string","format":"date-time"}}}'));
    expect(json({ at: '2024-03-07T10:00:00Z' })).toBe(true);
    expect(json({ at: 'yesterday' })).toBe(false);
    const yaml = loadUserSchema(file('b.yaml', 'type: object\nrequired: [id]\nproperties:\n  id: { type: string }\n'));
    expect(yaml({ id: 'x' })).toBe(true);
    expect(yaml({})).toBe(false);
    const draft2020 = loadUserSchema(file('c.json', JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', prefixItems: [{ type: 'number' }] })));
    expect(draft2020([1])).toBe(true);
    expect(draft2020(['x'])).toBe(false);
  });

  it.each([
    ['a missing file', () => join(dir, 'nope.json'), /^x\.yaml: sandbox\.schema: \S+nope\.json cannot be read \(file not found\)$/],
    ['a directory', () => (mkdirSync(join(dir, 'sub'), { recursive: true }), join(dir, 'sub')), /sandbox\.schema: \S+sub cannot be read \(it is a directory\)$/],
    ['broken JSON', () => file('broken.json', '{"type": '), /sandbox\.schema: \S+broken\.json is not valid JSON: /],
    ['broken YAML', () => file('broken.yaml', 'type: [object\n'), /sandbox\.schema: \S+broken\.yaml is not valid YAML \(line \d+, column \d+\)/],
    ['a list', () => file('list.json', '[1, 2]'), /sandbox\.schema: \S+list\.json does not hold a JSON Schema/],
    ['an invalid schema', () => file('bad-type.json', '{"type": "nope"}'), /sandbox\.schema: \S+bad-type\.json is not a schema ajv can compile: schema is invalid/],
    ['a remote $ref', () => file('remote.json', '{"$ref": "https://example.com/x.json"}'), /is not a schema ajv can compile: can't resolve reference/],
  ])('%s is a UserError naming sandbox.schema and the file, with a hint', (_label, path, message) => {
    const e = errorOf(() => loadUserSchema(path(), 'x.yaml:'));
    expect(e.message).toMatch(message);
    expect(e.hint).toMatch(/sandbox\.schema|JSON Schema/);
    expect(e.exitCode).toBe(2);
  });
});

describe('sandbox.schema and sandbox.fields parameters', () => {
  it('default to none (schema v1) and no field paths', () => {
    expect(sandboxParamsSchema.parse({})).toMatchObject({ schema: null, fields: {} });
    expect(sandboxParamsSchema.parse({ schema: 's.json', fields: { messageId: 'meta.id' } })).toMatchObject({ schema: 's.json', fields: { messageId: 'meta.id' } });
  });

  it('reject fields without a schema, unknown field names and empty path steps', () => {
    const issues = (input: unknown) => {
      const r = sandboxParamsSchema.safeParse(input);
      return r.success ? [] : formatParamsIssues(r.error);
    };
    expect(issues({ fields: { messageId: 'id' } })).toEqual(['sandbox.fields: expected fields only together with schema (they name fields of messages that schema describes)']);
    expect(issues({ schema: 's.json', fields: { msgId: 'id' } })[0]).toMatch(/^sandbox\.fields: .*msgId/);
    expect(issues({ schema: 's.json', fields: { seq: 'meta..n' } })).toEqual(['sandbox.fields.seq: expected a dotted path into the message, e.g. "meta.id"']);
  });

  it('rushhour sandbox --config: the schema is resolved against the file\'s folder and checked', () => {
    file('msg.schema.yaml', 'type: object\n');
    const p = parseSandboxParams('sandbox:\n  schema: msg.schema.yaml\n', join(dir, 'scenario.yaml'));
    expect(p.schema).toBe(join(dir, 'msg.schema.yaml'));
    const e = errorOf(() => parseSandboxParams('name: x\nsandbox:\n  schema: missing.json\n', join(dir, 'scenario.yaml')));
    expect(e.message).toMatch(/scenario\.yaml:3:11 sandbox\.schema: \S+missing\.json cannot be read \(file not found\)/);
  });
});
