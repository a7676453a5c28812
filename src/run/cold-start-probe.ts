import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleepMs } from 'node:timers/promises';
import { Client } from 'undici';
import { nearestRank } from '../metrics/cold-start-tax.js';
import { formatDuration } from '../util/units.js';
import { formatLeft } from './cold-start-probe-text.js';
import { UserError } from '../util/user-error.js';
import { classifyGaps, type GapResult } from './cold-start-verdict.js';

/**
 * `rushhour probe cold-start`: single requests after growing idle gaps, to find the idle time
 * after which the provider reclaims a function's environment (the next request pays a cold start).
 *
 * Sequence: one wake-up request (it may start an environment; not counted), `warmRequests`
 * requests back to back (the warm latency), then for each gap (ascending), `repeats` times: stay
 * idle for the gap (counted from the previous request's end), send one request, classify it.
 * Every request opens its own connection (and closes it), so warm and after-gap requests pay the
 * same connect/TLS time. Times in ms.
 *
 * Cold or warm: by the `coldHeader` response header when the response has it (`1`/`true`/`yes`:
 * cold; the sandbox sends `x-sandbox-cold`), else by latency: cold when above
 * max(COLD_LATENCY_FACTOR × warm p90, warm p90 + COLD_LATENCY_MARGIN_MS). The warm p90 (nearest rank),
 * not its p99: of ~10 warm requests the p99 is the slowest one, and one hiccup would hide cold starts.
 */
export const COLD_LATENCY_FACTOR = 3;
export const COLD_LATENCY_MARGIN_MS = 100;

export interface ColdProbeOptions {
  url: string;
  /** Idle gaps, ms (sorted ascending and de-duplicated here). */
  gapsMs: number[];
  repeats: number;
  /** Refuse a probe whose worst case (gaps × repeats, plus every request at its timeout) is longer. */
  maxTimeMs: number;
  warmRequests: number;
  method: string;
  /** The request body; undefined: a telemetry message (schema v1) with a fresh messageId each time. */
  body?: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** Response header that says cold; null: classify by latency only. */
  coldHeader: string | null;
  onProgress?: (p: ColdProbeProgress) => void;
}

export type ColdProbeProgress =
  | { type: 'warm'; requests: number; p50Ms: number | null; p90Ms: number | null; maxMs: number | null; thresholdMs: number }
  | { type: 'idle'; gapMs: number; repeat: number; repeats: number; step: number; steps: number; leftMs: number; totalLeftMs: number }
  | { type: 'sample'; sample: ColdProbeSample; step: number; steps: number };

export interface ColdProbeSample {
  gapMs: number;
  repeat: number;
  /** ms from sending to the end of the response body; null when it failed. */
  latencyMs: number | null;
  status: number | null;
  /** null when the request failed (no answer to classify). */
  cold: boolean | null;
  by: 'header' | 'latency' | null;
  error?: string;
}

export interface ColdProbeResult {
  url: string;
  warm: { requests: number; p50Ms: number | null; p90Ms: number | null; maxMs: number | null; statuses: Record<string, number>; wakeUpCold: boolean | null };
  rule: { header: string | null; latencyThresholdMs: number };
  gaps: GapResult[];
  /** Every request after a gap, in the order sent. */
  samples: ColdProbeSample[];
  /** Smallest gap after which a cold start appeared; null: none did. */
  coldFromMs: number | null;
  /** Largest gap below coldFromMs (or of all, without a cold one) after which every request was warm. */
  largestWarmMs: number | null;
  /** Some gap was cold but a larger one warm again (other traffic, or a provider that keeps some environments). */
  monotonic: boolean;
  conclusion: string;
  durationMs: number;
}

/** "1m,5m,10m" → ms, with an error naming the bad part. */
export function parseGaps(text: string, parse: (s: string) => number | undefined): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (parts.length === 0) throw new UserError('--gaps expects a list of durations such as 1m,5m,10m,15m', { hint: 'see rushhour probe cold-start --help' });
  return parts.map((p) => {
    const ms = parse(p);
    if (ms === undefined || ms <= 0) throw new UserError(`--gaps: "${p}" is not a duration such as 500ms, 30s or 5m`, { hint: 'list gaps with their unit, comma-separated: --gaps 1m,5m,10m,15m' });
    return ms;
  });
}

