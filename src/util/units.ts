/**
 * Parsing of human units used in flags and scenario files.
 * Durations come back in milliseconds, rates in arrivals per second, sizes in bytes.
 * Each parser returns `undefined` for text it cannot read, so callers can name the field in their error.
 */

const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)\s*$/;
const DURATION_FACTOR: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** `500ms`, `30s`, `5m`, `1h`, `1.5s` → ms. A bare number is not accepted: the unit is required. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  return Number(m[1]) * DURATION_FACTOR[m[2]];
}

const RATE = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(s|sec|second|m|min|minute))?\s*$/;

/** `2000`, `2000/s`, `120/m` → arrivals per second. */
export function parseRate(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = RATE.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2];
  return unit === 'm' || unit === 'min' || unit === 'minute' ? n / 60 : n;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib)?\s*$/i;
const SIZE_FACTOR: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1_048_576 };

/** `512`, `64KiB`, `1MB` → bytes. */
export function parseSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) && text >= 0 ? text : undefined;
  const m = SIZE.exec(text);
  if (!m) return undefined;
  return Math.round(Number(m[1]) * SIZE_FACTOR[(m[2] ?? 'b').toLowerCase()]);
}

/** 1234.5 ms → "1.23s"; 0.42 → "0.42ms"; null (no samples) → "–". For human output only. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '–';
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)}s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)}s`;
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  return `${ms.toFixed(2)}ms`;
}

export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0 && ms > 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0 && ms > 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Bytes as text in binary units: `512 B`, `64 KiB`, `1.5 MiB` (at most one decimal). */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : Math.round(v * 10) / 10} ${units[i]}`;
}
