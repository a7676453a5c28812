import { Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { buildApp } from 'fauxqs';
import kinesalite from 'kinesalite';

/**
 * In-process AWS emulators for target tests: kinesalite (Kinesis, JSON/CBOR protocol) and fauxqs
 * (SQS, AWS JSON 1.0 protocol), each on 127.0.0.1 and a port the OS picks, state in memory only.
 * Nothing here listens beyond loopback or reaches AWS.
 */
export interface Emulator {
  /** Base URL for the SDK client's `endpoint`, e.g. http://127.0.0.1:40123 */
  endpoint: string;
  close(): Promise<void>;
}

export const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

// @aws-sdk/core (3.981.x) warns once per process that SDK releases after January 2027 need Node 22.
// It reads exactly this variable and compares it with the string 'true' (not '1').
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * kinesalite on memdown (no `path`, so the native leveldown is never loaded). Streams go ACTIVE on
 * the next tick rather than after 500 ms, and the account shard limit is raised from 10.
 */
export async function startKinesalite(opts: { createStreamMs?: number } = {}): Promise<Emulator> {
  const server = kinesalite({ createStreamMs: opts.createStreamMs ?? 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // kinesalite's close() closes its store first, then the HTTP server; drop keep-alive sockets
        // so it does not wait for them to idle out.
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * fauxqs through buildApp() + listen on loopback (its startFauxqs() binds 0.0.0.0). Queue URLs come
 * back as http://sqs.us-east-1.localhost:PORT/000000000000/NAME: fauxqs looks queues up by that exact
 * string, so pass QueueUrl through unchanged; sqsClient() always sends to the endpoint instead.
 */
export async function startFauxqs(): Promise<Emulator> {
  const app = buildApp({ logger: false, defaultRegion: REGION });
  const address = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    endpoint: new URL(address).origin,
    close: () => app.close(),
  };
}

function httpHandler(): NodeHttpHandler {
  return new NodeHttpHandler({
    httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }),
    connectionTimeout: 2_000,
    requestTimeout: 10_000,
    throwOnRequestTimeout: true,
  });
}

/**
 * A Kinesis client for the emulator. The SDK's Kinesis default handler is HTTP/2 (for
 * SubscribeToShard), which kinesalite's node:http server does not speak: use HTTP/1.1 keep-alive.
 */
export function kinesisClient(endpoint: string, overrides: Partial<KinesisClientConfig> = {}): KinesisClient {
  return new KinesisClient({
    region: REGION,
    endpoint,
    credentials: CREDENTIALS,
    requestHandler: httpHandler(),
    ...overrides,
  });
}

/**
 * An SQS client for the emulator. With `endpoint` set the SDK already keeps QueueUrl's host out of
 * the request target; useQueueUrlAsEndpoint: false makes that explicit, since fauxqs's queue hosts
 * (sqs.<region>.localhost) do not resolve.
 */
export function sqsClient(endpoint: string, overrides: Partial<SQSClientConfig> = {}): SQSClient {
  return new SQSClient({
    region: REGION,
    endpoint,
    credentials: CREDENTIALS,
    useQueueUrlAsEndpoint: false,
    requestHandler: httpHandler(),
    ...overrides,
  });
}

/** Creates a stream with `shards` shards on the emulator and waits until it is ACTIVE. */
export async function createActiveStream(client: import('@aws-sdk/client-kinesis').KinesisClient, name: string, shards: number): Promise<void> {
  const { CreateStreamCommand, DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  const deadline = Date.now() + 5000;
  for (;;) {
    const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${name} did not become ACTIVE`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
