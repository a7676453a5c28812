import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A loopback server that fails the way a broken pipeline does. `url` is its ingest URL. */
export interface FailingServer {
  url: string;
  /** Connections accepted so far. */
  connections: number;
  close(): Promise<void>;
}

type Kind = 'reset' | 'hang' | 'status500' | 'slow' | 'cut-body';

/**
 * - reset: accepts every connection and resets it at once (TCP RST), before any answer;
 * - hang: accepts connections, reads the requests and never answers;
 * - status500: answers 500 to everything;
 * - slow: answers 202 after `delayMs` (default 3 s);
 * - cut-body: sends `200` with a 1000-byte Content-Length, 10 bytes of body, then cuts the connection.
 */
export async function startFailingServer(kind: Kind, opts: { delayMs?: number } = {}): Promise<FailingServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { connections: 0 };
  const track = (s: Socket) => {
    state.connections++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => {});
  };
  let server: Server | NetServer;
  if (kind === 'reset' || kind === 'hang') {
    server = createNetServer((s) => {
      track(s);
      if (kind === 'reset') s.resetAndDestroy();
      else s.resume();
    });
  } else {
    const http = createHttpServer((req, res) => {
      req.resume();
      req.on('end', () => {
        if (kind === 'status500') res.writeHead(500).end('{"error":"internal"}');
        else if (kind === 'slow') {
          const t = setTimeout(() => {
            timers.delete(t);
            res.writeHead(202).end();
          }, opts.delayMs ?? 3000);
          timers.add(t);
        } else {
          res.writeHead(200, { 'content-length': '1000', 'content-type': 'application/json' });
          res.write('{"partial"');
          setImmediate(() => res.socket?.destroy());
        }
      });
    });
    http.on('connection', track);
    http.keepAliveTimeout = 60_000;
    server = http;
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/ingest`,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
