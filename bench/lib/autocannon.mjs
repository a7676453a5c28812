// Running autocannon in its rate-limited mode (-R) against the target.

import fs from 'node:fs';
import path from 'node:path';
import { parseJsonOut, runGenerator } from './generator.mjs';
import { AUTOCANNON, ROOT } from './paths.mjs';
import { control } from './target.mjs';
import { sleep } from './util.mjs';

// A telematics-like JSON body for autocannon (354 bytes; rushhour generates its own payloads,
// whose mean size is reported next to this one from the target's byte counter).
export const AUTOCANNON_BODY = JSON.stringify({
  id: '01J9Z8K3M4N5P6Q7R8S9T0V1W2',
  kind: 'telemetry',
  vin: '1HGCM82633A004352',
  seq: 18231,
  sentAt: '2026-11-27T06:01:34.880Z',
  pos: { lat: 52.520008, lon: 13.404954, heading: 271.5, speedKph: 63.2 },
  engine: { rpm: 2140, coolantC: 88.5, fuelPct: 61.3, odometerKm: 48213.7, throttlePct: 22.5 },
  trip: 't-8f3a2c1e',
  fleet: 'fleet-042',
  tenant: 'tenant-07',
});

export const autocannonVersion = () => JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'autocannon', 'package.json'), 'utf8')).version;

/** autocannon has no warm-up: its measured window starts with its first request, as the target sees it. */
async function firstRequestEpoch(port) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const s = await control(port, 'GET', '/__stats').catch(() => null);
    if (s && s.firstRequestEpochMs !== null) return s.firstRequestEpochMs;
    await sleep(50);
  }
  return null;
}

/** One autocannon run in its rate-limited mode (-R); returns its result plus process measurements. */
export async function runAutocannon(target, { rate, durationS, connections }) {
  await control(target.port, 'POST', '/__reset');
  await control(target.port, 'POST', '/__arm'); // only matters for the stall server
  const res = await runGenerator({
    name: 'autocannon',
    durationS,
    target,
    measuredStart: firstRequestEpoch(target.port),
    argv: [AUTOCANNON, '-R', String(rate), '-c', String(connections), '-d', String(durationS), '-m', 'POST', '-H', 'content-type=application/json', '-b', AUTOCANNON_BODY, '-j', '-n', target.url],
  });
  const r = parseJsonOut(res);
  const stats = await control(target.port, 'GET', '/__stats');
  const completed = r.requests.total;
  const achieved = completed / durationS;
  return {
    ...res,
    stats,
    completed,
    achieved,
    target: rate,
    rateErrPct: 100 * (achieved / rate - 1),
    latency: { p50: r.latency.p50, p90: r.latency.p90, p99: r.latency.p99, p999: r.latency.p99_9, max: r.latency.max },
    errors: r.errors + r.timeouts + r.non2xx,
    dropped: null,
    meanBodyBytes: stats.requests ? stats.bytes / stats.requests : null,
    extra: { actualDurationS: r.duration, achievedOverActualDuration: completed / r.duration, sent: r.requests.sent, histogramCount: r.latency.totalCount },
  };
}
