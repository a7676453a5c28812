import type { AwsSettings } from '../aws/client-config.js';

/** The Kinesis target, resolved. `stream` is a stream name or ARN. Times in ms. */
export interface KinesisTargetConfig extends AwsSettings {
  kind: 'kinesis';
  stream: string;
  /** Records per PutRecords call, 1..500. */
  maxRecords: number;
  /** A partly filled batch goes out this long after its first record. */
  lingerMs: number;
  /** PutRecords calls in flight at once (and sockets in the client's pool). */
  concurrency: number;
  /** Times a failed record is sent again (throttling, internal failures), with backoff and jitter. */
  retries: number;
  /** The partition key written with `{{field}}` placeholders; default: the fleet's partition key (fleet.partitionKey). */
  partitionKey?: string;
}

/** A partition key's most characters (Kinesis' limit). */
export const MAX_PARTITION_KEY = 256;

/** PutRecords' service limits (Kinesis Data Streams quotas). */
export const MAX_RECORDS_PER_CALL = 500;
export const MAX_BYTES_PER_CALL = 5 * 1024 * 1024;
/** Data plus partition key. */
export const MAX_BYTES_PER_RECORD = 1024 * 1024;
/** A shard takes at most this many records and bytes a second: past either it throttles. */
export const SHARD_RECORDS_PER_S = 1000;
export const SHARD_BYTES_PER_S = 1024 * 1024;

/** One PutRecords call gives up after this long without an answer (a timeout outcome, retried). */
export const REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_LINGER_MS = 50;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_RETRIES = 3;
export const BASE_BACKOFF_MS = 100;
export const MAX_BACKOFF_MS = 5000;

const ARN = /^arn:aws[a-z-]*:kinesis:([a-z0-9-]+):(\d{12}):stream\/([A-Za-z0-9_.-]{1,128})$/;
const NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** A stream as the API wants it, and its name for messages; undefined when `text` is neither a name nor an ARN. */
export function streamId(text: string): { id: { StreamName: string } | { StreamARN: string }; name: string; region?: string } | undefined {
  const arn = ARN.exec(text);
  if (arn) return { id: { StreamARN: text }, name: arn[3], region: arn[1] };
  if (NAME.test(text)) return { id: { StreamName: text }, name: text };
  return undefined;
}
