import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

/** A scenario (and, with `schema`, its schema file) in a fresh folder; returns the scenario path. */
function scenario(sandbox: string, schema?: string): string {
  const dir = tempDir();
  if (schema !== undefined) writeFileSync(join(dir, 'msg.schema.json'), schema);
  const file = join(dir, 'scenario.yaml');
  writeFileSync(file, `name: own-schema\nduration: 2s\nsandbox:\n${sandbox}`);
  return file;
}

describe('rushhour validate with sandbox.schema (child process)', () => {
  it('lists the resolved schema and the field paths', async () => {
    const file = scenario('  schema: msg.schema.json\n  fields: { messageId: meta.id, sentAt: meta.at }\n', '{"type":"object"}');
    const r = await runCli(['validate', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`schema=${JSON.stringify(join(file, '..', 'msg.schema.json'))}`);
    expect(r.stdout).toContain('fields.messageId="meta.id", fields.sentAt="meta.at"');
  });

  it.each([
    ['a missing file', undefined, /sandbox\.schema: \S+msg\.schema\.json cannot be read \(file not found\)/],
    ['broken JSON', '{"type": ', /sandbox\.schema: \S+msg\.schema\.json is not valid JSON/],
    ['a schema ajv cannot compile', '{"type": "nope"}', /sandbox\.schema: \S+msg\.schema\.json is not a schema ajv can compile/],
  ])('%s: exit 2, one message naming the scenario, sandbox.schema and the file, a hint, no stack trace', async (_label, schema, message) => {
    const file = scenario('  schema: msg.schema.json\n', schema);
    const r = await runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: sandbox.schema:`);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/JSON Schema/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
  });
});