/** The --target URL: http or https (loopback, or the user's own endpoint). */
export function checkUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UserError(`--target expects a URL such as http://127.0.0.1:8787/ingest, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UserError(`--target must be an http or https URL, got ${url.protocol}`);
  return url.href;
}

/** `Name: value` lines → headers. */
export function parseHeaders(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i <= 0) throw new UserError(`--header expects "Name: value", got "${line}"`);
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/** The body as given, or `@FILE`'s text. */
export function readBody(text: string): string {
  if (!text.startsWith('@')) return text;
  try {
    return readFileSync(text.slice(1), 'utf8');
  } catch (e) {
    throw new UserError(`--body ${text}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The worst case of a probe, ms: every gap × repeats idle, and every request at its timeout. */
export function worstCaseMs(o: Pick<ColdProbeOptions, 'gapsMs' | 'repeats' | 'warmRequests' | 'timeoutMs'>): { idleMs: number; requestsMs: number } {
  const gaps = [...new Set(o.gapsMs)];
  const idleMs = gaps.reduce((a, g) => a + g, 0) * o.repeats;
  return { idleMs, requestsMs: (1 + o.warmRequests + gaps.length * o.repeats) * o.timeoutMs };
}

/** Runs the probe (minutes to an hour: bounded by maxTimeMs, checked before anything is sent). */
export async function probeColdStart(o: ColdProbeOptions): Promise<ColdProbeResult> {
  const gaps = [...new Set(o.gapsMs)].sort((a, b) => a - b);
  checkBounds(o);
  const started = performance.now();
  const send = requester(o);
  const wake = await send();
  if (wake.latencyMs === null) {
    throw new UserError(`${o.url} did not answer the first request: ${wake.error}`, { hint: 'check the URL (and that the service is up), or raise --timeout' });
  }
  const warm = [];
  for (let i = 0; i < o.warmRequests; i++) warm.push(await send());
  const latencies = warm.flatMap((w) => (w.latencyMs === null ? [] : [w.latencyMs])).sort((a, b) => a - b);
  const figures = { requests: latencies.length, p50Ms: nearestRank(latencies, 0.5), p90Ms: nearestRank(latencies, 0.9), maxMs: nearestRank(latencies, 1) };
  const p90 = figures.p90Ms;
  const thresholdMs = p90 === null ? Infinity : Math.max(COLD_LATENCY_FACTOR * p90, p90 + COLD_LATENCY_MARGIN_MS);
  o.onProgress?.({ type: 'warm', ...figures, thresholdMs });
  const samples: ColdProbeSample[] = [];
  const steps = gaps.length * o.repeats;
  let totalLeftMs = gaps.reduce((a, g) => a + g, 0) * o.repeats;
  for (const gapMs of gaps) {
    for (let repeat = 1; repeat <= o.repeats; repeat++) {
      const step = samples.length + 1;
      await idle(gapMs, (leftMs) => o.onProgress?.({ type: 'idle', gapMs, repeat, repeats: o.repeats, step, steps, leftMs, totalLeftMs: totalLeftMs - (gapMs - leftMs) }));
      totalLeftMs -= gapMs;
      const r = await send();
      const sample = classify(r, gapMs, repeat, o.coldHeader, thresholdMs);
      samples.push(sample);
      o.onProgress?.({ type: 'sample', sample, step, steps });
    }
  }
  const verdict = classifyGaps(gaps, samples);
  return {
    url: o.url,
    warm: { ...figures, statuses: countStatuses(warm), wakeUpCold: coldByHeader(wake.headers, o.coldHeader) ?? null },
    rule: { header: o.coldHeader, latencyThresholdMs: Math.round(thresholdMs * 1000) / 1000 },
    ...verdict,
    samples,
    durationMs: Math.round(performance.now() - started),
  };
}

function checkBounds(o: ColdProbeOptions): void {
  const { idleMs, requestsMs } = worstCaseMs(o);
  if (idleMs + requestsMs <= o.maxTimeMs) return;
  throw new UserError(
    `the probe could take ${formatLeft(idleMs + requestsMs)} — ${formatLeft(idleMs)} idle (the gaps${o.repeats > 1 ? ` × ${o.repeats} repeats` : ''}) plus ${formatLeft(requestsMs)} if every request ran into --timeout — over --max-time ${formatDuration(o.maxTimeMs)}`,
    { hint: 'drop or shorten a gap, lower --repeats or --timeout, or raise --max-time' },
  );
}

interface Answer {
  latencyMs: number | null;
  status: number | null;
  headers: Record<string, string | string[] | undefined>;
  error?: string;
}

/** Sends one request on a connection of its own; never throws for a request-level failure. */
function requester(o: ColdProbeOptions): () => Promise<Answer> {
  const url = new URL(o.url);
  const hasBody = o.method !== 'GET' && o.method !== 'HEAD';
  const hasType = Object.keys(o.headers).some((h) => h.toLowerCase() === 'content-type');
  let n = 0;
  const runId = Date.now().toString(36);
  return async () => {
    n++;
    const body = !hasBody ? undefined : (o.body ?? JSON.stringify({ messageId: `rushhour-probe-${runId}-${n}`, vehicleId: 'RUSHHOURPROBE0001', seq: n, sentAt: Date.now(), schemaVersion: 1, kind: 'telemetry' }));
    const headers = { ...(hasBody && !hasType ? { 'content-type': 'application/json' } : {}), ...o.headers };
    const client = new Client(url.origin, { connectTimeout: o.timeoutMs, headersTimeout: o.timeoutMs, bodyTimeout: o.timeoutMs });
    const t0 = performance.now();
    try {
      const res = await client.request({ path: url.pathname + url.search, method: o.method as 'POST', headers, body, signal: AbortSignal.timeout(o.timeoutMs) });
      await res.body.dump({ limit: 1 << 20 });
      return { latencyMs: performance.now() - t0, status: res.statusCode, headers: res.headers };
    } catch (e) {
      const err = e as Error & { code?: string };
      return { latencyMs: null, status: null, headers: {}, error: err.code ?? err.name ?? err.message };
    } finally {
      await client.close().catch(() => client.destroy());
    }
  };
}

function coldByHeader(headers: Answer['headers'], name: string | null): boolean | undefined {
  if (name === null) return undefined;
  const v = headers[name.toLowerCase()];
  const value = Array.isArray(v) ? v[0] : v;
  return value === undefined ? undefined : /^(1|true|yes)$/i.test(value.trim());
}

function classify(r: Answer, gapMs: number, repeat: number, header: string | null, thresholdMs: number): ColdProbeSample {
  const base = { gapMs, repeat, latencyMs: r.latencyMs === null ? null : Math.round(r.latencyMs * 1000) / 1000, status: r.status };
  if (r.latencyMs === null) return { ...base, cold: null, by: null, ...(r.error ? { error: r.error } : {}) };
  const byHeader = coldByHeader(r.headers, header);
  if (byHeader !== undefined) return { ...base, cold: byHeader, by: 'header' };
  return { ...base, cold: r.latencyMs > thresholdMs, by: 'latency' };
}

function countStatuses(answers: Answer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const k = a.status === null ? (a.error ?? 'error') : String(a.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

/** Idle for ms, telling `tick` the time left at the start and then every fifth of ms (1 s to 1 min apart). */
async function idle(ms: number, tick: (leftMs: number) => void): Promise<void> {
  const every = Math.min(60_000, Math.max(1000, ms / 5));
  const end = performance.now() + ms;
  for (let left = ms; left > 0; left = end - performance.now()) {
    if (left === ms || left >= 1000) tick(Math.round(left)); // no line for a timer's last few ms
    await sleepMs(Math.min(every, left));
  }
}
