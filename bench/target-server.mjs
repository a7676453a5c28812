#!/usr/bin/env node
// A plain node:http target for bench/http-vs-autocannon.mjs. It is part of a benchmark, never a test.
//
//   node bench/target-server.mjs [--stall-from MS --stall-to MS] [--max-lifetime S] [--max-held N]
//
// Listens on 127.0.0.1, port 0 (the kernel picks one), and prints one line on stdout:
//   {"port": 12345, "pid": 678}
// Every request is read to its end, then answered 202 with a tiny JSON body, keep-alive.
//
// Stall mode (--stall-from/--stall-to, ms): the stall clock has an origin that the bench sets per
// generator run, through a control request (control requests are never held, never counted):
//   POST /__start?epoch=<ms>  origin = that wall-clock time (Date.now() scale). The bench sends it
//                             with rushhour's own `startEpochMs` (the instant its measured clock
//                             starts, after its warm-up), read from rushhour's `start` event.
//   POST /__arm               origin = the arrival time of the first ordinary request after this
//                             call. Used for autocannon, which has no warm-up: its measured window
//                             begins with its first request.
// Either way, every request that arrives (is read to its end) when `origin + from <= now <
// origin + to` is held, and all held requests are answered together at `origin + to`. The window
// is one-shot per origin: a new /__start or /__arm replaces it.
//   GET  /__stats             JSON counters: requests, bytes, held, origin, first request time, and
//                             requests per 10 ms for the 3 s after the release (afterRelease)…
//   POST /__reset             zero the counters and drop the stall origin.
//
// Bounds: the process exits by itself after --max-lifetime seconds (default 1800), when its stdin
// closes (the bench dies), or on SIGTERM/SIGINT; at most --max-held requests (default 200000) are
// held at once, any more are answered 503 at once.

import http from 'node:http';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    'stall-from': { type: 'string' },
    'stall-to': { type: 'string' },
    'max-lifetime': { type: 'string', default: '1800' },
    'max-held': { type: 'string', default: '200000' },
  },
});

const stallFrom = values['stall-from'] === undefined ? undefined : Number(values['stall-from']);
const stallTo = values['stall-to'] === undefined ? undefined : Number(values['stall-to']);
if ((stallFrom === undefined) !== (stallTo === undefined) || (stallFrom !== undefined && !(stallTo > stallFrom && stallFrom >= 0))) {
  process.stderr.write('target-server: --stall-from and --stall-to go together, 0 <= from < to (ms)\n');
  process.exit(2);
}
const maxLifetimeMs = Number(values['max-lifetime']) * 1000;
const maxHeld = Number(values['max-held']);

const AFTER_BUCKET_MS = 10;
const AFTER_BUCKETS = 300;
const BODY = '{"accepted":true}';
const HEADERS = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) };

let stats = freshStats();
let origin; // epoch ms of the stall clock's zero, or undefined
let armed = false; // the next ordinary request sets the origin
let held = [];
let releaseTimer;

function freshStats() {
  return { requests: 0, bytes: 0, held: 0, maxHeld: 0, rejected503: 0, firstRequestEpochMs: null, lastRequestEpochMs: null, releasedAtEpochMs: null, afterRelease: [] };
}

function setOrigin(epochMs) {
  if (releaseTimer) clearTimeout(releaseTimer);
  if (held.length > 0) release(false); // a new origin never strands requests of the old window
  origin = epochMs;
  armed = false;
  releaseTimer = undefined;
  if (stallFrom === undefined) return;
  // The release timer fires at origin + to; requests are held only while now < origin + to.
  releaseTimer = setTimeout(release, Math.max(0, origin + stallTo - Date.now()));
}

/** Answers every held request; `mark` records the time as the stall's release (the timer's call). */
function release(mark = true) {
  releaseTimer = undefined;
  const list = held;
  held = [];
  if (mark) stats.releasedAtEpochMs = Date.now();
  for (const res of list) answer(res);
}

function answer(res) {
  if (res.destroyed) return;
  res.writeHead(202, HEADERS);
  res.end(BODY);
}

function control(req, res, url) {
  let out = { ok: true };
  if (req.method === 'POST' && url.pathname === '/__start') {
    const epoch = Number(url.searchParams.get('epoch'));
    if (!Number.isFinite(epoch)) out = { ok: false, error: 'epoch=<ms> required' };
    else setOrigin(epoch);
  } else if (req.method === 'POST' && url.pathname === '/__arm') {
    origin = undefined;
    armed = true;
  } else if (req.method === 'POST' && url.pathname === '/__reset') {
    if (releaseTimer) clearTimeout(releaseTimer);
    release(false);
    stats = freshStats();
    origin = undefined;
    armed = false;
  } else if (url.pathname === '/__stats') {
    out = { ...stats, origin: origin ?? null, armed, stallFrom: stallFrom ?? null, stallTo: stallTo ?? null, nowEpochMs: Date.now() };
  } else {
    out = { ok: false, error: 'unknown control request' };
  }
  const body = JSON.stringify(out);
  res.writeHead(out.ok === false ? 400 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const isControl = req.url.startsWith('/__');
  let bytes = 0;
  req.on('data', (chunk) => (bytes += chunk.length));
  req.on('end', () => {
    if (isControl) return control(req, res, new URL(req.url, 'http://127.0.0.1'));
    const now = Date.now();
    stats.requests++;
    stats.bytes += bytes;
    if (stats.firstRequestEpochMs === null) stats.firstRequestEpochMs = now;
    stats.lastRequestEpochMs = now;
    // Requests per 10 ms for the 3 s after a stall's release: how fast a client-side backlog drains.
    if (stats.releasedAtEpochMs !== null) {
      const b = Math.floor((now - stats.releasedAtEpochMs) / AFTER_BUCKET_MS);
      if (b >= 0 && b < AFTER_BUCKETS) {
        while (stats.afterRelease.length <= b) stats.afterRelease.push(0);
        stats.afterRelease[b]++;
      }
    }
    if (armed) setOrigin(now);
    if (origin !== undefined && stallFrom !== undefined && now >= origin + stallFrom && now < origin + stallTo) {
      if (held.length >= maxHeld) {
        stats.rejected503++;
        res.writeHead(503, HEADERS);
        res.end(BODY);
        return;
      }
      held.push(res);
      stats.held++;
      if (held.length > stats.maxHeld) stats.maxHeld = held.length;
      // The timer may have been set before this request was read; make sure a release is pending.
      if (!releaseTimer) releaseTimer = setTimeout(release, Math.max(0, origin + stallTo - now));
      return;
    }
    answer(res);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;

function shutdown(code) {
  release(false);
  server.closeAllConnections?.();
  server.close();
  setTimeout(() => process.exit(code), 200).unref();
}

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port, pid: process.pid }) + '\n');
});
process.on('SIGTERM', () => shutdown(0));
process.on('SIGINT', () => shutdown(0));
process.stdin.on('end', () => shutdown(0));
process.stdin.on('error', () => shutdown(0));
process.stdin.resume();
setTimeout(() => shutdown(0), maxLifetimeMs).unref();
