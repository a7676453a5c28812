// The paced loop of the bare-SDK floors (bench/kinesis-floor.mjs, bench/sqs-floor.mjs): their
// common flags, rushhour's client settings, pre-built batches, closed-loop warm-up, the paced loop
// itself and the JSON line they print. What differs (the client, the command a call sends, what a
// call counts) stays in each floor script, which hands a `put()` that resolves, never rejects.

import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * Parses a floor's flags: `own` (its own options, e.g. --stream, --records) and the common ones,
 * with `defaults` ({ rate, duration, batch, concurrency, warmupCalls }); --batch is capped at `maxBatch`.
 */
export function floorArgs(own, defaults, maxBatch) {
  const { values: o } = parseArgs({
    options: {
      ...own,
      rate: { type: 'string', default: defaults.rate },
      duration: { type: 'string', default: defaults.duration },
      batch: { type: 'string', default: defaults.batch },
      concurrency: { type: 'string', default: defaults.concurrency },
      dist: { type: 'string' },
      'warmup-calls': { type: 'string', default: defaults.warmupCalls },
    },
  });
  const cfg = {
    rate: Number(o.rate),
    durationMs: Number(o.duration) * 1000,
    batch: Math.max(1, Math.min(maxBatch, Math.round(Number(o.batch)))),
    concurrency: Math.max(1, Math.round(Number(o.concurrency))),
    warmupCalls: Math.max(0, Math.round(Number(o['warmup-calls']))),
    dist: o.dist ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist'),
  };
  return { o, cfg };
}

/** Checks the flags; then loads rushhour's own awsClientConfig() from DIST/targets/aws/client-config.js. */
export async function clientConfigOf(cfg, sampleFlag, sampleFile) {
  if (!sampleFile) throw new Error(`--${sampleFlag} FILE is required`);
  if (!(cfg.rate > 0 && cfg.durationMs > 0)) throw new Error('--rate and --duration must be positive');
  return (await import(pathToFileURL(path.join(cfg.dist, 'targets', 'aws', 'client-config.js')).href)).awsClientConfig;
}

/** Batches of `batch` items pre-built from `sample` (cycling through it); `item(element, indexInBatch)`. */
export function buildBatches(sample, batch, item = (x) => x) {
  const n = Math.max(1, Math.ceil(sample.length / batch));
  return Array.from({ length: n }, (_, b) => Array.from({ length: batch }, (_, i) => item(sample[(b * batch + i) % sample.length], i)));
}

/** Counts one failed call (an exception of the SDK) in `counts`. */
export function countFailedCall(counts, e) {
  counts.calls++;
  counts.failedCalls++;
  const k = e?.name ?? 'error';
  counts.errors[k] = (counts.errors[k] ?? 0) + 1;
}

/** `--warmup-calls` calls closed-loop, `concurrency` at a time; then `counts` start again from zero. */
async function warmUp(cfg, put, counts) {
  for (let i = 0; i < cfg.warmupCalls; i += cfg.concurrency) await Promise.all(Array.from({ length: Math.min(cfg.concurrency, cfg.warmupCalls - i) }, put));
  const warmup = { calls: counts.calls, failedCalls: counts.failedCalls };
  for (const k of Object.keys(counts)) counts[k] = typeof counts[k] === 'number' ? 0 : {};
  return warmup;
}

/** The paced loop: call k is due at start + k × period; at most `concurrency` in flight, the rest queued. */
function pace(cfg, put, counts, periodMs, totalCalls, t0) {
  let due = 0;
  let inFlight = 0;
  let queued = 0;
  let idle;
  const allDone = new Promise((r) => (idle = r));
  function launch() {
    while (queued > 0 && inFlight < cfg.concurrency) {
      queued--;
      inFlight++;
      put().then(() => {
        inFlight--;
        launch();
        if (due >= totalCalls && inFlight === 0 && queued === 0) idle();
      });
    }
  }
  function tick() {
    const now = performance.now() - t0;
    while (due < totalCalls && due * periodMs <= now) {
      if (now - due * periodMs > periodMs) counts.lateCalls++;
      due++;
      queued++;
    }
    if (queued > counts.maxQueued) counts.maxQueued = queued;
    launch();
    if (due < totalCalls) setTimeout(tick, Math.max(0, due * periodMs - (performance.now() - t0)));
    else if (inFlight === 0 && queued === 0) idle();
  }
  tick();
  return allDone;
}

/**
 * Warm-up, then the paced loop; after --duration s it waits for the calls in flight (bounded: 15 s).
 * Returns the loop's window and the process's own CPU (process.cpuUsage) while the clock ran.
 */
export async function runPaced(cfg, put, counts) {
  const warmup = await warmUp(cfg, put, counts);
  const periodMs = (cfg.batch / cfg.rate) * 1000;
  const totalCalls = Math.floor(cfg.durationMs / periodMs);
  const startEpochMs = Date.now();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const allDone = pace(cfg, put, counts, periodMs, totalCalls, t0);
  const drainBound = new Promise((r) => setTimeout(() => r('timeout'), cfg.durationMs + 15_000).unref());
  const ended = await Promise.race([allDone.then(() => 'done'), drainBound]);
  const cpu = process.cpuUsage(cpu0);
  const windowMs = performance.now() - t0;
  return { warmup, periodMs, totalCalls, startEpochMs, ended, windowMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/**
 * Prints the floor's one JSON object on stdout and exits: the loop's window, `head` (after `ended`),
 * the settings, `counts`, the rate achieved over `sent` messages, `means` and the CPU per message.
 */
export function report(cfg, loop, { head = {}, counts, sent, means, distinctBatches }) {
  const { warmup, periodMs, totalCalls, startEpochMs, ended, windowMs, cpuMs } = loop;
  process.stdout.write(
    JSON.stringify({
      startEpochMs,
      windowMs,
      scheduledWindowMs: totalCalls * periodMs,
      ended,
      ...head,
      rate: cfg.rate,
      batch: cfg.batch,
      concurrency: cfg.concurrency,
      periodMs,
      totalCalls,
      warmup,
      ...counts,
      achievedMsgPerS: (sent * 1000) / (totalCalls * periodMs),
      ...means,
      distinctBatches,
      cpuMsClock: cpuMs,
      cpuUsPerMessageClock: sent ? (cpuMs * 1000) / sent : null,
    }) + '\n',
  );
  process.exit(0);
}
