import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';
import { createSchedule } from '../../src/load/pacers.js';
import { createHistogram, percentilesMs } from '../../src/metrics/histogram.js';
import { HttpTarget } from '../../src/targets/http/http-target.js';
import { startServer, type TestServer } from '../support/http-server.js';
import { constant, fakeSource, testPlan } from '../support/test-plan.js';

let server: TestServer | undefined;
afterEach(async () => server?.close());

describe('open model over real HTTP: a 2 s stall', () => {
  it('shows in latency from the intended time for every request due during it, not in service time', async () => {
    const RATE = 200;
    const DURATION = 6000;
    const STALL_FROM = 2000;
    const STALL_TO = 4000;
    let t0 = 0;
    const held: (() => void)[] = [];
    let released = false;
    // The server holds every response that arrives during [2 s, 4 s) of the run, once, then answers them all.
    server = await startServer((_req, _body, res) => {
      const t = performance.now() - t0;
      if (t0 > 0 && !released && t >= STALL_FROM && t < STALL_TO) held.push(() => res.writeHead(202).end());
      else res.writeHead(202).end();
    });
    const release = setInterval(() => {
      if (t0 > 0 && !released && performance.now() - t0 >= STALL_TO) {
        released = true;
        for (const h of held.splice(0)) h();
      }
    }, 1);
    const phases = [constant(RATE, DURATION)];
    const plan = testPlan(phases, { maxInFlight: 5000, warmupRequests: 300 });
    const target = new HttpTarget({ kind: 'http', url: server.url, method: 'POST', headers: {}, connections: 8, pipelining: 1, timeoutMs: 10_000 });
    await target.open();
    const engine = new Engine({ plan, schedule: createSchedule(phases), source: fakeSource, warmupSource: fakeSource, target });
    const latency = createHistogram();
    const service = createHistogram();
    engine.on((e) => {
      if (e.type === 'start') t0 = performance.now();
      if (e.type === 'interval') {
        latency.add(e.histograms.latency);
        service.add(e.histograms.serviceTime);
      }
    });
    const result = await engine.run();
    clearInterval(release);
    await target.close();

    expect(result.totals.ok).toBe(RATE * DURATION / 1000);
    expect(result.totals.dropped).toBe(0);
    const l = percentilesMs(latency);
    const s = percentilesMs(service);
    // Truth: a third of the arrivals are due in the stall, latency 4000 − t, uniform over 0..2000 ms:
    // p90 = 1400 ms, p99 = 1940 ms. The lower bounds prove the stall shows; the upper bounds are
    // loose because this machine is shared (the bench compares figures precisely).
    expect(l.p90).toBeGreaterThan(1400 * 0.9);
    expect(l.p90).toBeLessThan(1400 * 1.5);
    expect(l.p99).toBeGreaterThan(1940 * 0.9);
    expect(l.p99).toBeLessThan(1940 * 1.5);
    // Only the ≤ 8 requests on the wire at the stall waited in the server; the rest waited for a
    // free connection, which is latency but not service time.
    expect(s.p99).toBeLessThan(l.p99! / 4);
    expect(s.max).toBeGreaterThan(1000);
  }, 30_000);
});
