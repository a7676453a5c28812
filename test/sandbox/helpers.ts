import { sandboxParamsSchema, type SandboxParamsInput } from '../../src/sandbox/params.js';
import { startSandbox, type SandboxHandle } from '../../src/sandbox/spawn-sandbox.js';
import type { SandboxStats } from '../../src/sandbox/pipeline.js';

/** Starts a sandbox process from a `sandbox:` block as written in a scenario. */
export function start(input: SandboxParamsInput): Promise<SandboxHandle> {
  return startSandbox(sandboxParamsSchema.parse(input));
}

/** A valid telemetry v1 message body, with `patch` applied. */
export function message(id: string, patch: Record<string, unknown> = {}): string {
  return JSON.stringify({ messageId: id, vehicleId: 'VIN-TEST-1', seq: 1, sentAt: Date.now(), schemaVersion: 1, kind: 'telemetry', ...patch });
}

export interface Posted {
  status: number;
  ms: number;
  headers: Headers;
}

export async function post(sb: SandboxHandle, body: string, headers: Record<string, string> = {}): Promise<Posted> {
  const t0 = performance.now();
  const res = await fetch(sb.ingestUrl, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - t0, headers: res.headers };
}

export async function stats(sb: SandboxHandle): Promise<SandboxStats> {
  return (await (await fetch(sb.statsUrl)).json()) as SandboxStats;
}

/** Polls /stats until `done` holds; fails with the last stats after `timeoutMs`. */
export async function waitForStats(sb: SandboxHandle, done: (s: SandboxStats) => boolean, timeoutMs = 10_000): Promise<SandboxStats> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await stats(sb);
    if (done(s)) return s;
    if (Date.now() > until) throw new Error(`condition not met within ${timeoutMs} ms; last stats: ${JSON.stringify(s)}`);
    await sleep(50);
  }
}

/** Every entry of `/output` or `/dlq`, read in pages of `limit` as a probe would. */
export async function readAll<T>(sb: SandboxHandle, path: '/output' | '/dlq', limit = 50): Promise<T[]> {
  const all: T[] = [];
  for (let cursor = 0; ; ) {
    const page = (await (await fetch(`${sb.baseUrl}${path}?cursor=${cursor}&limit=${limit}`)).json()) as { items: T[]; nextCursor: number };
    all.push(...page.items);
    if (page.items.length === 0) return all;
    cursor = page.nextCursor;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
