import { createRequire } from 'node:module';
import { Socket } from 'node:net';
import type { Client as PgClient, ClientConfig } from 'pg';
import type { Clock } from '../util/clock.js';
import { UserError } from '../util/user-error.js';
import { AttemptState, CLOSE_GRACE_MS, errorReason, type StormAttempt, type StormConnector, type StormReport } from './storm-connector.js';

/** What each storm connection sets as its `application_name` (unless the URL sets one): how it is found in `pg_stat_activity`. */
export const STORM_APPLICATION_NAME = 'rushhour-connection-storm';

/**
 * The URL with each `${NAME}` replaced by that environment variable's value, percent-encoded (a
 * password with `@` or `/` stays one URL component; pg decodes it). `${NAME:-text}` takes `text`
 * (as written, already URL text) when NAME is unset or empty, as a shell does. A variable that is
 * not set and has no default is a UserError naming `field` and the variable — never a value,
 * never the resolved URL.
 */
export function resolveEnvRefs(url: string, field: string, env: NodeJS.ProcessEnv = process.env): string {
  return url.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_m, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (fallback !== undefined && (value === undefined || value === '')) return fallback;
    if (value === undefined) {
      throw new UserError(`${field} names \${${name}}, which is not set in the environment`, { hint: `set ${name} before the run (e.g. export ${name}=…); its value is never printed` });
    }
    return encodeURIComponent(value);
  });
}

/**
 * Real PostgreSQL protocol connections through `pg`'s Client (startup, authentication — SCRAM,
 * md5 or cleartext as the server asks — and `ReadyForQuery`); no query is sent. A refusal counts
 * the server's own SQLSTATE and message ("53300 sorry, too many clients already", "28P01 password
 * authentication failed for user …"), else the socket error's code; not ready within
 * OPEN_TIMEOUT_MS (on `clock`): "timeout". A held connection is closed with a Terminate message,
 * forced after CLOSE_GRACE_MS. `url` is the resolved one: it is never put in a reason.
 */
export function postgresConnector(url: string, clock: Clock): StormConnector {
  const Client = loadPgClient();
  return (report) => openPostgres(Client, url, clock, report);
}

type PgClientClass = new (config: ClientConfig) => PgClient;

/** `pg` is loaded only when a run has a PostgreSQL storm (importing it costs ~50 ms of every CLI start). */
function loadPgClient(): PgClientClass {
  return (createRequire(import.meta.url)('pg') as typeof import('pg')).Client;
}

function openPostgres(Client: PgClientClass, url: string, clock: Clock, report: StormReport): StormAttempt {
  const socket = new Socket();
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const client = new Client({ connectionString: url, application_name: STORM_APPLICATION_NAME, stream: () => socket });
  const attempt = new AttemptState(socket, clock, report);
  client.on('error', (e) => attempt.drop(pgReason(e)));
  client.on('end', () => attempt.drop('closed by the server'));
  client.connect().then(() => attempt.hold(), (e: unknown) => attempt.refuse(pgReason(e)));
  return { close: () => closePostgres() };

  function closePostgres(): Promise<void> {
    if (!attempt.close()) {
      socket.destroy();
      return closed;
    }
    const force = clock.setTimer(() => socket.destroy(), CLOSE_GRACE_MS);
    client.end().catch(() => socket.destroy());
    return closed.then(() => clock.clearTimer(force));
  }
}

/** "53300 sorry, too many clients already" for a server's error (SQLSTATE + message); a socket error's code otherwise. */
export function pgReason(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && e instanceof Error) return `${code} ${e.message}`;
  return errorReason(e);
}
