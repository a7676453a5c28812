import { Deque } from './deque.js';
import type { DbParams } from './params.js';
import { drawMs, type Random } from './random.js';
import type { Scheduler } from './scheduler.js';

/** A client connection held by one processor environment (to the database, or to the proxy). */
export interface DbConnection {
  readonly viaProxy: boolean;
  open: boolean;
}

export interface DbStats {
  maxConnections: number;
  /** Connections open on the database itself (the proxy's own, when there is one). */
  inUse: number;
  peakInUse: number;
  /** Connection attempts refused because `maxConnections` were open. */
  refused: number;
  proxy: boolean;
  /** Client connections to the proxy (one per processor environment that has connected). */
  proxyClients: number;
  /** Queries waiting for one of the proxy's connections. */
  proxyWaiting: number;
  queries: number;
}

/**
 * The database behind the processor, like PostgreSQL with `max_connections`:
 * - Direct (`proxy: false`): each `connect` takes one of `maxConnections` or is refused.
 * - With the proxy (like RDS Proxy): `connect` always succeeds (a client connection to the
 *   proxy); the proxy opens at most `proxyConnections` real connections, lends one per query
 *   (queries wait in FIFO order when all are lent) and adds `proxyLatency` to each query.
 * `query` calls `done` after `queryTime` (+ the proxy's latency and wait), through the scheduler.
 */
export class Database {
  private inUse = 0;
  private peakInUse = 0;
  private refused = 0;
  private queries = 0;
  private proxyClients = 0;
  private proxyIdle = 0;
  private readonly proxyWaiters = new Deque<() => void>(64);

  constructor(
    private readonly params: DbParams,
    private readonly scheduler: Scheduler,
    private readonly random: Random,
  ) {}

  get maxConnections(): number {
    return this.params.maxConnections;
  }

  /** Opens a connection for one environment; null when refused. */
  connect(): DbConnection | null {
    if (this.params.proxy) {
      this.proxyClients++;
      return { viaProxy: true, open: true };
    }
    if (this.inUse >= this.params.maxConnections) {
      this.refused++;
      return null;
    }
    this.inUse++;
    this.peakInUse = Math.max(this.peakInUse, this.inUse);
    return { viaProxy: false, open: true };
  }

  disconnect(conn: DbConnection): void {
    if (!conn.open) return;
    conn.open = false;
    if (conn.viaProxy) this.proxyClients--;
    else this.inUse--;
  }

  /** Runs one query on `conn` (open); `done(arg)` runs when it returns. */
  query<T>(conn: DbConnection, done: (arg: T) => void, arg: T): void {
    this.queries++;
    if (!conn.viaProxy) {
      this.scheduler.afterWith(drawMs(this.params.queryTime, this.random), done, arg);
      return;
    }
    const latency = drawMs(this.params.proxyLatency, this.random);
    this.scheduler.after(latency, () => this.borrow(() => this.runOnProxyConnection(() => done(arg))));
  }

  stats(): DbStats {
    return {
      maxConnections: this.params.maxConnections, inUse: this.inUse, peakInUse: this.peakInUse, refused: this.refused,
      proxy: this.params.proxy, proxyClients: this.proxyClients, proxyWaiting: this.proxyWaiters.length, queries: this.queries,
    };
  }

  /** Runs `use` with one of the proxy's real connections, opening one if under the cap, else queued. */
  private borrow(use: () => void): void {
    if (this.proxyIdle > 0) {
      this.proxyIdle--;
      use();
    } else if (this.inUse < this.params.proxyConnections) {
      this.inUse++;
      this.peakInUse = Math.max(this.peakInUse, this.inUse);
      use();
    } else {
      this.proxyWaiters.push(use);
    }
  }

  private runOnProxyConnection(done: () => void): void {
    this.scheduler.after(drawMs(this.params.queryTime, this.random), () => {
      const next = this.proxyWaiters.shift();
      if (next) next();
      else this.proxyIdle++;
      done();
    });
  }
}
