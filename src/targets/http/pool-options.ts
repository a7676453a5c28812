import { readFileSync } from 'node:fs';
import type { Pool } from 'undici';
import { UserError } from '../../util/user-error.js';
import type { HttpTargetConfig, HttpTlsConfig } from './config.js';

/** How long an idle keep-alive connection is kept, ms. */
const KEEP_ALIVE_MS = 30_000;
/** The longest a connection (TCP and TLS handshake) may take, ms. */
const MAX_CONNECT_MS = 10_000;

/**
 * The undici Pool settings of an http target: `connections` keep-alive connections (https too)
 * with `pipelining` requests each, the request timeout for headers and body, and TLS options —
 * the CA bundle read once here (a UserError naming `target.http.tls.ca` when it cannot be read).
 */
export function poolOptions(cfg: HttpTargetConfig): Pool.Options {
  const tls = tlsOptions(cfg.tls);
  return {
    connections: cfg.connections,
    pipelining: cfg.pipelining,
    headersTimeout: cfg.timeoutMs,
    bodyTimeout: cfg.timeoutMs,
    connectTimeout: Math.min(cfg.timeoutMs, MAX_CONNECT_MS),
    keepAliveTimeout: KEEP_ALIVE_MS,
    ...(tls ? { connect: tls } : {}),
  };
}

/** Node's TLS options for the block: `ca` adds trusted certificates (PEM), `insecure` checks none. */
function tlsOptions(tls: HttpTlsConfig | undefined): { ca?: Buffer; rejectUnauthorized?: boolean } | undefined {
  if (!tls) return undefined;
  const out: { ca?: Buffer; rejectUnauthorized?: boolean } = {};
  if (tls.ca) {
    try {
      out.ca = readFileSync(tls.ca);
    } catch (e) {
      throw new UserError(`target.http.tls.ca: cannot read ${tls.ca}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, {
        hint: 'a PEM file with the CA certificate(s) that signed the endpoint\'s certificate; the path is relative to the scenario file',
      });
    }
    if (!out.ca.includes('-----BEGIN CERTIFICATE-----')) {
      throw new UserError(`target.http.tls.ca: ${tls.ca} holds no PEM certificate (no "-----BEGIN CERTIFICATE-----" line)`, { hint: 'convert a DER file with: openssl x509 -inform der -in ca.der -out ca.pem' });
    }
  }
  if (tls.insecure) out.rejectUnauthorized = false;
  return out;
}

/** The warning a run and `validate` print, once, when certificates are not checked. */
export const INSECURE_WARNING = 'WARNING: target.http.tls.insecure is true — the endpoint\'s TLS certificate is NOT verified; anyone on the path can read and change the traffic. Use tls.ca with your private CA instead.';
