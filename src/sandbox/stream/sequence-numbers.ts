/**
 * Names of the stream's parts as Kinesis spells them: shard ids (`shardId-000000000000`) and
 * sequence numbers (decimal strings of a fixed width, like AWS's 56 digits).
 *
 * A sandbox sequence number is `49` + the shard index (4 digits) + the record's position in that
 * shard (50 digits): strictly increasing within a shard, unique across shards, and — being all
 * the same width — ordered the same as text and as numbers, as a consumer comparing AWS's would.
 */

export const SEQUENCE_DIGITS = 56;
const PREFIX = '49';
const SHARD_DIGITS = 4;
const POSITION_DIGITS = SEQUENCE_DIGITS - PREFIX.length - SHARD_DIGITS;
const SEQUENCE = /^49\d{54}$/;
const SHARD_ID = /^shardId-(\d{12})$/;

/** `shardId-` + the index in 12 digits, as Kinesis names the shards of a new stream. */
export function shardId(index: number): string {
  return `shardId-${String(index).padStart(12, '0')}`;
}

/** The index a shard id names, or -1 when `id` is not a shard id. Kinesis also accepts the bare number (`"1"`). */
export function shardIndexOf(id: string): number {
  const m = SHARD_ID.exec(id);
  if (m) return Number(m[1]);
  return /^\d{1,12}$/.test(id) ? Number(id) : -1;
}

/** The sequence number of the record at `position` (0-based) of shard `shardIndex` (0..9999). */
export function sequenceNumber(shardIndex: number, position: number): string {
  return PREFIX + String(shardIndex).padStart(SHARD_DIGITS, '0') + String(position).padStart(POSITION_DIGITS, '0');
}

/** The shard and position a sequence number encodes; undefined when it is not one of the sandbox's. */
export function parseSequenceNumber(text: string): { shardIndex: number; position: number } | undefined {
  if (!SEQUENCE.test(text)) return undefined;
  const position = Number(text.slice(PREFIX.length + SHARD_DIGITS));
  if (!Number.isSafeInteger(position)) return undefined;
  return { shardIndex: Number(text.slice(PREFIX.length, PREFIX.length + SHARD_DIGITS)), position };
}
