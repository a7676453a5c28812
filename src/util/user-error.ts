/** Exit codes, a public contract (README). */
export const ExitCode = {
  ok: 0,
  thresholdsFailed: 1,
  badInput: 2,
  guardrailAbort: 3,
  interrupted: 130,
} as const;

/**
 * An error the user can fix (bad input or configuration). Commands print `message` and `hint`
 * without a stack trace and exit with `exitCode`. Anything else that escapes is a bug.
 */
export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: { hint?: string; exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.badInput;
  }
}

export function isUserError(e: unknown): e is UserError {
  return e instanceof UserError;
}
