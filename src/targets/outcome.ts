/**
 * Outcome classes: short interned strings that are the keys of `errors` in snapshots and
 * summary.json. Success is exactly `2xx`. Other statuses: `1xx`, `3xx`, each 4xx by its code
 * (`404`, `413`, `429`, …), `5xx`. Transport: `timeout`, `refused`, `reset`, `error`.
 */
export const OK = '2xx';
/** The message could not be built: the user's payload module threw (or returned neither an object nor a string). Never sent. */
export const PAYLOAD_ERROR = 'payload-error';
/** The request could not be signed (SigV4: the credentials expired or could not be refreshed). Never sent. */
export const SIGNING_ERROR = 'signing-error';
/** The request got no answer within its timeout: its latency is recorded at the timeout. */
export const TIMEOUT = 'timeout';

const STATUS_CLASS: string[] = [];
for (let s = 0; s < 600; s++) {
  if (s >= 200 && s < 300) STATUS_CLASS[s] = OK;
  else if (s >= 400 && s < 500) STATUS_CLASS[s] = String(s);
  else if (s >= 500) STATUS_CLASS[s] = '5xx';
  else if (s >= 300) STATUS_CLASS[s] = '3xx';
  else STATUS_CLASS[s] = '1xx';
}

/** Class of an HTTP status code; allocation-free. */
export function classifyStatus(status: number): string {
  return STATUS_CLASS[status] ?? (status >= 600 ? '5xx' : 'error');
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'ETIMEDOUT', 'ABORT_ERR']);
const RESET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE', 'UND_ERR_CLOSED', 'UND_ERR_DESTROYED', 'ECONNABORTED']);

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID', 'ERR_TLS_CERT_ALTNAME_INVALID', 'CERT_UNTRUSTED',
]);

/** Classes of a failure to reach the target at all: no connection, or no usable one. */
export const CONNECTION_FAILURES: ReadonlySet<string> = new Set(['refused', 'reset', 'dns', 'tls']);

/**
 * Class of a transport error (undici or node:net codes): `timeout`, `refused`, `reset`, `dns`
 * (the name does not resolve), `tls` (handshake or certificate), else `error`.
 */
export function classifyError(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return 'error';
  if (code === SIGNING_ERROR) return SIGNING_ERROR;
  if (TIMEOUT_CODES.has(code)) return TIMEOUT;
  if (code === 'ECONNREFUSED') return 'refused';
  if (RESET_CODES.has(code)) return 'reset';
  if (DNS_CODES.has(code)) return 'dns';
  if (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_')) return 'tls';
  return 'error';
}

/** Whether a transport error class means the caller waited the full latency (it counts in latency). */
export function errorResponded(outcome: string): boolean {
  return outcome === 'timeout';
}
