#!/usr/bin/env node
// CPU per message through rushhour's SQS target, three ways in one run, each at the same offered
// rate. A benchmark, never a test: it prints figures, ratios and whether the aims are met, and
// writes them to bench/results/sqs-<timestamp>.json; it never fails on a figure.
//
//   npm run build && node bench/sqs-cpu.mjs [--rate 2000] [--duration 8] [--quick]
//        [--floor-batch 10] [--no-matched] [--perf] [--keep-runs] [--no-snapshot]
//
// (a) rushhour `run --target sqs:telemetry --json --log none` into fauxqs (its own process, queue created first)
// (b) rushhour into a no-op SQS endpoint (bench/sqs-noop-server.mjs): the generator's ceiling
// (c) the floor: a bare paced SendMessageBatch loop through the same SDK client settings
//     (bench/sqs-floor.mjs), 10 entries a call, rushhour's own messages, into the same endpoint
// (c') the same floor at rushhour's own entries per call (from (b)), only where that is under 9
//     (a low rate, where the linger closes batches before they are full), unless --no-matched
// --quick: 1,000 msg/s for 4 s. --perf (Linux perf installed and allowed): one more (b) and floor
// run each under `perf record` (all threads, native and kernel frames too), the samples sorted
// into buckets (bench/lib/perf-buckets.mjs), side by side in µs per message.
//
// Load only ever goes to 127.0.0.1. Endpoints run on core 0, generators on core 1 (taskset).

import path from 'node:path';
import { parseArgs } from 'node:util';
import { runGuarded } from './lib/children.mjs';
import { baseMeta, boundMs, noopRuns, prepare, printHeader, printHelp, report, sampleFile, version } from './lib/batch-bench.mjs';
import { FAUXQS_SERVER, NOOP_SERVER, runFloor, runRushhourSqs, saveSample, startEndpoint, stopEndpoint } from './lib/sqs-runs.mjs';
import { ROOT } from './lib/paths.mjs';
import { fmt, log, num } from './lib/util.mjs';

const { values: opt } = parseArgs({
  options: {
    rate: { type: 'string' },
    duration: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'floor-batch': { type: 'string', default: '10' },
    'no-matched': { type: 'boolean', default: false },
    perf: { type: 'boolean', default: false },
    'keep-runs': { type: 'boolean', default: false },
    'no-snapshot': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) printHelp(import.meta.url);

const cfg = {
  quick: opt.quick,
  rate: Math.round(num(opt.rate, opt.quick ? 1000 : 2000)),
  durationS: num(opt.duration, opt.quick ? 4 : 8),
  floorBatch: Math.min(10, Math.round(num(opt['floor-batch'], 10))),
  concurrency: 16, // the SQS target's default calls in flight; the floor uses the same
  matched: !opt['no-matched'],
  perf: opt.perf,
  keepRuns: opt['keep-runs'],
  snapshot: !opt['no-snapshot'],
  queue: 'telemetry',
};
const load = { queue: cfg.queue, rate: cfg.rate, durationS: cfg.durationS };

/** The notes' size part: body and attributes a message (where the endpoint measured them), request bytes a message. */
function sizes(f) {
  const e = f.endpoint;
  const body = e.meanBodyBytes !== null ? `; body ${fmt(e.meanBodyBytes, 0)} B + attributes ${fmt(e.meanAttributeBytes, 0)} B a message` : '';
  return `${body}; request ${fmt(e.meanRequestBytesPerMessage, 0)} B a message`;
}

const svc = {
  name: 'sqs',
  label: 'SQS',
  targetJs: path.join(ROOT, 'dist', 'targets', 'sqs', 'sqs-target.js'),
  modules: ['fauxqs', '@aws-sdk/client-sqs'],
  sdkPackage: '@aws-sdk/client-sqs',
  endpointName: 'fauxqs',
  unit: 'messages',
  perCallHead: 'msg/call',
  sampleKey: 'sampledMessages',
  sampleFileName: 'messages.json',
  noopLabel: 'no-op SQS endpoint',
  failedKey: 'failedMessages',
  sizesWord: 'body',
  sizes,
  rushhour: (ctx, ep, extra) => runRushhourSqs(ctx, ep, { ...load, ...extra }),
  floor: (ctx, ep, extra) => runFloor(ctx, ep, { ...load, ...extra, messagesFile: sampleFile(bench, ctx), concurrency: cfg.concurrency }),
  saveSample,
};
const bench = { cfg, svc, deferred: [] };

function meta(distBuiltAt) {
  return {
    ...baseMeta(cfg, distBuiltAt),
    rate: cfg.rate,
    durationS: cfg.durationS,
    concurrency: cfg.concurrency,
    floorBatch: cfg.floorBatch,
    sdk: version('@aws-sdk/client-sqs'),
    fauxqs: version('fauxqs'),
    cpuMethod: {
      steady: 'utime+stime ticks of the generator process between 20 % and 90 % of its measured window (from its first SendMessageBatch as the endpoint sees it) / messages the endpoint received in that interval',
      clock: 'rushhour: summary.generator.cpuUsPerRequest (CPU of the rushhour process while its clock ran / messages sent); floor: its process.cpuUsage() over its paced loop / messages sent',
      whole: 'utime+stime of the generator process over its whole life (start-up, module loading, warm-up, run, shutdown; exact, from cutime+cstime after reaping) / messages of the measured window',
    },
  };
}

async function main() {
  const { stamp, distBuiltAt, ctx } = prepare(bench);
  const res = { meta: meta(distBuiltAt), runs: {} };
  printHeader(bench, res, distBuiltAt);

  const noop = await startEndpoint(NOOP_SERVER, []);
  await noopRuns(bench, ctx, noop, res, stamp);
  await stopEndpoint(noop);

  const fq = await startEndpoint(FAUXQS_SERVER, ['--queue', cfg.queue]);
  log(`(a) rushhour → fauxqs (${fq.info.queueUrl}) at ${cfg.rate}/s for ${cfg.durationS} s…`);
  res.fauxqsQueueUrl = fq.info.queueUrl;
  res.runs.a = await svc.rushhour(ctx, fq, {});
  await stopEndpoint(fq);
  report(bench, res, ctx, stamp);
}

// A global bound on the whole bench, so nothing can hang forever.
runGuarded(main, boundMs(cfg, 4 + (cfg.perf ? 2 : 0)));
