#!/usr/bin/env node
// CPU per SigV4-signed request: rushhour's signer (src/targets/http/sigv4.ts, the AWS SDK's
// SignatureV4 underneath) against an unsigned baseline that only builds the same header object.
// A benchmark, never a test: it prints figures; it never fails on a figure.
//
//   npm run build && node bench/sigv4-cpu.mjs [--count 20000] [--warmup 2000] [--max-seconds 30]
//
// Each sign() call signs a 300-byte JSON body for POST /prod/ingest of an API Gateway URL, with
// static fake credentials (no network, no credential chain). Calls run one after another (each
// awaited), in this process; CPU is process.cpuUsage() (user + system) over the measured calls,
// after a warm-up. Every loop is bounded in count and in time (--max-seconds per phase).

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT } from './lib/paths.mjs';
import { fmt, log, num, say, table } from './lib/util.mjs';

const { values: opt } = parseArgs({
  options: {
    count: { type: 'string' },
    warmup: { type: 'string' },
    'max-seconds': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  say(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(1, 12).map((l) => l.replace(/^\/\/ ?/, '')).join('\n') + '\n');
  process.exit(0);
}
const cfg = {
  count: Math.round(num(opt.count, 20_000)),
  warmup: Math.round(num(opt.warmup, 2_000)),
  maxMs: num(opt['max-seconds'], 30) * 1000,
};

const SIGV4_JS = path.join(ROOT, 'dist', 'targets', 'http', 'sigv4.js');
const URL_TEXT = 'https://abc123.execute-api.eu-north-1.amazonaws.com/prod/ingest';
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const HEADERS = { 'content-type': 'application/json', 'x-rushhour-run': 'bench' };

/** A telematics-like JSON body of exactly 300 bytes (padded in a `pad` field). */
function body300() {
  const base = { vin: 'WVWZZZ1JZXW000001', ts: 1_700_000_000_000, lat: 59.3293, lon: 18.0686, speedKph: 87.5, heading: 212, engine: { rpm: 2400, coolantC: 91 }, pad: '' };
  base.pad = 'x'.repeat(300 - Buffer.byteLength(JSON.stringify(base)));
  const text = JSON.stringify(base);
  if (Buffer.byteLength(text) !== 300) throw new Error(`body is ${Buffer.byteLength(text)} bytes, not 300`);
  return text;
}

/**
 * Runs `fn` `count` times one after another (awaited), stopping early after `maxMs`; returns
 * calls made, CPU µs and wall ms over them.
 */
async function measure(fn, count, maxMs) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let n = 0;
  for (; n < count; n++) {
    await fn(n);
    if ((n & 1023) === 0 && performance.now() - t0 > maxMs) break;
  }
  const cpu = process.cpuUsage(c0);
  return { calls: n, cpuUs: cpu.user + cpu.system, wallMs: performance.now() - t0 };
}

async function main() {
  if (!fs.existsSync(SIGV4_JS)) throw new Error('dist/targets/http/sigv4.js is missing: run `npm run build` first');
  const { createSigner } = await import(pathToFileURL(SIGV4_JS).href);
  const signer = await createSigner({ service: 'execute-api' }, new URL(URL_TEXT), { credentials: async () => CREDENTIALS });
  const body = body300();
  let sink = 0;
  const signed = async () => {
    const added = await signer.sign('POST', '/prod/ingest', HEADERS, body);
    sink += added.authorization.length;
  };
  // The baseline: what an unsigned request costs here, building the header object it would send.
  const unsigned = async () => {
    const h = { ...HEADERS, 'content-length': String(body.length) };
    sink += h['content-length'].length;
  };
  log(`warm-up: ${cfg.warmup} calls each`);
  await measure(signed, cfg.warmup, cfg.maxMs);
  await measure(unsigned, cfg.warmup, cfg.maxMs);
  log(`measuring: ${cfg.count} calls each (at most ${cfg.maxMs / 1000} s a phase)`);
  const s = await measure(signed, cfg.count, cfg.maxMs);
  const u = await measure(unsigned, cfg.count, cfg.maxMs);
  const perS = s.cpuUs / s.calls;
  const perU = u.cpuUs / u.calls;
  table(`SigV4 signing CPU, ${Buffer.byteLength(body)}-byte JSON body, node ${process.version}`, ['', 'calls', 'CPU µs/request', 'wall µs/request'], [
    ['signed (sign())', s.calls, fmt(perS, 2), fmt((s.wallMs * 1000) / s.calls, 2)],
    ['unsigned baseline', u.calls, fmt(perU, 3), fmt((u.wallMs * 1000) / u.calls, 3)],
  ]);
  say(`signing costs ${fmt(perS - perU, 2)} CPU µs per request over the baseline (${fmt(1e6 / perS, 0)} signed requests per CPU second)\n`);
  if (sink === 0) log('(unreachable)');
}

main().catch((err) => {
  log(`sigv4-cpu: ${err?.stack ?? err}`);
  process.exitCode = 1;
});
