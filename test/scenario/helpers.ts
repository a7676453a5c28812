import { expect } from 'vitest';
import { parseScenarioText } from '../../src/scenario/load-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { UserError } from '../../src/util/user-error.js';

/** The file label every test uses; errors start with `x.yaml:line:col`. */
export const FILE = 'x.yaml';

export function parse(text: string): Scenario {
  return parseScenarioText(text, FILE);
}

/** Runs `fn`, asserts it threw a UserError with exit code 2, and returns it. */
export function userErrorOf(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    return e as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

export async function userErrorOfAsync(fn: () => Promise<unknown>): Promise<UserError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).exitCode).toBe(2);
    return e as UserError;
  }
  throw new Error('expected a UserError, nothing was thrown');
}

/** A minimal valid scenario with `extra` YAML lines appended. */
export function scenario(...extra: string[]): string {
  return ['name: t', 'duration: 10s', ...extra].join('\n') + '\n';
}
