/**
 * W3C Trace Context ids for each arrival: `traceparent: 00-<trace-id>-<parent-id>-01`.
 * trace-id = 16 hex chars fixed per run (from the seed and start time) + 16 hex chars of the
 * arrival number, so the id of any arrival can be recomputed later from n (no per-request storage).
 */
export class TraceIds {
  private readonly prefix: string;

  constructor(seed: number, startEpochMs: number) {
    const a = seedPart(seed);
    const b = (Math.floor(startEpochMs) % 0x100000000 >>> 0).toString(16).padStart(8, '0');
    this.prefix = a + b;
  }

  traceId(n: number): string {
    return this.prefix + n.toString(16).padStart(16, '0');
  }

  /** The header value for arrival n; the parent id is the arrival number too (the root span). */
  traceparent(n: number): string {
    const hex = n.toString(16).padStart(16, '0');
    return '00-' + this.prefix + hex + '-' + hex + '-01';
  }
}

/** The trace id's first 8 hex chars: the seed's (the warm-up's seed differs, so its ids never match the run's). */
function seedPart(seed: number): string {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0).toString(16).padStart(8, '0');
}

/** The arrival number in a `traceparent` of a run with `seed` (its parent id), or undefined when it is none of that run's. */
export function arrivalOfTraceparent(traceparent: string, seed: number): number | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/.exec(traceparent);
  if (!m || !m[1].startsWith(seedPart(seed)) || m[1].slice(16) !== m[2]) return undefined;
  const n = parseInt(m[2], 16);
  return Number.isSafeInteger(n) ? n : undefined;
}
