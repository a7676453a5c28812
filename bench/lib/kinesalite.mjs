// kinesalite (a Kinesis emulator, JSON/CBOR protocol, state in memory) on loopback, for
// bench/kinesis-cpu.mjs. Copied from test/support/aws-emulators.ts (the bench must not import
// from test/), plus counters for the bench. Loaded only by bench/kinesalite-server.mjs, which runs
// in its own process, so the emulator's CPU is never counted as the generator's.

import kinesalite from 'kinesalite';

export const REGION = 'us-east-1';
export const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };

// @aws-sdk/core (3.981.x and later) warns once per process that SDK releases after January 2027
// need Node 22. It reads exactly this variable and compares it with the string 'true'.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/**
 * kinesalite on memdown (no `path`, so the native leveldown is never loaded). Streams go ACTIVE on
 * the next tick rather than after 500 ms, and the account shard limit is raised from 10.
 * `stats` (bench/lib/kinesis-stats.mjs) counts the records of every PutRecords call and answers
 * the control requests; everything else goes to kinesalite unchanged.
 */
export async function startKinesalite(stats) {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
  if (stats) instrument(server, stats);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address();
  return {
    server,
    port,
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        // kinesalite's close() closes its store first, then the HTTP server; drop keep-alive sockets
        // so it does not wait for them to idle out.
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const KEY = Buffer.from('"PartitionKey"');

/** Occurrences of `"PartitionKey"` in a JSON PutRecords body: its record count (base64 never holds a quote). */
function countRecords(body) {
  let n = 0;
  for (let i = body.indexOf(KEY); i >= 0; i = body.indexOf(KEY, i + KEY.length)) n++;
  return n;
}

/**
 * Puts the bench's counters in front of kinesalite's request handler. The extra `data` listener
 * is attached in the same tick as kinesalite's own, so both see every chunk.
 */
function instrument(server, stats) {
  const handlers = server.listeners('request');
  server.removeAllListeners('request');
  server.on('request', (req, res) => {
    if (stats.control(req, res)) return;
    if (String(req.headers['x-amz-target'] ?? '').endsWith('.PutRecords') && String(req.headers['content-type'] ?? '').includes('json')) {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        stats.putRecords(countRecords(body), body.length);
      });
    } else {
      stats.other();
    }
    for (const h of handlers) h.call(server, req, res);
  });
}

/** Creates a stream with `shards` shards and waits until it is ACTIVE (bounded: 5 s). */
export async function createActiveStream(endpoint, name, shards) {
  const { Agent } = await import('node:http');
  const { KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand } = await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  // The SDK's Kinesis default handler is HTTP/2, which kinesalite's node:http server does not speak.
  const client = new KinesisClient({
    region: REGION,
    endpoint,
    credentials: CREDENTIALS,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 4 }), connectionTimeout: 2000, requestTimeout: 10_000 }),
  });
  try {
    await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    const deadline = Date.now() + 5000;
    for (;;) {
      const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
      if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
      if (Date.now() > deadline) throw new Error(`stream ${name} did not become ACTIVE`);
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    client.destroy();
  }
}
