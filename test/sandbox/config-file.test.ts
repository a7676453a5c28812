import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSandboxParams, parseSandboxParams } from '../../src/sandbox/config-file.js';
import { defaultSandboxParams } from '../../src/sandbox/params.js';
import { UserError } from '../../src/util/user-error.js';

function problem(yaml: string): UserError {
  try {
    parseSandboxParams(yaml, 'x.yaml');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error('expected a UserError');
}

describe('the sandbox: block of a scenario file', () => {
  it('reads the block and ignores the rest of the file', () => {
    const p = parseSandboxParams('name: demo\nphases: [whatever]\nsandbox:\n  processor:\n    idleTimeout: 10s\n  db: { proxy: true }\n', 'x.yaml');
    expect(p.processor.idleTimeout).toBe(10_000);
    expect(p.db.proxy).toBe(true);
  });

  it.each([['name: demo\n'], [''], ['sandbox:\n']])('uses every default without a block (%j)', (yaml) => {
    expect(parseSandboxParams(yaml, 'x.yaml')).toEqual(defaultSandboxParams());
  });

  it.each([
    ['sandbox:\n  db:\n    maxConnections: 0\n', /^x\.yaml:3:21 sandbox\.db\.maxConnections: /],
    ['sandbox:\n  processor:\n    idleTimeout: 20\n', /^x\.yaml:3:18 sandbox\.processor\.idleTimeout: expected a duration/],
    ['sandbox:\n  qeue: {}\n', /^x\.yaml:2:3 sandbox: Unrecognized key: "qeue"/],
    ['sandbox:\n  db:\n    proxy: true\n    pool: 5\n', /^x\.yaml:4:5 sandbox\.db: Unrecognized key: "pool"/],
    ['sandbox: [1, 2]\n', /^x\.yaml:1:10 sandbox: /],
    ['sandbox:\n  db: {proxy: true\n', /^x\.yaml:\d+:\d+ is not valid YAML/],
    ['- a\n- b\n', /^x\.yaml: expected a scenario/],
  ])('names the file, the position and the field: %j', (yaml, message) => {
    const err = problem(yaml);
    expect(err.message).toMatch(message);
    expect(err.exitCode).toBe(2);
    expect(err.hint).toContain('README');
  });

  it('lists several problems', () => {
    const err = problem('sandbox:\n  seed: -1\n  db:\n    maxConnections: 0\n');
    expect(err.message.split('\n')).toEqual([
      'x.yaml: 2 problems in the sandbox: block',
      expect.stringMatching(/^x\.yaml:2:9 sandbox\.seed: /),
      expect.stringMatching(/^x\.yaml:4:21 sandbox\.db\.maxConnections: /),
    ]);
  });

  it('loads a file, and says so when it cannot be read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rushhour-sandbox-'));
    const file = join(dir, 'scenario.yaml');
    await writeFile(file, 'sandbox:\n  processor: { batchSize: 10 }\n');
    expect((await loadSandboxParams(file)).processor.batchSize).toBe(10);
    await expect(loadSandboxParams(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read .*missing\.yaml: ENOENT/);
  });
});
