import type { ShardLoad } from '../metrics/interval-snapshot.js';
import type { ProbeReadings } from '../metrics/probe-readings.js';
import { SHARD_BYTES_PER_S, SHARD_RECORDS_PER_S } from '../targets/kinesis/config.js';

/** One shard over the run: totals, its busiest second, and whether it was hot (and why). */
export interface ShardSummary {
  id: string;
  records: number;
  bytes: number;
  throttled: number;
  /** Share of all records, 0..1. */
  share: number;
  /** The busiest interval, per second. */
  peakRecordsPerS: number;
  peakBytesPerS: number;
  hot: boolean;
  /** Why it is hot, e.g. "peak 1,840 records/s over the 1,000/s shard limit". Empty when not. */
  why: string;
  /** The consumer's largest iterator age on this shard, ms (sandbox kinesis door); absent when no probe read it. */
  iteratorAgeMsMax?: number;
  /** The consumer was seen blocked on this shard (retrying a failing batch) at some sample. */
  blocked?: boolean;
}

/** A share of the records this many times the even share (1 / shards) makes a shard hot. */
export const HOT_SHARE_FACTOR = 2;
/** Fewer records than this in all prove nothing about skew. */
const MIN_RECORDS_FOR_SKEW = 100;
/** Peaks per second come only from intervals at least this long (ms): the short last one (the drain) would inflate them. */
const MIN_PEAK_INTERVAL_MS = 500;

/** Per-shard figures from the intervals' shard loads (pure); null when the target reported none. */
export function summarizeShards(intervals: { startMs: number; endMs: number; shards?: ShardLoad[] }[]): ShardSummary[] | null {
  const by = new Map<string, ShardSummary>();
  let any = false;
  for (const i of intervals) {
    if (!i.shards) continue;
    any = true;
    const secs = (i.endMs - i.startMs) / 1000;
    const peaks = i.endMs - i.startMs >= MIN_PEAK_INTERVAL_MS;
    for (const l of i.shards) {
      let s = by.get(l.id);
      if (!s) by.set(l.id, (s = { id: l.id, records: 0, bytes: 0, throttled: 0, share: 0, peakRecordsPerS: 0, peakBytesPerS: 0, hot: false, why: '' }));
      s.records += l.records;
      s.bytes += l.bytes;
      s.throttled += l.throttled;
      if (!peaks) continue;
      s.peakRecordsPerS = Math.max(s.peakRecordsPerS, Math.round(l.records / secs));
      s.peakBytesPerS = Math.max(s.peakBytesPerS, Math.round(l.bytes / secs));
    }
  }
  if (!any) return null;
  const shards = [...by.values()];
  const total = shards.reduce((a, s) => a + s.records, 0);
  for (const s of shards) {
    s.share = total === 0 ? 0 : Math.round((s.records / total) * 1e4) / 1e4;
    const reasons: string[] = [];
    if (s.peakRecordsPerS > SHARD_RECORDS_PER_S) reasons.push(`peak ${s.peakRecordsPerS.toLocaleString('en-US')} records/s over the ${SHARD_RECORDS_PER_S.toLocaleString('en-US')}/s shard limit`);
    if (s.peakBytesPerS > SHARD_BYTES_PER_S) reasons.push(`peak ${(s.peakBytesPerS / 1048576).toFixed(2)} MiB/s over the 1 MiB/s shard limit`);
    if (s.throttled > 0) reasons.push(`${s.throttled.toLocaleString('en-US')} record(s) throttled`);
    if (shards.length > 1 && total >= MIN_RECORDS_FOR_SKEW && s.share >= HOT_SHARE_FACTOR / shards.length) {
      reasons.push(`${(s.share * 100).toFixed(1)} % of the records, ${(s.share * shards.length).toFixed(1)}× an even share`);
    }
    s.hot = reasons.length > 0;
    s.why = reasons.join('; ');
  }
  return shards.sort((a, b) => b.records - a.records);
}

/**
 * Adds each shard's largest iterator age and whether it was ever seen blocked, from the probes'
 * readings (pure). Shards the readings name but the target's loads do not are added with no load.
 */
export function withIteratorAges(shards: ShardSummary[] | null, readings: readonly (ProbeReadings | undefined)[]): ShardSummary[] | null {
  const ages = new Map<string, { max: number; blocked: boolean }>();
  for (const r of readings) {
    for (const a of r?.shards ?? []) {
      const x = ages.get(a.id) ?? { max: 0, blocked: false };
      x.max = Math.max(x.max, a.iteratorAgeMs);
      x.blocked ||= a.blocked;
      ages.set(a.id, x);
    }
  }
  if (ages.size === 0) return shards;
  const out = (shards ?? []).map((s) => ({ ...s }));
  for (const [id, a] of ages) {
    let s = out.find((x) => x.id === id);
    if (!s) out.push((s = { id, records: 0, bytes: 0, throttled: 0, share: 0, peakRecordsPerS: 0, peakBytesPerS: 0, hot: false, why: '' }));
    s.iteratorAgeMsMax = Math.round(a.max);
    s.blocked = a.blocked;
  }
  return out;
}
