import { defaultSandboxParams, type SandboxParams } from './params.js';

/**
 * Fills what a resolved-parameters object lacks from the defaults, section by section
 * (`{}` → all defaults; `{db: {proxy: true}}` → defaults plus the proxy). For parameters that
 * crossed a process boundary as JSON; user input goes through `sandboxParamsSchema` instead.
 */
export function withDefaults(partial: unknown): SandboxParams {
  return merge(defaultSandboxParams(), partial) as SandboxParams;
}

function merge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merge(base[key], value);
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
