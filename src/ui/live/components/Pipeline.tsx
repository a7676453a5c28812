import type { ReactElement } from 'react';
import { Text } from 'ink';
import type { LiveState, ShardCell } from '../live-state.js';
import { sparkline } from '../sparkline.js';
import { formatMs } from '../../../util/units.js';
import { fmtPercent, gutter, Line } from './line.js';
import { count } from '../../../results/verdict.js';

/** DLQ depth, the consumer's lost / duplicated / reordered and lag, the oldest iterator age; none before the probes read anything. */
export function pipelineLines(s: LiveState): ReactElement[] {
  const p = s.pipeline;
  const parts: string[] = [];
  if (p.dlqDepth !== null) parts.push(`dlq ${count(p.dlqDepth)}`);
  if (p.delivery) parts.push(`lost ${count(p.delivery.lost)}  dup ${count(p.delivery.duplicated)}  reord ${count(p.delivery.reordered)}  lag ${formatMs(p.delivery.lagMs)}`);
  if (p.iteratorAgeMs !== null) parts.push(`iterator age ${formatMs(p.iteratorAgeMs)}${p.blockedShards ? ` (${p.blockedShards} blocked)` : ''}`);
  if (!parts.length) return [];
  const bad = (p.dlqDepth ?? 0) > 0 || (p.delivery?.lost ?? 0) > 0 || p.blockedShards > 0;
  return [<Line key="pipe" color={bad ? 'red' : undefined}>{gutter('pipeline')}{parts.join('  ')}</Line>];
}

/** "2" from "shardId-000000000002". */
const shortId = (id: string): string => id.replace(/^shardId-0*(?=\d)/, '');

/**
 * Shard heat: one two-column cell per shard (its share of the records, ▁..█, scaled to the
 * busiest), a hot shard followed by ▲ so it stands out without colour; then the hot shards named.
 */
export function shardLines(s: LiveState): ReactElement[] {
  if (!s.shards.length) return [];
  const top = Math.max(...s.shards.map((c) => c.share));
  const hot = s.shards.filter((c) => c.hot);
  const cells = s.shards.map((c: ShardCell) => (
    <Text key={c.id} color={c.hot ? 'red' : undefined} bold={c.hot}>{`${sparkline([c.share], { min: 0, max: top || 1 })}${c.hot ? '▲' : ' '}`}</Text>
  ));
  const names = hot.map((c) => `${shortId(c.id)} ${fmtPercent(c.share)}${c.throttled ? ` ${count(c.throttled)} throttled` : ''}`).join(', ');
  return [<Line key="shards">{gutter('shards')}{cells}{hot.length ? `  ▲ hot: ${names}` : '  even'}</Line>];
}
