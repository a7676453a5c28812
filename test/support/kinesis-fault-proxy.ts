import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does to one PutRecords call: `attempt` counts the calls that carried this partition key so far (1-based). */
export interface KinesisFaults {
  /** Fail this record with ProvisionedThroughputExceededException instead of forwarding it. */
  throttleRecord?(partitionKey: string, attempt: number): boolean;
  /** Answer the whole call (the `call`-th PutRecords, 1-based) with this HTTP status and error type, forwarding nothing. */
  failCall?(call: number): { status: number; type: string } | undefined;
  /** Hold every PutRecords answer this long, ms. */
  holdMs?: number;
  /** Answer any call whose x-amz-target ends with `.Operation` (e.g. DescribeStreamSummary) with this error instead. */
  failOperation?(operation: string): { status: number; type: string } | undefined;
}

/**
 * A loopback proxy in front of kinesalite speaking the Kinesis JSON protocol: other calls pass
 * through; PutRecords calls can lose chosen records to throttling (those are not forwarded, so
 * the stream holds only what was acknowledged), fail whole, or be held.
 */
export async function startKinesisFaultProxy(upstream: string, faults: KinesisFaults): Promise<{ endpoint: string; putCalls: number; close(): Promise<void> }> {
  const up = new URL(upstream);
  const attempts = new Map<string, number>();
  const state = { putCalls: 0 };
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const refused = faults.failOperation?.(target.slice(target.lastIndexOf('.') + 1));
    if (refused) {
      res.writeHead(refused.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: refused.type, message: 'injected by the test proxy' }));
      return;
    }
    if (!target.endsWith('.PutRecords')) {
      const r = await forward(up, req, body);
      res.writeHead(r.status, { 'content-type': r.type }).end(r.body);
      return;
    }
    const call = ++state.putCalls;
    const failed = faults.failCall?.(call);
    await new Promise((r) => setTimeout(r, faults.holdMs ?? 0));
    if (failed) {
      res.writeHead(failed.status, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ __type: failed.type, message: 'injected by the test proxy' }));
      return;
    }
    const input = JSON.parse(body.toString('utf8')) as { Records: { PartitionKey: string }[] };
    const throttled = input.Records.map((r) => {
      const n = (attempts.get(r.PartitionKey) ?? 0) + 1;
      attempts.set(r.PartitionKey, n);
      return faults.throttleRecord?.(r.PartitionKey, n) ?? false;
    });
    const kept = input.Records.filter((_, i) => !throttled[i]);
    let forwarded: { Records: unknown[] } = { Records: [] };
    if (kept.length > 0) {
      const r = await forward(up, req, Buffer.from(JSON.stringify({ ...input, Records: kept })));
      if (r.status !== 200) {
        res.writeHead(r.status, { 'content-type': r.type }).end(r.body);
        return;
      }
      forwarded = JSON.parse(r.body.toString('utf8')) as { Records: unknown[] };
    }
    let k = 0;
    const records = throttled.map((t) => (t ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'Rate exceeded for shard (test proxy)' } : forwarded.Records[k++]));
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end(JSON.stringify({ FailedRecordCount: throttled.filter(Boolean).length, Records: records }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get putCalls() {
      return state.putCalls;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function forward(up: URL, req: IncomingMessage, body: Buffer): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: up.host, 'content-length': String(body.length) };
    const r = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers }, (res) => {
      readBody(res).then((b) => resolve({ status: res.statusCode ?? 500, type: String(res.headers['content-type'] ?? 'application/x-amz-json-1.1'), body: b }), reject);
    });
    r.on('error', reject);
    r.end(body);
  });
}
