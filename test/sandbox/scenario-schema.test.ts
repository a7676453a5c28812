import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { describePlan } from '../../src/scenario/describe-plan.js';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import type { SandboxTargetConfig } from '../../src/scenario/run-plan.js';
import { UserError } from '../../src/util/user-error.js';

/** A scenario file in its own folder, with `schemas/msg.schema.json` beside it. */
function scenarioDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'rushhour-scenario-schema-'));
  mkdirSync(join(dir, 'schemas'));
  writeFileSync(join(dir, 'schemas', 'msg.schema.json'), '{"type":"object","required":["meta"]}');
  return dir;
}

function plan(dir: string, sandbox: string) {
  const source = join(dir, 'scenario.yaml');
  const scenario = parseScenarioText(`name: own-schema\nduration: 5s\nsandbox:\n${sandbox}`, source);
  return buildPlan({ scenario, source, overrides: {} });
}

describe('scenario: sandbox.schema is resolved and checked when the plan is built', () => {
  it('resolves the path against the scenario file\'s folder; validate lists the changed parameters', () => {
    const dir = scenarioDir();
    const p = plan(dir, '  schema: schemas/msg.schema.json\n  fields: { messageId: meta.id }\n');
    const params = (p.target as SandboxTargetConfig).params;
    expect(params).toMatchObject({ schema: join(dir, 'schemas', 'msg.schema.json'), fields: { messageId: 'meta.id' } });
    const line = describePlan(p).find((l) => l.startsWith('sandbox '));
    expect(line).toContain(`schema=${JSON.stringify(join(dir, 'schemas', 'msg.schema.json'))}`);
    expect(line).toContain('fields.messageId="meta.id"');
  });

  it('a missing schema file is a UserError naming the scenario, sandbox.schema and the file, with a hint', () => {
    const dir = scenarioDir();
    let err: unknown;
    try {
      plan(dir, '  schema: schemas/nope.json\n');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    const e = err as UserError;
    expect(e.exitCode).toBe(2);
    expect(e.message).toBe(`${join(dir, 'scenario.yaml')}: sandbox.schema: ${join(dir, 'schemas', 'nope.json')} cannot be read (file not found)`);
    expect(e.hint).toMatch(/relative to the scenario file/);
  });

  it('fields without schema is a scenario error at its line', () => {
    let err: unknown;
    try {
      parseScenarioText('name: x\nduration: 5s\nsandbox:\n  fields: { messageId: id }\n', 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect((err as UserError).message).toBe('x.yaml:4:11 sandbox.fields: expected fields only together with schema (they name fields of messages that schema describes)');
  });
});
