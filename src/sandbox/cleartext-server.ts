import { createServer as createHttp1Server, type IncomingMessage, type Server as Http1Server, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2Server } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/** What an HTTP/2 client sends first on a cleartext connection (RFC 9113 §3.4), the part that tells it from HTTP/1. */
const PREFACE = 'PRI * HTTP/2.0';

/**
 * One loopback port that speaks HTTP/1.1 and cleartext HTTP/2 (h2c with prior knowledge): the AWS
 * SDK's Kinesis client talks HTTP/2 by default, everything else HTTP/1.1. Each connection's first
 * bytes decide which server gets it. Both call the same handler (HTTP/2 through Node's
 * compatibility API, whose request and response mimic HTTP/1's; headers must be given as an object).
 */
export class CleartextServer {
  readonly http1: Http1Server;
  readonly http2: Http2Server;
  private readonly net: NetServer;
  private readonly sockets = new Set<Socket>();

  constructor(handler: (req: IncomingMessage, res: ServerResponse) => void, keepAliveTimeoutMs: number) {
    this.http1 = createHttp1Server({ keepAliveTimeout: keepAliveTimeoutMs }, handler);
    this.http2 = createHttp2Server({}, handler as unknown as Parameters<typeof createHttp2Server>[1]);
    this.net = createNetServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.dispatch(socket);
    });
  }

  /** Listens on 127.0.0.1; port 0 picks a free port. Resolves with the port. */
  listen(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.net.once('error', reject);
      this.net.listen(port, '127.0.0.1', () => {
        this.net.off('error', reject);
        const addr = this.net.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  /** Stops accepting and destroys every connection. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.net.close(() => resolve());
      for (const s of this.sockets) s.destroy();
    });
  }

  /** Hands the connection to the server its first bytes call for (they are put back first). */
  private dispatch(socket: Socket): void {
    const head = socket.read(PREFACE.length) as Buffer | null;
    if (head === null) {
      if (socket.readableEnded) socket.destroy();
      else socket.once('readable', () => this.dispatch(socket));
      return;
    }
    socket.unshift(head);
    (head.toString('latin1') === PREFACE ? this.http2 : this.http1).emit('connection', socket);
  }
}
