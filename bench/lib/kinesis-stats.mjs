// Counters and control requests shared by the two Kinesis endpoints of bench/kinesis-cpu.mjs
// (bench/kinesis-noop-server.mjs and bench/kinesalite-server.mjs). Runs inside those endpoint
// processes, never in a measured one.
//
// Control requests (never counted; the SDK always POSTs to `/`, so these paths never collide):
//   GET  /__stats   JSON counters: requests (= records received in PutRecords calls, the figure
//                   bench/lib/generator.mjs reads for its steady window), calls, bytes, first and
//                   last PutRecords time, records per 100 ms bucket since the first call.
//   POST /__reset   zero the counters (and the sample).
//   GET  /__sample  SAMPLE_MAX records as received ({ Data: base64, PartitionKey }), drawn
//                   uniformly from every record since the last reset (a reservoir sample), only
//                   where the endpoint parses the calls (the no-op endpoint).

const BUCKET_MS = 100;
const MAX_BUCKETS = 3000; // 5 minutes of 100 ms buckets
export const SAMPLE_MAX = 5000;

export function createStats() {
  let s = fresh();
  function fresh() {
    return { requests: 0, calls: 0, otherCalls: 0, bodyBytes: 0, dataBytes: 0, keyBytes: 0, maxRecordsPerCall: 0, firstRequestEpochMs: null, lastRequestEpochMs: null, bucketMs: BUCKET_MS, buckets: [], sample: [], seen: 0 };
  }
  // A small seeded generator for the reservoir, so a sample can be repeated.
  let seed = 0x2545f491;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return {
    /** One PutRecords call of `records` records and `bodyBytes` request bytes, read to its end now. */
    putRecords(records, bodyBytes, dataBytes = 0, keyBytes = 0) {
      const now = Date.now();
      if (s.firstRequestEpochMs === null) s.firstRequestEpochMs = now;
      s.lastRequestEpochMs = now;
      s.requests += records;
      s.calls++;
      s.bodyBytes += bodyBytes;
      s.dataBytes += dataBytes;
      s.keyBytes += keyBytes;
      if (records > s.maxRecordsPerCall) s.maxRecordsPerCall = records;
      const b = Math.floor((now - s.firstRequestEpochMs) / BUCKET_MS);
      if (b < MAX_BUCKETS) {
        while (s.buckets.length <= b) s.buckets.push(0);
        s.buckets[b] += records;
      }
    },
    other() {
      s.otherCalls++;
    },
    /** Offers records to the /__sample reservoir (algorithm R: each record kept with equal chance). */
    sample(records) {
      for (const r of records) {
        s.seen++;
        if (s.sample.length < SAMPLE_MAX) s.sample.push({ Data: r.Data, PartitionKey: r.PartitionKey });
        else {
          const j = Math.floor(rand() * s.seen);
          if (j < SAMPLE_MAX) s.sample[j] = { Data: r.Data, PartitionKey: r.PartitionKey };
        }
      }
    },
    /** Answers a control request (path starting with /__); false when `req` is not one. */
    control(req, res) {
      if (!req.url.startsWith('/__')) return false;
      req.resume();
      req.on('end', () => {
        let out;
        if (req.method === 'POST' && req.url === '/__reset') {
          s = fresh();
          out = { ok: true };
        } else if (req.url === '/__stats') {
          const { sample, seen: _seen, ...rest } = s;
          out = { ...rest, sampled: sample.length, nowEpochMs: Date.now() };
        } else if (req.url === '/__sample') {
          out = { records: s.sample };
        } else {
          out = { ok: false, error: 'unknown control request' };
        }
        const body = JSON.stringify(out);
        res.writeHead(out.ok === false ? 400 : 200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
      return true;
    },
  };
}

/** Lifetime bounds of an endpoint process: exits when its stdin closes, on SIGTERM/SIGINT, or after `maxLifetimeS`. */
export function boundLifetime(server, maxLifetimeS) {
  const shutdown = (code) => {
    server.closeAllConnections?.();
    server.close();
    setTimeout(() => process.exit(code), 200).unref();
  };
  process.on('SIGTERM', () => shutdown(0));
  process.on('SIGINT', () => shutdown(0));
  process.stdin.on('end', () => shutdown(0));
  process.stdin.on('error', () => shutdown(0));
  process.stdin.resume();
  setTimeout(() => shutdown(0), maxLifetimeS * 1000).unref();
}
