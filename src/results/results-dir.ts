import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../util/user-error.js';

/** File names inside a results directory: a public contract (README). */
export const RESULT_FILES = {
  journal: 'journal.jsonl',
  hlog: 'latency.hlog',
  summary: 'summary.json',
  report: 'report.md',
  junit: 'junit.xml',
  html: 'report.html',
} as const;

/** A chart's file inside a results directory (written with report.md, which links it): `chart-<id>.svg`. */
export function chartFile(id: string): string {
  return `chart-${id}.svg`;
}

export function resultPath(dir: string, file: keyof typeof RESULT_FILES): string {
  return join(dir, RESULT_FILES[file]);
}

/** `runs/<UTC timestamp>-<name>`, e.g. runs/20261127T101500Z-smoke. */
export function defaultResultsDir(name: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join('runs', `${stamp}-${name.replace(/[^A-Za-z0-9_-]/g, '_')}`);
}

/**
 * Creates the directory; refuses one that already holds a run, so nothing recorded is
 * overwritten. Returns whether it created the directory.
 */
export function prepareResultsDir(dir: string): boolean {
  const existed = existsSync(dir);
  if (existed) {
    const entries = readdirSync(dir);
    if (entries.includes(RESULT_FILES.journal)) {
      throw new UserError(`results directory ${dir} already holds a run (${RESULT_FILES.journal} exists)`, {
        hint: 'choose another --out, or remove that directory first',
      });
    }
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new UserError(`cannot create results directory ${dir}: ${(e as Error).message}`, { hint: 'check the path and its permissions' });
  }
  return !existed;
}

/** Removes a directory this run created if nothing was written into it. */
export function removeIfEmpty(dir: string): void {
  try {
    if (readdirSync(dir).length === 0) rmdirSync(dir);
  } catch {
    // best effort: a directory we cannot read or remove stays as it is
  }
}
