import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/cli.js';

describe('lint rule: src/engine never imports src/ui or src/reports', () => {
  it.each([
    ["import { createPlainLogger } from '../ui/plain-logger.js';", true],
    ["import { renderMarkdownReport } from '../reports/markdown-report.js';", true],
    ["import { percentilesMs } from '../metrics/histogram.js';", false],
  ])('%s → error=%s', async (line, isError) => {
    const eslint = new ESLint({ cwd: ROOT });
    const [result] = await eslint.lintText(`${line}\nexport const x = 1;\n`, { filePath: `${ROOT}/src/engine/probe.ts` });
    const restricted = result.messages.filter((m) => m.ruleId === 'no-restricted-imports');
    expect(restricted.length > 0).toBe(isError);
  });
});
