import type { ProbeReadings, ShardAge } from '../metrics/probe-readings.js';
import { formatMs } from '../util/units.js';

/**
 * The probes' part of a plain line: `dlq 3  lost 0 dup 1 reord 0 lag 1.20s` (dead-letter depth,
 * the matcher's running counts, how far the output trails the load), and at a stream door the
 * oldest shard's iterator age: `iter 4.20s shardId-000000000002 blocked`. Empty without readings.
 */
export function probeLine(p: ProbeReadings | undefined): string {
  if (!p) return '';
  const parts: string[] = [];
  for (const q of p.queues ?? []) if (q.role === 'dlq') parts.push(`dlq ${q.visible}`);
  const d = p.delivery;
  if (d) parts.push(`seen ${d.seen} lost ${d.lost} dup ${d.duplicated} reord ${d.reordered}${d.unexpected ? ` unexp ${d.unexpected}` : ''} lag ${d.lagMs === null ? '–' : formatMs(d.lagMs)}${d.e2eP99Ms !== undefined ? ` e2e p99 ${d.e2eP99Ms === null ? '–' : formatMs(d.e2eP99Ms)}` : ''}`);
  const oldest = (p.shards ?? []).reduce<ShardAge | undefined>((a, x) => (a && a.iteratorAgeMs >= x.iteratorAgeMs ? a : x), undefined);
  if (oldest) parts.push(`iter ${formatMs(oldest.iteratorAgeMs)}${oldest.iteratorAgeMs > 0 ? ` ${oldest.id}${oldest.blocked ? ' blocked' : ''}` : ''}`);
  return parts.join('  ');
}
