import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback HTTP proxy in front of an SQS emulator (AWS JSON 1.0 protocol) that injects the
 * failures SendMessageBatch can have: chosen entries answered in `Failed` with a code (they are
 * not forwarded, so the emulator never stores them), or the whole call answered with an error.
 * Every other request passes through unchanged. Listens on 127.0.0.1 only.
 */

/** What one SendMessageBatch call gets: a whole-call error, or failures for some entries (by index in the call). */
export type BatchFault =
  | { error: { status: number; type: string; message?: string } }
  | { failed: Record<number, { code: string; senderFault: boolean }> };

export interface SqsFaultProxy {
  /** The proxy's URL: give it to the client as its endpoint. */
  endpoint: string;
  /** Every SendMessageBatch call seen, as the keys of its entries in order. */
  calls: string[][];
  /** Decides each call's fault from its entries' keys and its index (0-based); undefined: pass through. */
  decide: (keys: string[], call: number) => BatchFault | undefined;
  close(): Promise<void>;
}

interface BatchEntry { Id: string; MessageBody: string }

const JSON_TYPE = 'application/x-amz-json-1.0';

/** An entry's key: the `messageId` of its JSON body (the bodies rushhour sends carry one). */
export const messageIdOf = (e: BatchEntry): string => (JSON.parse(e.MessageBody) as { messageId: string }).messageId;

export async function startSqsFaultProxy(upstream: string, keyOf: (e: BatchEntry) => string = messageIdOf): Promise<SqsFaultProxy> {
  const agent = new Agent({ keepAlive: true });
  const target = new URL(upstream);
  const proxy: SqsFaultProxy = { endpoint: '', calls: [], decide: () => undefined, close: async () => {} };

  /** Sends `body` upstream with the client's headers; resolves with the upstream status, headers and body. */
  const forward = (req: IncomingMessage, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const up = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, agent, headers: { ...req.headers, 'content-length': String(body.length) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      up.on('error', reject);
      up.end(body);
    });

  const reply = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  async function sendMessageBatch(req: IncomingMessage, res: ServerResponse, raw: Buffer): Promise<void> {
    const input = JSON.parse(raw.toString('utf8')) as { Entries: BatchEntry[] };
    const keys = input.Entries.map(keyOf);
    proxy.calls.push(keys);
    const fault = proxy.decide(keys, proxy.calls.length - 1);
    if (fault && 'error' in fault) {
      res.setHeader('x-amzn-query-error', `${fault.error.type};${fault.error.status >= 500 ? 'Receiver' : 'Sender'}`);
      return reply(res, fault.error.status, { __type: `com.amazonaws.sqs#${fault.error.type}`, message: fault.error.message ?? fault.error.type });
    }
    const failed = fault?.failed ?? {};
    const keep = input.Entries.filter((_, i) => failed[i] === undefined);
    const Failed = input.Entries.flatMap((e, i) => (failed[i] ? [{ Id: e.Id, Code: failed[i].code, SenderFault: failed[i].senderFault, Message: `injected ${failed[i].code}` }] : []));
    if (keep.length === 0) return reply(res, 200, { Successful: [], Failed });
    const up = await forward(req, Buffer.from(JSON.stringify({ ...input, Entries: keep })));
    if (up.status !== 200) {
      res.writeHead(up.status, up.headers);
      res.end(up.body);
      return;
    }
    const out = JSON.parse(up.body.toString('utf8')) as { Successful?: unknown[]; Failed?: unknown[] };
    reply(res, 200, { Successful: out.Successful ?? [], Failed: [...(out.Failed ?? []), ...Failed] });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const work = req.headers['x-amz-target'] === 'AmazonSQS.SendMessageBatch'
        ? sendMessageBatch(req, res, raw)
        : forward(req, raw).then((up) => {
          res.writeHead(up.status, up.headers);
          res.end(up.body);
        });
      work.catch((e: unknown) => reply(res, 502, { __type: 'com.amazonaws.sqs#ProxyError', message: String(e) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve, reject) => {
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeAllConnections();
      agent.destroy();
    });
  return proxy;
}
