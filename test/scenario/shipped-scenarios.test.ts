import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../src/scenario/build-plan.js';
import { describePlan } from '../../src/scenario/describe-plan.js';
import { loadScenarioFile } from '../../src/scenario/load-scenario.js';

const dir = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();

describe('shipped scenarios', () => {
  it('the folder has scenarios to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('scenarios/%s validates and builds a plan', async (file) => {
    const path = join(dir, file);
    const scenario = await loadScenarioFile(path);
    const plan = buildPlan({ scenario, source: `scenarios/${file}`, overrides: {} });
    expect(plan.phases.length).toBeGreaterThan(0);
    expect(describePlan(plan).join('\n')).toContain(`scenario    ${plan.name}`);
  });
});
