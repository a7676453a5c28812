import type { FaultConfig } from '../scenario/faults-schema.js';
import { describeStormEndpoint, type StormEndpoint } from '../scenario/fault-schemas/storm-schema.js';
import type { Clock } from '../util/clock.js';
import { UserError } from '../util/user-error.js';
import type { FaultRunContext, RunFault } from './message-fault.js';
import { errorReason, type StormAttempt, type StormConnector } from './storm-connector.js';
import { httpConnector, httpStormTarget } from './storm-http.js';
import { postgresConnector, resolveEnvRefs } from './storm-postgres.js';
import { startRamp, type Ramp } from './storm-ramp.js';
import { StormTally } from './storm-tally.js';

export type StormFaultConfig = Extract<FaultConfig, { kind: 'connection-storm' }>;

/**
 * The sandbox's database door (src/sandbox/http-server.ts, `GET /db/connect`): each request takes
 * one of the sandbox database's connections and holds it until its socket closes; refused, 503
 * with `x-sandbox-reason`. The sandbox is an island, so the path is written here too.
 */
export const SANDBOX_DB_DOOR = '/db/connect';

/**
 * The `connection-storm` fault: while active it opens `connections` connections to its endpoint,
 * evenly over `rampMs` (on the run's clock), and holds each until the storm stops — like that many
 * fresh function environments each opening one at init. `stop()` cancels the ramp, aborts the
 * attempts under way and closes every held connection (counted as released then); `released()`
 * resolves once every socket is really closed. Its effect counts connections, not messages (`messages: 0`): `details` has opened,
 * refused by reason, peakHeld, released, dropped by reason, cancelled, attempts and heldAtEnd.
 *
 * Throws a UserError before any load when the endpoint cannot be used: `sandbox: db` without the
 * sandbox as target, a `${VAR}` in a postgres URL that is not set, a URL that does not parse.
 * `index` (the fault's place in `faults:`) names the field in those errors when the caller knows it.
 */
export function connectionStormFault(cfg: StormFaultConfig, ctx: FaultRunContext, index?: number): RunFault {
  const field = index === undefined ? `faults (${cfg.name})` : `faults[${index}]`;
  return stormFault(cfg, ctx.clock, connectorFor(cfg.endpoint, ctx, field));
}

function connectorFor(e: StormEndpoint, ctx: FaultRunContext, field: string): StormConnector {
  switch (e.kind) {
    case 'http':
      return httpConnector(httpStormTarget(e.url, `${field}.http`), ctx.clock);
    case 'postgres': {
      const url = resolveEnvRefs(e.url, `${field}.postgres`);
      if (!URL.canParse(url)) throw new UserError(`${field}.postgres: ${describeStormEndpoint(e)} is not a valid URL`, { hint: 'e.g. postgres://storm:${PGPASSWORD}@127.0.0.1:5432/app' });
      return postgresConnector(url, ctx.clock);
    }
    case 'sandbox-db':
      if (ctx.sandboxUrl === undefined) {
        throw new UserError(`${field}.sandbox: db storms the embedded sandbox's database, but this run's target is not the sandbox`, {
          hint: 'use target: sandbox, or storm your own database with postgres: URL (or a service with http: URL)',
        });
      }
      return httpConnector(httpStormTarget(`${ctx.sandboxUrl}${SANDBOX_DB_DOOR}`, `${field}.sandbox`), ctx.clock);
  }
}

/** One connection of the storm as it goes: under way, held, or over (refused, dropped, closed). */
interface Entry {
  state: 'opening' | 'held' | 'over';
  attempt: StormAttempt | null;
}

/** The storm's lifecycle over any connector (exported for tests with a connector of their own). */
export function stormFault(cfg: Pick<StormFaultConfig, 'name' | 'kind' | 'atMs' | 'forMs' | 'connections' | 'rampMs' | 'endpoint'>, clock: Clock, connector: StormConnector): RunFault {
  const tally = new StormTally();
  const live = new Set<Entry>();
  const closing = new Set<Promise<void>>();
  let ramp: Ramp | null = null;

  const track = (p: Promise<void>): void => {
    const done = p.catch(() => undefined).finally(() => closing.delete(done));
    closing.add(done);
  };
  const retire = (entry: Entry): void => {
    entry.state = 'over';
    live.delete(entry);
    if (entry.attempt) track(entry.attempt.close());
  };
  const openOne = (): void => {
    tally.attempt();
    const entry: Entry = { state: 'opening', attempt: null };
    live.add(entry);
    const report = {
      held: () => {
        if (entry.state !== 'opening') return;
        entry.state = 'held';
        tally.open();
      },
      refused: (reason: string) => {
        if (entry.state !== 'opening') return;
        tally.refuse(reason);
        retire(entry);
      },
      dropped: (reason: string) => {
        if (entry.state !== 'held') return;
        tally.drop(reason);
        retire(entry);
      },
    };
    try {
      entry.attempt = connector(report);
    } catch (e) {
      report.refused(errorReason(e)); // a connector must not throw; if one does, it is a counted refusal
    }
  };
  const stop = (): void => {
    ramp?.cancel();
    ramp = null;
    for (const entry of live) {
      // counted when let go, not when closed: effect() may be read before released() resolves
      if (entry.state === 'held') tally.release();
      else tally.cancel();
      entry.state = 'over';
      if (entry.attempt) track(entry.attempt.close());
    }
    live.clear();
  };

  return {
    scheduled: {
      name: cfg.name, kind: cfg.kind, atMs: cfg.atMs, forMs: cfg.forMs,
      apply: {
        start: () => {
          if (ramp === null) ramp = startRamp(clock, cfg.connections, cfg.rampMs, openOne);
        },
        stop,
      },
    },
    effect: () => ({
      name: cfg.name, kind: cfg.kind, messages: 0, examples: [],
      details: { endpoint: describeStormEndpoint(cfg.endpoint), connections: cfg.connections, rampMs: cfg.rampMs, ...tally.details(), heldAtEnd: tally.held },
    }),
    /** Awaited once the run is over: a storm still going is stopped first; resolves when every socket is closed. */
    released: async () => {
      stop();
      while (closing.size > 0) await Promise.all([...closing]);
    },
  };
}
