/**
 * The final summary's line of a fault's own figures (its `details` in summary.json), by kind: what
 * a retry storm amplified, what a duplicate fault copied, what store-and-forward buffered. Pure;
 * tolerant of details from older journals (a missing figure prints as "?"). null: nothing to add.
 */

type Details = Record<string, unknown>;

const n = (x: unknown): string => (typeof x === 'number' ? x.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '?');
const ms = (x: unknown): string => (typeof x === 'number' ? (x >= 1000 ? `${(x / 1000).toFixed(1)}s` : `${Math.round(x)}ms`) : '?');
const obj = (x: unknown): Details => (x !== null && typeof x === 'object' ? (x as Details) : {});
const byClass = (x: unknown): string => Object.entries(obj(x)).map(([k, v]) => `${k} ×${n(v)}`).join(', ');

export function faultFigureLine(kind: string, d: Details): string | null {
  switch (kind) {
    case 'retry-storm': return retryLine(d);
    case 'duplicate': return `copies: ${n(d.copies)} sent${d.delayMs ? ` ${ms(d.delayMs)} after the original` : ''}, ${n(d.copiesAnswered)} answered (${byClass(d.copyOutcomes) || 'none'})`;
    case 'reorder': {
      const r = obj(d.released);
      return `held: ${n(d.held)}, released after ${n(d.by)} later message(s) ${n(r.afterLater)}, at maxHold ${n(r.maxHold)}, at the stop ${n(r.atStop)}; longest hold ${ms(d.longestHoldMs)}`;
    }
    case 'store-and-forward':
      return `silent: ${n(d.vehicles)} vehicle(s), ${n(d.buffered)} reading(s) buffered (longest silence ${ms(d.longestSilenceMs)}); burst: ${n(d.burstSize)} sent at ${n(d.burstRatePerSec)}/s with their original sentAt`;
    case 'connection-storm': return stormLine(d);
    default: return null;
  }
}

/** "retries: 23,223 on top of 10,102 first sends (3.3 attempts a message); offered 2,775.9/s vs 841.5/s original (×3.3, peak 7,125/s); success after retries hid …" */
function retryLine(d: Details): string {
  const rate = obj(d.rate);
  const offered = obj(rate.offeredPerSec);
  const original = obj(rate.originalPerSec);
  const parts = [
    `retries: ${n(d.retries)} on top of ${n(d.firstSends)} first sends (${n(d.attemptsPerMessage)} attempts a message)`,
    `offered ${n(offered.mean)}/s vs ${n(original.mean)}/s original (×${n(rate.amplification)}, peak ${n(offered.peak)}/s)`,
    typeof d.finding === 'string' ? d.finding : '',
    `${n(d.exhausted)} failed every attempt`,
  ];
  return parts.filter(Boolean).join('; ');
}

/** "connections: 40 opened, 12 refused (53300 sorry, too many clients already ×12), peak held 40, 40 released" */
function stormLine(d: Details): string {
  const refused = byClass(d.refused);
  return `connections: ${n(d.opened)} opened, ${n(typeof d.refusedTotal === 'number' ? d.refusedTotal : sum(obj(d.refused)))} refused${refused ? ` (${refused})` : ''}, peak held ${n(d.peakHeld)}, ${n(d.released)} released`;
}

function sum(o: Details): number {
  return Object.values(o).reduce<number>((a, v) => a + (typeof v === 'number' ? v : 0), 0);
}
