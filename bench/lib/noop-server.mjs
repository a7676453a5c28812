// What the no-op AWS endpoints (bench/kinesis-noop-server.mjs, bench/sqs-noop-server.mjs) share:
// JSON answers, and an HTTP server on 127.0.0.1 that serves the control requests of `stats`, reads
// each other request's whole body and hands POSTs with `x-amz-target: <service>.<Operation>` on.

import http from 'node:http';
import { boundLifetime } from './kinesis-stats.mjs';

/** A `send(res, status, body)` answering `contentType` JSON (a Buffer as is) with `requestId`. */
export function jsonSender(contentType, requestId) {
  return (res, status, body) => {
    const buf = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': contentType, 'content-length': buf.length, 'x-amzn-requestid': requestId });
    res.end(buf);
  };
}

/**
 * Listens on 127.0.0.1, port 0; `handle(op, body, res)` for POSTs to `service`, `reject(res)` for
 * anything else; `ready(port)` once listening. Bounded by bench/lib/kinesis-stats.mjs's boundLifetime.
 */
export function serveNoop({ stats, service, handle, reject, ready, maxLifetimeS }) {
  const server = http.createServer((req, res) => {
    if (stats.control(req, res)) return;
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const [svc, op] = String(req.headers['x-amz-target'] ?? '').split('.');
      if (req.method !== 'POST' || svc !== service) return reject(res);
      handle(op, Buffer.concat(chunks), res);
    });
  });
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 130_000;
  server.requestTimeout = 0;
  server.listen(0, '127.0.0.1', () => ready(server.address().port));
  boundLifetime(server, maxLifetimeS);
  return server;
}
