import { formatDuration } from '../util/units.js';

/** One gap's requests of a cold-start probe, and what they say. */
export interface GapResult {
  gapMs: number;
  requests: number;
  cold: number;
  warm: number;
  /** Requests without an answer (nothing to classify). */
  failed: number;
  /** cold: every answered request cold; warm: every one warm; mixed: some of each; failed: none answered. */
  verdict: 'cold' | 'warm' | 'mixed' | 'failed';
}

/**
 * Pure: the gaps' verdicts and the conclusion. Cold starts "appear" from the smallest gap with
 * any cold request; the largest warm gap is the largest below it (of all, without a cold one)
 * whose answered requests were all warm. `gaps` ascending.
 */
export function classifyGaps(gaps: readonly number[], samples: readonly { gapMs: number; cold: boolean | null }[]) {
  const results: GapResult[] = gaps.map((gapMs) => {
    const mine = samples.filter((s) => s.gapMs === gapMs);
    const cold = mine.filter((s) => s.cold === true).length;
    const warm = mine.filter((s) => s.cold === false).length;
    const failed = mine.length - cold - warm;
    const verdict = cold + warm === 0 ? 'failed' : cold === 0 ? 'warm' : warm === 0 ? 'cold' : 'mixed';
    return { gapMs, requests: mine.length, cold, warm, failed, verdict };
  });
  const coldFrom = results.find((g) => g.cold > 0);
  const warmBelow = results.filter((g) => g.verdict === 'warm' && (coldFrom === undefined || g.gapMs < coldFrom.gapMs)).at(-1);
  const monotonic = coldFrom === undefined || results.every((g) => g.gapMs <= coldFrom.gapMs || g.verdict !== 'warm');
  return { gaps: results, coldFromMs: coldFrom?.gapMs ?? null, largestWarmMs: warmBelow?.gapMs ?? null, monotonic, conclusion: conclusion(results, coldFrom, warmBelow, monotonic) };
}

function conclusion(results: GapResult[], coldFrom: GapResult | undefined, warmBelow: GapResult | undefined, monotonic: boolean): string {
  const d = formatDuration;
  if (results.every((g) => g.verdict === 'failed')) return 'no request after a gap was answered: nothing to conclude';
  if (!coldFrom) return `no cold start after any gap up to ${d(results.at(-1)!.gapMs)}: the idle window is longer (or environments are kept warm — provisioned, or other traffic)`;
  const again = monotonic ? '' : `; warm again after a larger gap (${results.filter((g) => g.gapMs > coldFrom.gapMs && g.verdict === 'warm').map((g) => d(g.gapMs)).join(', ')}): other traffic may keep an environment, repeat with --repeats`;
  if (!warmBelow) return `cold starts already after the smallest gap (${d(coldFrom.gapMs)}): the idle window is shorter than that${again}`;
  return `cold starts appear from a ${d(coldFrom.gapMs)} gap, still warm after ${d(warmBelow.gapMs)}: the idle window is between ${d(warmBelow.gapMs)} and ${d(coldFrom.gapMs)}${again}`;
}
