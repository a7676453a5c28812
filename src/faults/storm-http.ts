import { connect } from 'node:net';
import type { Clock } from '../util/clock.js';
import { UserError } from '../util/user-error.js';
import { AttemptState, errorReason, type StormAttempt, type StormConnector, type StormReport } from './storm-connector.js';

/** Where an HTTP storm connects, and the one request each connection sends. */
export interface HttpStormTarget {
  host: string;
  port: number;
  /** The request line's target: the URL's path and query. */
  path: string;
  /** The Host header: the URL's host (with its port when it names one). */
  hostHeader: string;
}

/** A response head larger than this (bytes) is refused as not one a server would send. */
const MAX_HEAD_BYTES = 16 * 1024;

/** The URL as a storm target; a URL that does not parse is a UserError naming `field`. */
export function httpStormTarget(url: string, field: string): HttpStormTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UserError(`${field}: "${url}" is not a valid URL`, { hint: 'use a full URL such as http://127.0.0.1:8080/healthz' });
  }
  if (u.protocol !== 'http:') throw new UserError(`${field}: expected an http:// URL, got ${u.protocol}`);
  const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  return { host, port: u.port === '' ? 80 : Number(u.port), path: `${u.pathname || '/'}${u.search}`, hostHeader: u.host };
}

/**
 * New HTTP/1.1 connections, no pooling: each is its own TCP socket that sends one
 * `GET path` and reads the response head. A 429 or 5xx answer is a refusal counted as
 * "STATUS REASON" (the `x-sandbox-reason` header when the server sends one, else its status text),
 * and the socket is closed; any other answer holds the socket open (whatever body follows is read
 * and dropped) until the storm closes it or the server does (then it is `dropped`). A socket error
 * before the head is a refusal by its code (ECONNREFUSED, ECONNRESET); no head within
 * OPEN_TIMEOUT_MS (on `clock`) is refused as "timeout".
 */
export function httpConnector(target: HttpStormTarget, clock: Clock): StormConnector {
  const request = Buffer.from(`GET ${target.path} HTTP/1.1\r\nHost: ${target.hostHeader}\r\nUser-Agent: rushhour-connection-storm\r\nAccept: */*\r\n\r\n`, 'latin1');
  return (report) => openHttp(target, request, clock, report);
}

function openHttp(target: HttpStormTarget, request: Buffer, clock: Clock, report: StormReport): StormAttempt {
  let head = '';
  const socket = connect({ host: target.host, port: target.port });
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const attempt = new AttemptState(socket, clock, report);
  socket.setNoDelay(true);
  socket.once('connect', () => socket.write(request));
  socket.on('data', (chunk: Buffer) => {
    if (attempt.state !== 'opening') return;
    head += chunk.toString('latin1');
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) {
      if (head.length > MAX_HEAD_BYTES) attempt.refuse('response head too large');
      return;
    }
    const refusal = refusalOf(head.slice(0, end));
    head = '';
    if (refusal !== null) return attempt.refuse(refusal);
    attempt.hold();
  });
  socket.on('error', (e) => (attempt.state === 'opening' ? attempt.refuse(errorReason(e)) : attempt.drop(errorReason(e))));
  socket.on('close', () => (attempt.state === 'opening' ? attempt.refuse('closed before a response') : attempt.drop('closed by the server')));
  return {
    close: () => {
      attempt.close();
      socket.destroy();
      return closed;
    },
  };
}

/** null when the head holds the connection; else the refusal's reason ("503 too many clients already"). */
export function refusalOf(head: string): string | null {
  const lines = head.split('\r\n');
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) return 'not an HTTP response';
  const status = Number(m[1]);
  if (status !== 429 && status < 500) return null;
  const reason = lines.slice(1).find((l) => /^x-sandbox-reason:/i.test(l))?.slice('x-sandbox-reason:'.length).trim();
  return `${status} ${reason || m[2] || 'refused'}`;
}
