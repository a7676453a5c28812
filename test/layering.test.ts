import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/cli.js';

describe('lint rule: imports follow the layer order of DESIGN.md', () => {
  const eslint = new ESLint({ cwd: ROOT });
  it.each([
    // [file, import, forbidden]
    ['src/engine/probe.ts', '../ui/plain-logger.js', true],
    ['src/engine/probe.ts', '../reports/markdown-report.js', true],
    ['src/engine/probe.ts', '../results/journal-reader.js', true],
    ['src/engine/probe.ts', '../metrics/histogram.js', false],
    ['src/engine/probe.ts', '../targets/target.js', false],
    ['src/metrics/x.ts', '../engine/events.js', true],
    ['src/metrics/x.ts', '../scenario/run-plan.js', true],
    ['src/metrics/x.ts', '../results/journal-reader.js', true],
    ['src/metrics/x.ts', '../sandbox/params.js', true],
    ['src/metrics/x.ts', '../util/units.js', false],
    ['src/targets/x.ts', '../scenario/run-plan.js', true],
    ['src/targets/x.ts', '../sandbox/spawn-sandbox.js', false],
    ['src/reports/x.ts', '../ui/plain-logger.js', true],
    ['src/ui/x.ts', '../reports/markdown-report.js', true],
    ['src/ui/x.ts', '../results/summary.js', false],
    ['src/load/x.ts', '../telemetry/fleet-model.js', true],
    ['src/util/x.ts', '../load/pacers.js', true],
    ['src/sandbox/x.ts', '../metrics/histogram.js', true],
    ['src/sandbox/x.ts', '../telemetry/fleet-model.js', false],
    ['src/commands/x.ts', '../run/run-service.js', false],
    ['src/run/x.ts', '../cli/signals.js', true],
  ])('%s importing %s → forbidden=%s', async (file, from, forbidden) => {
    const [result] = await eslint.lintText(`import { x } from '${from}';\nexport const y = x;\n`, { filePath: `${ROOT}/${file}` });
    const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted.length > 0).toBe(forbidden);
  });
});
