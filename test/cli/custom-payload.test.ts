import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SandboxParams } from '../../src/sandbox/params.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';
import { runCli, STACK_LINE, tempDir } from '../support/cli.js';

const FILE = 'scenarios/custom-payload.yaml';

interface Stats {
  processor: { processed: number; failedInvalid: number };
  output: { written: number };
}

/**
 * The shipped custom-payload scenario against the real sandbox, started here with the
 * scenario's own `sandbox:` block (ACME's JSON Schema): the templated messages pass the
 * processor's schema, the built-in shape does not. Reads the sandbox's /stats after each run.
 */
describe('scenarios/custom-payload.yaml: a template that passes the user\'s JSON Schema, the built-in shape that does not', () => {
  let sandbox: SandboxHandle;
  const stats = async (): Promise<Stats> => (await (await fetch(sandbox.statsUrl)).json()) as Stats;
  beforeAll(async () => {
    const plan = buildPlan({ scenario: await loadScenarioFile(FILE), source: FILE, overrides: {} });
    sandbox = await startSandbox((plan.target as unknown as { params: SandboxParams }).params);
  });
  afterAll(() => sandbox.stop());

  it('validate: 200 of 200 samples pass; the built-in shape: 0 of 200, with ajv\'s reason', async () => {
    const shaped = await runCli(['validate', FILE]);
    expect(shaped.code, shaped.stderr).toBe(0);
    expect(shaped.stdout).toMatch(/^pipeline {4}200 of 200 sample messages pass the sandbox processor's schema \(.*acme-telemetry\.schema\.json\)$/m);
    expect(shaped.stdout).toMatch(/^identity {4}message id at msgId, seq at n$/m);
    expect(shaped.stdout).not.toMatch(/WARNING/);
    // the same scenario without its payload block: the built-in shape
    const text = readFileSync(FILE, 'utf8');
    const builtIn = join(tempDir(), 'built-in.yaml');
    writeFileSync(builtIn, text.slice(0, text.indexOf('\npayload:\n')) + text.slice(text.indexOf('\nphases:\n')));
    writeFileSync(builtIn, readFileSync(builtIn, 'utf8').replace('schema: ./schemas/', `schema: ${resolve('scenarios/schemas')}/`));
    const plain = await runCli(['validate', builtIn]);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toMatch(/^pipeline {4}0 of 200 sample messages pass/m);
    expect(plain.stdout).toMatch(/^WARNING: 200 of 200 sample messages fail the sandbox processor's schema .* will end in its DLQ; first: invalid: \(root\) must have required property 'deviceId'/m);
  });

  it('run: every templated message is processed; built-in messages all fail the schema', async () => {
    const shaped = await runCli(['run', FILE, '--target', sandbox.ingestUrl, '--duration', '3s', '--out', join(tempDir(), 'shaped')]);
    expect(shaped.stderr).not.toMatch(STACK_LINE);
    expect(shaped.code, shaped.stdout.slice(-1200)).toBe(0);
    await new Promise((r) => setTimeout(r, 1500)); // the processor's batches drain
    const after = await stats();
    expect(after.processor.failedInvalid).toBe(0);
    expect(after.output.written).toBeGreaterThanOrEqual(600); // 3 s at 200/s, plus the warm-up

    const builtIn = await runCli(['run', '--target', sandbox.ingestUrl, '--rate', '100', '--duration', '2s', '--out', join(tempDir(), 'builtin')]);
    expect(builtIn.code).toBe(0); // the ingest accepts them (202): the failure is downstream
    await new Promise((r) => setTimeout(r, 1500));
    const later = await stats();
    expect(later.processor.failedInvalid).toBeGreaterThan(0);
    expect(later.output.written).toBe(after.output.written);
  }, 60_000);
});
