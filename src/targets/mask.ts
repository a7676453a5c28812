/** What a masked secret reads as, everywhere rushhour writes. */
export const MASK = '***';

/** Query parameter names that carry credentials (matched case-insensitively, as a part of the name). */
const CREDENTIAL_PARAM = /(key|token|code|sig|signature|secret|password|passwd|pwd|auth|credential|session)/i;

/**
 * A URL safe to print: userinfo (`user:secret@`) and the values of query parameters whose names
 * look like credentials (`?code=…`, `api_key=…`, `X-Amz-Signature=…`) become `***`. Text that is
 * not a URL comes back unchanged.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  let changed = false;
  if (url.username) {
    url.username = MASK;
    changed = true;
  }
  if (url.password) {
    url.password = MASK;
    changed = true;
  }
  for (const name of [...url.searchParams.keys()]) {
    if (!CREDENTIAL_PARAM.test(name)) continue;
    url.searchParams.set(name, MASK);
    changed = true;
  }
  return changed ? url.href.replace(/\*\*\*|%2A%2A%2A/g, MASK) : text;
}

/** Header names with their values masked: every header value is treated as a secret. */
export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(headers)) out[name] = MASK;
  return out;
}
