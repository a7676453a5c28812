import { SendPath } from '../../src/faults/send-path.js';
import { HttpTarget } from '../../src/targets/http/http-target.js';
import { systemClock } from '../../src/util/clock.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { EngineSide } from './send-path-support.js';

/** What a loopback server saw: message ids in the order the requests arrived. */
export interface HttpRig {
  server: TestServer;
  ids: string[];
  path: SendPath;
  engine: EngineSide;
  /** Waits (bounded, 10 s) until every message sent has its done and `extra()` holds. */
  settle(extra?: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** A send path over a real HttpTarget to a loopback node:http server that answers `status(id, nth)` (nth: 1 for an id's first request). */
export async function httpRig(status: (id: string, nth: number) => number, connections = 4): Promise<HttpRig> {
  const ids: string[] = [];
  const count = new Map<string, number>();
  const server = await startServer((_req, body, res) => {
    const id = (JSON.parse(body) as { messageId: string }).messageId;
    ids.push(id);
    const nth = (count.get(id) ?? 0) + 1;
    count.set(id, nth);
    res.writeHead(status(id, nth)).end();
  });
  const inner = new HttpTarget({ kind: 'http', url: server.url, method: 'POST', headers: {}, connections, pipelining: 1, timeoutMs: 5_000 });
  const controller = new AbortController();
  const path = new SendPath(inner);
  await path.open({ clock: systemClock, signal: controller.signal });
  const engine = new EngineSide(path, systemClock);
  return {
    server, ids, path, engine,
    settle: async (extra = () => true) => {
      for (let i = 0; i < 200 && !(engine.done.size === engine.sent && extra()); i++) await new Promise((r) => setTimeout(r, 50));
    },
    close: async () => {
      await path.close();
      await server.close();
    },
  };
}
