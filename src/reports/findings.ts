import type { Summary } from '../results/summary.js';
import { count as n } from '../results/verdict.js';

/**
 * What the data supports as a contributing factor, each with its figure and, where one follows,
 * an action item. `problem`: something broke or hid a failure; `note`: worth knowing. Derived
 * from summary.json alone (pure), in the order a review should read them: the generator's own
 * health first, because when it fell behind nothing else is trustworthy.
 */
export interface Finding {
  id: string;
  severity: 'problem' | 'note';
  title: string;
  /** The figure behind it, in words. */
  figure: string;
  action: string | null;
  /** The chart that shows it (`chart-<id>.svg`), when one does. */
  chart?: 'throughput' | 'latency' | 'errors' | 'dlq' | 'consumer-lag' | 'shards';
}

/** The generator counts as saturated when its schedule lag p99 reached this, ms, in some interval. */
export const GENERATOR_LAG_MS = 100;
/** A gap's first requests count as taxed from this p99 ratio to the baseline. */
export const TAX_RATIO = 2;


export function deriveFindings(s: Summary): Finding[] {
  return [...generatorFindings(s), ...faultFindings(s), ...gapFindings(s), ...pipelineFindings(s)];
}

function generatorFindings(s: Summary): Finding[] {
  const behind = s.warnings.filter((w) => w.code === 'generator-behind').length;
  if (s.generator.maxScheduleLagP99Ms < GENERATOR_LAG_MS && behind === 0) return [];
  return [{
    id: 'generator-saturated', severity: 'problem', title: 'The load generator itself fell behind: the figures below may understate the load',
    figure: `schedule lag p99 up to ${n(s.generator.maxScheduleLagP99Ms)} ms in one interval, event-loop delay up to ${n(s.generator.maxEventLoopLagMs)} ms${behind > 0 ? `, ${behind} generator-behind warning(s)` : ''}`,
    chart: 'throughput', action: 'rerun with a lower rate, fewer vehicles or on a machine with more free CPU before drawing conclusions',
  }];
}

function faultFindings(s: Summary): Finding[] {
  const out: Finding[] = [];
  for (const f of s.faults ?? []) {
    const d = f.destinations;
    if (d && f.acceptedSilently) {
      out.push({ id: `${f.name}-accepted-silently`, severity: 'problem', title: `${f.kind} ${f.name}: changed messages went through the pipeline silently`, figure: `${n(f.acceptedSilently)} of ${n(d.injected)} reached the output — nothing rejected or dead-lettered them`, action: `validate ${f.kind === 'schema-drift' ? 'units and schema versions' : 'message contents'} where messages enter the pipeline, and alert on what fails it` });
    }
    if (d && d.dlq > 0) out.push({ id: `${f.name}-dlq`, severity: 'note', title: `${f.kind} ${f.name}: dead-lettered`, figure: `${n(d.dlq)} of ${n(d.injected)} changed messages in the DLQ`, action: null });
    const c = f.comparison;
    if (c?.verdict === 'worse') out.push({ id: `${f.name}-worse`, severity: 'problem', title: `while ${f.name} (${f.kind}) was active the pipeline got worse`, figure: c.reasons.join('; '), chart: 'latency', action: null });
    const hidden = typeof f.details.hiddenFailures === 'number' ? f.details.hiddenFailures : 0;
    if (f.kind === 'retry-storm' && hidden > 0) {
      out.push({ id: `${f.name}-hidden`, severity: 'problem', title: `${f.name}: success after retries hid failures`, figure: String(f.details.finding ?? `${n(hidden)} failure(s) hidden`), chart: 'throughput', action: 'count retries and throttles as their own metric: a success rate after retries hides them' });
    }
    const refused = f.kind === 'connection-storm' ? Object.values((f.details.refused ?? {}) as Record<string, number>).reduce((a, b) => a + b, 0) : 0;
    if (refused > 0) out.push({ id: `${f.name}-refused`, severity: 'note', title: `${f.name}: the server refused connections`, figure: `${n(refused)} refused (${Object.keys(f.details.refused as object).join(', ')})`, chart: 'errors', action: 'put a connection pooler (e.g. RDS Proxy) between the functions and the database, or cap their concurrency below its connection limit' });
  }
  return out;
}

function gapFindings(s: Summary): Finding[] {
  return s.afterIdleGaps.filter((g) => (g.p99VsBaseline ?? 0) >= TAX_RATIO).map((g) => ({
    id: `cold-start-${g.gap}`, severity: 'note' as const, title: `cold starts after the idle gap ${g.gap}`,
    figure: `p99 ${n(g.latency.p99 ?? 0)} ms in the ${((g.endMs - g.startMs) / 1000).toFixed(0)} s after it, ${g.p99VsBaseline}× the baseline${g.tax ? `; the first ${g.tax.firstK.k} requests paid +${n(Math.round(g.tax.taxMs ?? 0))} ms at p50` : ''}`,
    chart: 'latency' as const, action: 'keep the functions warm (provisioned concurrency) if this tax matters to the SLO',
  }));
}

function pipelineFindings(s: Summary): Finding[] {
  const out: Finding[] = [];
  const dlqPeak = Math.max(0, ...(s.queues ?? []).filter((q) => q.role === 'dlq').map((q) => q.peakDepth));
  const guarded = s.thresholds.some((t) => t.metric === 'dlq_depth');
  if (dlqPeak > 0) out.push({ id: 'dlq', severity: guarded ? 'note' : 'problem', title: 'messages reached the dead-letter queue', figure: `DLQ depth up to ${n(dlqPeak)}`, chart: 'dlq', action: guarded ? null : 'alarm on DLQ depth (at ≤ 10) — and add `dlq_depth < 10` to the scenario\'s thresholds' });
  for (const sh of (s.shards ?? []).filter((x) => x.hot)) out.push({ id: `hot-shard-${sh.id}`, severity: 'problem', title: `hot shard ${sh.id}`, figure: `${(sh.share * 100).toFixed(1)} % of the records; ${sh.why}`, chart: 'shards', action: 'spread the partition key (a higher-cardinality key, or a random suffix for the hottest keys)' });
  const d = s.delivery;
  if (d && d.lost > 0) out.push({ id: 'lost', severity: 'problem', title: 'accepted messages never reached the output', figure: `${n(d.lost)} lost of ${n(d.accepted)} accepted`, action: null });
  if (d && d.duplicated > 0) out.push({ id: 'duplicated', severity: 'note', title: 'the output holds duplicates', figure: `${n(d.duplicated)} duplicated`, action: 'make the consumer idempotent on messageId' });
  return out;
}
