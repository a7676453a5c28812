import { UserError } from '../util/user-error.js';

/**
 * The error for a target that the warm-up proved unreachable: every request failed at the
 * connection with `cls` (refused, reset, dns, tls). `endpoint` is host:port, `url` the target as
 * configured (no secrets).
 */
export function unreachableError(cls: string, endpoint: string, url: string, requests: number): UserError {
  const tried = `(all ${requests} warm-up request(s); nothing was recorded)`;
  switch (cls) {
    case 'refused':
      return new UserError(`connection refused by ${endpoint} — is the pipeline running? ${tried}`, { hint: `start it, or check the host and port of ${url}` });
    case 'reset':
      return new UserError(`${endpoint} reset every connection before answering — is it an HTTP server on that port? ${tried}`, { hint: `check the scheme (http:// or https://) and the port of ${url}` });
    case 'dns':
      return new UserError(`cannot resolve the host of ${url}: name resolution failed ${tried}`, { hint: 'check the host name, or use an IP address such as 127.0.0.1' });
    case 'tls':
      return new UserError(`the TLS handshake with ${endpoint} failed ${tried}`, { hint: `check https:// vs http:// in ${url}, and that its certificate is trusted (NODE_EXTRA_CA_CERTS for a private CA)` });
    default:
      return new UserError(`cannot reach ${endpoint}: every warm-up request failed with "${cls}" ${tried}`, { hint: `check ${url}` });
  }
}
