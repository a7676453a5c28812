// The in-process cost of building messages in a shape (bench/payload-cpu.mjs, level (i)): rushhour's
// own createShapedSource from dist/ (the snapshot's), `source.next(n, now)` called N times in a
// tight loop, CPU from process.cpuUsage. Each shape runs in a fresh node process of its own (pinned
// to core 1 where taskset exists), as in a real run: one shape per process, so V8's feedback for
// the shared message-building code is never mixed between shapes.
//
// As a child: node bench/lib/shape-cost.mjs '<json: { dist, shape, hookFile, n, warmup, rounds }>'
// prints one JSON line: { shape, rounds: [{ cpuUs, wallUs }], n, meanBytes, digest }.

import { createHash } from 'node:crypto';
import { spawnPinned } from './children.mjs';
import { log } from './util.mjs';

/** The 10-field template (the same object goes into the scenario YAML). */
export const TEMPLATE = {
  deviceId: '{{vehicleId}}',
  ts: '{{sentAt | iso}}',
  gps: { lat: '{{position.lat}}', lng: '{{position.lon}}' },
  speed: '{{position.speedKmh | mph}}',
  heading: '{{position.headingDeg}}',
  rpm: '{{engine.rpm}}',
  fuel: '{{engine.fuelPct | round(0)}}',
  msgId: '{{messageId}}',
  n: '{{seq}}',
  source: 'loadtest',
};

/** The same 10 fields built in JS by a payload hook (missing fields → null, as the template gives). */
export const HOOK_SOURCE = `// payload hook for bench/payload-cpu.mjs: the 10 fields of its template, in JS.
export function build(m) {
  const p = m.position;
  const e = m.engine;
  return {
    deviceId: m.vehicleId,
    ts: new Date(m.sentAt).toISOString(),
    gps: { lat: p ? p.lat : null, lng: p ? p.lon : null },
    speed: p ? Math.round(p.speedKmh * 0.621371 * 10) / 10 : null,
    heading: p ? p.headingDeg : null,
    rpm: e ? e.rpm : null,
    fuel: e ? Math.round(e.fuelPct) : null,
    msgId: m.messageId,
    n: m.seq,
    source: 'loadtest',
  };
}
`;

/** The fleet of every run: 10,000 vehicles, telemetry only (every message has all 10 fields). */
export const FLEET_YAML = { vehicles: 10000, cadence: { min: '1s', max: '3s' }, mix: { telemetry: 1 } };
const fleetConfig = (DEFAULT_FLEET) => ({
  ...DEFAULT_FLEET,
  vehicles: 10000,
  cadence: { minMs: 1000, maxMs: 3000 },
  mix: { telemetry: 1, tripStart: 0, tripEnd: 0, harshBraking: 0, geofence: 0, diagnostic: 0 },
});

export const SEED = 7;

/** The scenario's `payload:` block of a shape (undefined for the built-in one). */
export function payloadOf(shape, hookFile) {
  if (shape === 'template') return { template: TEMPLATE };
  if (shape === 'hook') return { module: hookFile };
  return undefined;
}

/** Runs one shape in a child process (bounded by `timeoutMs`); its JSON line. */
export function measureShape(args, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const child = spawnPinned(1, [process.execPath, new URL(import.meta.url).pathname, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-4000)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`shape-cost ${args.shape} ran past ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`shape-cost ${args.shape} exited ${code}: ${err}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch (e) {
        reject(new Error(`shape-cost ${args.shape}: no JSON (${e.message}); stderr: ${err}`));
      }
    });
  });
}

/** The built-in shape with a poison fault active on 1 % of the messages (every poison kind), as a run applies it. */
async function startPoison(dist, source, fleet) {
  const { faultsSchema } = await import(`${dist}/scenario/faults-schema.js`);
  const { createFaults } = await import(`${dist}/faults/registry.js`);
  const cfgs = faultsSchema.parse(POISON_FAULTS);
  const [fault] = createFaults(cfgs, { source, seed: SEED, fleetSize: fleet.vehicles, maxBytes: 262_144, textOnly: false, idPath: ['messageId'] });
  fault.scheduled.apply.start();
}

/** The `faults:` of the poison shape (bench/payload-cpu.mjs (d), in process and end to end). */
export const POISON_FAULTS = [{ kind: 'poison', fraction: '1%' }];

async function child({ dist, shape, hookFile, n, warmup, rounds }) {
  const { createShapedSource } = await import(`${dist}/payload/sources.js`);
  const { DEFAULT_FLEET } = await import(`${dist}/scenario/defaults.js`);
  const source = await createShapedSource(fleetConfig(DEFAULT_FLEET), SEED, payloadOf(shape, hookFile));
  if (shape === 'poison') await startPoison(dist, source, DEFAULT_FLEET);
  // The same first 1,000 bodies at a fixed clock: template and hook must agree byte for byte.
  const h = createHash('sha256');
  for (let i = 0; i < 1000; i++) h.update(source.next(i, 1_764_000_000_000 + i).body);
  const digest = h.digest('hex').slice(0, 16);
  let bytes = 0;
  let k = 1000;
  const now = Date.now();
  for (let i = 0; i < warmup; i++, k++) bytes += source.next(k, now + i).body.length;
  const out = [];
  for (let r = 0; r < rounds; r++) {
    bytes = 0;
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++, k++) bytes += source.next(k, now + i).body.length;
    const wallUs = Number(process.hrtime.bigint() - t0) / 1000;
    const c = process.cpuUsage(c0);
    out.push({ cpuUs: c.user + c.system, wallUs });
  }
  process.stdout.write(JSON.stringify({ shape, rounds: out, n, meanBytes: bytes / n, digest }) + '\n');
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  child(JSON.parse(process.argv[2])).catch((e) => {
    log(`shape-cost: ${e.stack ?? e}`);
    process.exit(1);
  });
}
