/**
 * Entry of the sandbox process (spawned by spawn-sandbox.ts; never imported).
 *
 *   node main.js [--params JSON] [--port N] [--watch-stdin]
 *
 * - `--params` (or env `RUSHHOUR_SANDBOX_PARAMS`): resolved SandboxParams as JSON; missing
 *   sections and fields take their defaults. Default: all defaults.
 * - `--port`: port on 127.0.0.1 (default 0: a free one).
 * - `--watch-stdin`: exit when stdin closes, i.e. when the parent process dies.
 * Once listening it prints one JSON line on stdout:
 *   {"ready":true,"pid":…,"port":…,"baseUrl":…,"ingestUrl":…,"statsUrl":…}
 * and nothing else on stdout. It exits 0 on SIGTERM/SIGINT (or stdin closing with
 * --watch-stdin), 2 on bad arguments or a `schema` file it cannot read or compile (stderr:
 * `sandbox: … sandbox.schema: FILE …`), 1 when it cannot listen; problems go to stderr.
 * A `schema` path should be absolute (a relative one is taken from this process's cwd).
 */
import { SandboxHttpServer } from './http-server.js';
import { isUserError } from '../util/user-error.js';
import { withDefaults } from './resolve-params.js';

interface MainArgs {
  params: unknown;
  port: number;
  watchStdin: boolean;
}

/** Arguments, or a message saying what is wrong with them. */
function parseArgs(argv: string[], env: NodeJS.ProcessEnv): MainArgs | string {
  const args: MainArgs = { params: undefined, port: 0, watchStdin: false };
  let paramsText = env.RUSHHOUR_SANDBOX_PARAMS;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--watch-stdin') args.watchStdin = true;
    else if (a === '--params') paramsText = argv[++i];
    else if (a === '--port') {
      const port = Number(argv[++i]);
      if (!Number.isInteger(port) || port < 0 || port > 65535) return `--port must be an integer 0..65535, got ${argv[i]}`;
      args.port = port;
    } else return `unknown argument ${a}`;
  }
  if (paramsText !== undefined) {
    try {
      args.params = JSON.parse(paramsText) as unknown;
    } catch (err) {
      return `--params is not JSON: ${(err as Error).message}`;
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2), process.env);
  if (typeof args === 'string') {
    process.stderr.write(`sandbox: ${args}\n`);
    process.exit(2);
  }
  let server: SandboxHttpServer;
  try {
    server = new SandboxHttpServer(withDefaults(args.params));
  } catch (err) {
    if (!isUserError(err)) throw err;
    process.stderr.write(`sandbox: ${err.message}\n`);
    process.exit(2);
  }
  let port: number;
  try {
    port = await server.listen(args.port);
  } catch (err) {
    process.stderr.write(`sandbox: cannot listen on 127.0.0.1:${args.port}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  const ready = { ready: true, pid: process.pid, port, baseUrl, ingestUrl: `${baseUrl}/ingest`, statsUrl: `${baseUrl}/stats` };
  process.stdout.write(`${JSON.stringify(ready)}\n`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2000).unref(); // connections that will not close
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  if (args.watchStdin) {
    process.stdin.on('end', stop);
    process.stdin.on('error', stop);
    process.stdin.resume();
  }
}

await main();
