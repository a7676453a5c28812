import { UserError } from '../util/user-error.js';

const REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Resolves `${NAME}` references in header values from the environment. Throws a UserError that
 * names the header and the variable (never the value) when one is unset. Resolved values must
 * never be logged: callers keep them only inside the target.
 */
export function resolveHeaders(headers: Record<string, string>, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[name] = resolveEnvRefs(value, name, env);
  return out;
}

/** The `${NAME}` references of one header's value resolved (the same UserError for an unset one). */
export function resolveEnvRefs(value: string, header: string, env: NodeJS.ProcessEnv = process.env): string {
  return value.replace(REF, (_m, variable: string) => {
    const v = env[variable];
    if (v === undefined) {
      throw new UserError(`target header "${header}" refers to \${${variable}}, which is not set in the environment`, {
        hint: `export ${variable}=… before running, or remove the header`,
      });
    }
    return v;
  });
}
