import { z } from 'zod';
import { durationField, intField } from '../../util/unit-fields.js';

/**
 * The fields of a `connection-storm` fault: `connections` held open at once, opened evenly over
 * `ramp` (like that many fresh function environments each opening one at init), against exactly
 * one endpoint:
 *   http: URL        new HTTP/1.1 connections, each sends one request and keeps its socket
 *   postgres: URL    real PostgreSQL connections (the `pg` client); `${ENV}` in the URL is read at start, never printed
 *   sandbox: db      connections to the embedded sandbox's database (its `db.maxConnections`)
 * All are released when the fault stops: at `for`'s end, at the end of the run, on Ctrl-C.
 */
export const stormFields = {
  connections: intField({ title: 'Connections', description: 'How many connections the storm opens and holds (1–10,000).' }, 1, 10_000),
  ramp: durationField({ title: 'Ramp', description: 'Opens them evenly over this time. Default 5s; 0s: all at once.', examples: ['5s'] }, { min: 0 }).optional(),
  http: z.string({ error: 'expected an http:// URL' }).regex(/^http:\/\/\S+$/, { error: 'expected an http:// URL (e.g. http://127.0.0.1:8080/healthz)' }).meta({ description: 'HTTP endpoint: each connection sends one GET and holds its socket.' }).optional(),
  postgres: z.string({ error: 'expected a postgres:// URL' }).regex(/^postgres(ql)?:\/\/\S+$/, { error: 'expected a postgres:// URL (e.g. postgres://storm:${PGPASSWORD}@127.0.0.1:5432/app)' }).meta({ description: 'PostgreSQL server: real protocol connections; ${ENV} references are resolved at start and never printed.' }).optional(),
  sandbox: z.literal('db', { error: 'expected sandbox: db (the embedded sandbox\'s database)' }).meta({ description: 'The embedded sandbox\'s database (target: sandbox only).' }).optional(),
};

export type StormEndpoint = { kind: 'http'; url: string } | { kind: 'postgres'; url: string } | { kind: 'sandbox-db' };

export const STORM_ENDPOINTS = ['http', 'postgres', 'sandbox'] as const;

/** The one endpoint named, or null when none or several are (the caller reports it). */
export function stormEndpoint(f: { http?: string; postgres?: string; sandbox?: 'db' }): StormEndpoint | null {
  const named = STORM_ENDPOINTS.filter((k) => f[k] !== undefined);
  if (named.length !== 1) return null;
  if (f.http !== undefined) return { kind: 'http', url: f.http };
  if (f.postgres !== undefined) return { kind: 'postgres', url: f.postgres };
  return { kind: 'sandbox-db' };
}

/** "postgres://storm:***@127.0.0.1:5432/app": an endpoint for validate and the journal (no password, no resolved secret). */
export function describeStormEndpoint(e: StormEndpoint): string {
  if (e.kind === 'sandbox-db') return "the sandbox's database";
  return e.url.replace(/(\/\/[^:/@]*):[^@]*@/, '$1:***@');
}
