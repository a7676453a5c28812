import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { loadSandboxParams } from '../sandbox/config-file.js';
import { startSandbox, tail } from '../sandbox/spawn-sandbox.js';
import { doorLines } from '../targets/sandbox/doors.js';

export default class Sandbox extends BaseCommand {
  static override summary = 'Serve the embedded sandbox pipeline on loopback until Ctrl-C.';

  static override description = `Starts the local serverless pipeline that scenarios without a target run against — HTTP ingest (or a Kinesis stream or SQS queue: sandbox.ingest) → queue → function environments with cold starts → database → output, with a DLQ — in its own process, prints its URLs and stays up until Ctrl-C. Run load against it from another terminal; watch GET /stats, page GET /output and GET /dlq. Its model and parameters are in src/sandbox/README.md; --config takes them from a scenario file's sandbox: block.`;

  static override examples = [
    { description: 'Serve the default model on port 8787', command: '<%= config.bin %> sandbox' },
    { description: 'The model of a scenario, on another port', command: '<%= config.bin %> sandbox --config scenarios/cold-start.yaml --port 9000' },
    { description: 'Then, from another terminal', command: '<%= config.bin %> run --target http://127.0.0.1:8787/ingest --rate 500 --duration 1m' },
    { description: 'Its kinesis door (sandbox: { ingest: kinesis } in the file); any AWS tool then writes to stream telemetry', command: '<%= config.bin %> sandbox --config scenarios/kinesis.yaml' },
  ];

  static override flags = {
    port: Flags.integer({ char: 'p', description: 'Port on 127.0.0.1 (0 picks a free one).', default: 8787, min: 0, max: 65535 }),
    config: Flags.string({ char: 'c', description: 'Scenario YAML file whose sandbox: block sets the model parameters.' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sandbox);
    const params = await loadSandboxParams(flags.config);
    const sandbox = await startSandbox(params, { port: flags.port });
    this.log(`sandbox pipeline running (pid ${sandbox.pid})`);
    for (const line of doorLines(params, sandbox.baseUrl, sandbox.ingestUrl)) this.log(line);
    this.log(`  stats   GET  ${sandbox.statsUrl}`);
    this.log(`  output  GET  ${sandbox.baseUrl}/output?cursor=0   dlq  GET ${sandbox.baseUrl}/dlq?cursor=0`);
    this.log('Ctrl-C to stop.');
    const how = await Promise.race([untilSignal(), sandbox.exited.then(() => 'exited' as const)]);
    await sandbox.stop();
    if (how === 'exited') this.error(`the sandbox process exited unexpectedly${tail(sandbox.stderrTail())}`, { exit: 1 });
    this.log('sandbox stopped.');
  }
}

/** Resolves on the first SIGINT or SIGTERM; keeps the process alive until then. */
function untilSignal(): Promise<'signal'> {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1 << 30);
    const on = (): void => {
      clearInterval(keepAlive);
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve('signal');
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}
