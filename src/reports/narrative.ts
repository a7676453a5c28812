import type { Summary } from '../results/summary.js';
import { formatMs } from '../util/units.js';
import { count as n } from '../results/verdict.js';
import { formatFigure } from '../metrics/latency-figures.js';

const pct = (x: number) => `${x === 1 || x === 0 ? x * 100 : (Math.floor(x * 10_000) / 100).toFixed(x >= 0.99 ? 2 : 1)} %`;

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${(m / 60).toFixed(1)} h`;
}

/**
 * The report's opening paragraph, written from the data: the load and what the pipeline
 * accepted, then what the data says went wrong — latency after idle gaps, where changed
 * messages went, retries that hid failures, storms refused, loss. Pure: one summary, one text.
 * e.g. "At 2,000 msg/s for 10 min the pipeline accepted 99.1 % (p99 41.0ms from the intended
 * time); p99 rose from 40 ms to 2.1 s in the 5 s after each idle gap; 312 poisoned messages: 300
 * reached the DLQ, 12 were accepted silently."
 */
export function summaryParagraph(s: Summary): string {
  const parts = [`At ${n(Math.round(s.rate.target))} msg/s for ${duration(s.windowMs)} the pipeline accepted ${pct(s.okRate)} of ${n(s.counts.due)} messages (p99 ${formatFigure(s.latency, 'p99', formatMs)} from the intended time)`];
  const failed = Object.entries(s.errors).sort((a, b) => b[1] - a[1]).slice(0, 3);
  if (failed.length > 0) parts.push(`${n(s.counts.failed)} failed (${failed.map(([k, v]) => `${k} ×${n(v)}`).join(', ')})`);
  if (s.counts.dropped + s.counts.unfinished > 0) parts.push(`${n(s.counts.dropped)} dropped and ${n(s.counts.unfinished)} unfinished`);
  const gaps = s.afterIdleGaps.filter((g) => g.latency.p99 !== null && (g.p99VsBaseline ?? 0) >= 2);
  if (gaps.length > 0) {
    const worst = gaps.reduce((a, b) => ((b.latency.p99 ?? 0) > (a.latency.p99 ?? 0) ? b : a));
    parts.push(`p99 rose from ${formatMs(s.baseline.p99)} to ${formatMs(worst.latency.p99)} in the ${Math.round((worst.endMs - worst.startMs) / 1000)} s after ${gaps.length === s.afterIdleGaps.length && gaps.length > 1 ? 'each idle gap' : `idle gap ${gaps.map((g) => g.gap).join(', ')}`}`);
  }
  for (const f of s.faults ?? []) parts.push(...faultClauses(f));
  const d = s.delivery;
  if (d && (d.lost > 0 || d.duplicated > 0)) parts.push(`at the output ${n(d.lost)} lost and ${n(d.duplicated)} duplicated of ${n(d.accepted)} accepted`);
  return `${parts.join('; ')}.`;
}

function faultClauses(f: NonNullable<Summary['faults']>[number]): string[] {
  const d = f.destinations;
  if (d && d.injected > 0) {
    const what = f.kind === 'poison' ? 'poisoned' : 'drifted';
    const where = [d.rejected > 0 ? `${n(d.rejected)} were refused at the front door` : '', d.dlq > 0 ? `${n(d.dlq)} reached the DLQ` : '', d.accepted > 0 ? `${n(d.accepted)} were accepted silently` : '', d.unaccounted > 0 ? `${n(d.unaccounted)} are unaccounted for` : ''].filter(Boolean);
    return [`${n(d.injected)} ${what} messages (${f.name})${where.length ? `: ${where.join(', ')}` : ''}`];
  }
  const x = f.details;
  if (f.kind === 'retry-storm' && typeof x.hiddenFailures === 'number' && x.hiddenFailures > 0) return [`${f.name}'s retries hid ${n(x.hiddenFailures)} failure(s) behind a success`];
  if (f.kind === 'connection-storm' && typeof x.opened === 'number') {
    const refused = Object.values((x.refused ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0);
    return [`a storm of ${n(Number(x.connections ?? 0))} connections held ${n(Number(x.peakHeld ?? 0))}${refused > 0 ? ` and was refused ${n(refused)} times` : ''}`];
  }
  return [];
}

/** How to run the experiment again, the same arrivals and messages: the scenario file with its seed (a quick-mode run names no file). */
export function rerunCommand(s: Pick<Summary, 'scenario' | 'seed'>): string {
  return s.scenario ? `npx rushhour run ${s.scenario} --seed ${s.seed}` : `npx rushhour run --target URL --rate R --duration D --seed ${s.seed}   (a quick-mode run: the same flags, this seed)`;
}
