import { formatFigure, type LatencyFigures } from '../metrics/latency-figures.js';
import type { Percentiles } from '../metrics/histogram.js';
import { destinationLine } from '../results/fault-summary.js';
import type { Summary } from '../results/summary.js';
import { formatMs } from '../util/units.js';
import { budgetText, type SloRow } from './slo-model.js';
import { count as n } from '../results/verdict.js';

/**
 * The report's "Impact": what the load and the faults did to the pipeline, one row per figure —
 * [what, how many, share of the due arrivals or a note]. Every row comes from summary.json (the
 * error budgets from the SLO rows). Pure: the Markdown and HTML reports render the same rows.
 */
export type ImpactRow = [what: string, figure: string, note: string];

/** Error classes that mean the target throttled (HTTP 429, Kinesis/SQS throughput exceptions). */
const THROTTLED = /429|throttl|ProvisionedThroughputExceeded|RequestLimitExceeded|SlowDown/i;

const pct = (x: number, of: number) => (of === 0 ? '–' : `${((100 * x) / of).toFixed(2)} %`);

export function impactRows(s: Summary, slos: readonly SloRow[]): ImpactRow[] {
  const c = s.counts;
  const rows: ImpactRow[] = [
    ['offered (arrivals due)', n(c.due), `${s.rate.target}/s target, ${s.rate.achieved}/s on the wire`],
    ['accepted (ok)', n(c.ok), pct(c.ok, c.due)],
  ];
  const throttled = Object.entries(s.errors).filter(([k]) => THROTTLED.test(k)).reduce((a, [, v]) => a + v, 0);
  rows.push(['throttled', n(throttled), pct(throttled, c.due)]);
  rows.push(['failed', n(c.failed), pct(c.failed, c.due)]);
  for (const [k, v] of Object.entries(s.errors).sort((a, b) => b[1] - a[1])) rows.push([`  failed: ${k}`, n(v), pct(v, c.due)]);
  rows.push(['dropped (never sent: in-flight cap)', n(c.dropped), pct(c.dropped, c.due)]);
  rows.push(['unfinished (no answer at the end)', n(c.unfinished), pct(c.unfinished, c.due)]);
  for (const f of s.faults ?? []) {
    if (f.destinations) rows.push([`changed by ${f.name} (${f.kind})`, n(f.destinations.injected), destinationLine(f.destinations).replace(/^where its [\d,]+ went: /, '')]);
    else if (f.messages) rows.push([`changed by ${f.name} (${f.kind})`, n(f.messages), '']);
  }
  const d = s.delivery;
  if (d) {
    rows.push(['lost (accepted, never in the output)', n(d.lost), pct(d.lost, d.accepted) + ' of accepted']);
    rows.push(['duplicated in the output', n(d.duplicated), pct(d.duplicated, d.seen) + ' of seen']);
    rows.push(['reordered in the output', n(d.reordered), pct(d.reordered, d.seen) + ' of seen']);
  }
  for (const q of s.queues ?? []) rows.push([`${q.role === 'dlq' ? 'DLQ' : 'queue'} ${q.name}: peak depth`, n(q.peakDepth), `final ${n(q.finalDepth)}`]);
  if (s.shards && s.shards.length > 0) {
    const hot = s.shards.filter((x) => x.hot);
    const top = s.shards[0];
    rows.push(['shards', n(s.shards.length), hot.length > 0 ? `hot: ${hot.map((x) => `${x.id} (${x.why})`).join('; ')}` : `none hot; busiest ${top.id} with ${(top.share * 100).toFixed(1)} % of the records, peak ${n(top.peakRecordsPerS)}/s`]);
  }
  rows.push(['latency from the intended time', spread(s.latency), s.latency.censored ? '≥: lower bound; never: not answered' : '']);
  rows.push(['service time', spread(s.serviceTime), 'what a closed-loop tool would report']);
  if (d) rows.push(['end-to-end (intended → seen in the output)', spread(d.e2eLatency), '']);
  for (const r of slos) if (r.budget) rows.push([`error budget: ${r.source}`, budgetText(r.budget), '']);
  return rows;
}

/** "p50 3.1 ms · p90 … · max …" */
function spread(p: Percentiles | LatencyFigures): string {
  return (['p50', 'p90', 'p99', 'p999', 'max'] as const).map((k) => `${k === 'p999' ? 'p99.9' : k} ${formatFigure(p, k, formatMs)}`).join(' · ');
}
