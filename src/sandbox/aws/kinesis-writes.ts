import { explicitHashKey } from '../stream/hash-keys.js';
import type { KinesisStream } from '../stream/kinesis-stream.js';
import { sequenceNumber } from '../stream/sequence-numbers.js';
import { AwsApiError } from './json-protocol.js';
import { invalidArgument, objectValue, readStreamId, requireStream, SANDBOX_ACCOUNT, serializationError, stringField, Violations, type Input } from './kinesis-input.js';

/** PutRecords' limits (AWS): records per call, bytes per record (data + key) and per call. */
export const MAX_PUT_RECORDS = 500;
export const MAX_RECORD_BYTES = 1024 * 1024;
export const MAX_PUT_BYTES = 5 * 1024 * 1024;

const EXPLICIT_HASH_KEY = /^(0|([1-9]\d{0,38}))$/;
const SEQUENCE_FOR_ORDERING = /^(0|([1-9]\d{0,128}))$/;

/** One entry of a put, read and decoded. */
interface Entry {
  partitionKey: string;
  /** Data as sent (base64) and decoded. */
  base64: string;
  data: Buffer;
  /** ExplicitHashKey as given (decimal), if any. */
  explicit: string | undefined;
  /** Data + partition key bytes: what the size and write limits count. */
  bytes: number;
}

/** One PutRecords answer entry. */
type PutResult = { SequenceNumber: string; ShardId: string } | { ErrorCode: string; ErrorMessage: string };

/**
 * PutRecords: 1..500 entries of `Data` (base64, ≤ 1 MiB decoded), `PartitionKey` (1..256 chars)
 * and an optional `ExplicitHashKey` (decimal, 0..2^128-1); each record (data + key) ≤ 1 MiB and
 * the call ≤ 5 MiB. Malformed input fails the whole call (ValidationException,
 * InvalidArgumentException, SerializationException, ResourceNotFoundException for another
 * stream); a record over its shard's write limit fails alone (ErrorCode
 * ProvisionedThroughputExceededException) and the call still answers, with FailedRecordCount.
 */
export function putRecords(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const raw = input.Records;
  if (raw !== undefined && raw !== null && !Array.isArray(raw)) throw serializationError('Records must be a list');
  const list = Array.isArray(raw) ? (raw as unknown[]) : undefined;
  v.required(list, 'records');
  if (list && list.length < 1) v.add('[]', 'records', 'have length greater than or equal to 1');
  if (list && list.length > MAX_PUT_RECORDS) v.add(`[${list.length} entries]`, 'records', `have length less than or equal to ${MAX_PUT_RECORDS}`);
  const id = readStreamId(input, v);
  const entries = (list ?? []).map((r, i) => readEntry(objectValue(r, `Records[${i}]`), `records.${i + 1}.member`, v));
  v.throwIfAny();
  requireStream(id, stream);
  let total = 0;
  for (const e of entries) total += checkEntry(e);
  if (total > MAX_PUT_BYTES) throw invalidArgument(`Records size of ${total} bytes exceeds the PutRecords limit of ${MAX_PUT_BYTES} bytes (5 MiB, data and partition keys).`);
  let failed = 0;
  const results: PutResult[] = new Array<PutResult>(entries.length);
  for (let i = 0; i < entries.length; i++) {
    const r = write(stream, entries[i]);
    if ('ErrorCode' in r) failed++;
    results[i] = r;
  }
  return { FailedRecordCount: failed, Records: results, EncryptionType: 'NONE' };
}

/** PutRecord: one record, checked as a PutRecords entry; over the write limit the call fails (ProvisionedThroughputExceededException). */
export function putRecord(stream: KinesisStream, input: Input): unknown {
  const v = new Violations();
  const id = readStreamId(input, v);
  const entry = readEntry(input, '', v);
  v.text(stringField(input, 'SequenceNumberForOrdering'), 'sequenceNumberForOrdering', 0, 129, SEQUENCE_FOR_ORDERING, '0|([1-9]\\d{0,128})');
  v.throwIfAny();
  requireStream(id, stream);
  checkEntry(entry);
  const r = write(stream, entry);
  if ('ErrorCode' in r) throw new AwsApiError(r.ErrorCode, r.ErrorMessage);
  return { ...r, EncryptionType: 'NONE' };
}

/** Reads one entry's fields into an Entry, noting constraint violations in `v` (`path`: `records.N.member` or '' for PutRecord). */
function readEntry(input: Input, path: string, v: Violations): Entry {
  const at = (field: string): string => (path === '' ? field : `${path}.${field}`);
  const partitionKey = stringField(input, 'PartitionKey');
  const base64 = stringField(input, 'Data');
  const explicit = stringField(input, 'ExplicitHashKey');
  v.required(partitionKey, at('partitionKey'));
  v.text(partitionKey, at('partitionKey'), 1, 256);
  v.required(base64, at('data'));
  const data = base64 === undefined ? Buffer.alloc(0) : decodeBase64(base64);
  if (data.length > MAX_RECORD_BYTES) v.add(`java.nio.HeapByteBuffer[pos=0 lim=${data.length} cap=${data.length}]`, at('data'), `have length less than or equal to ${MAX_RECORD_BYTES}`);
  v.text(explicit, at('explicitHashKey'), 0, 39, EXPLICIT_HASH_KEY, '0|([1-9]\\d{0,38})');
  const key = partitionKey ?? '';
  return { partitionKey: key, base64: base64 ?? '', data, explicit, bytes: data.length + Buffer.byteLength(key, 'utf8') };
}

/** Checks what the constraints could not (hash-key range, record size); returns the entry's bytes. */
function checkEntry(e: Entry): number {
  if (e.explicit !== undefined && explicitHashKey(e.explicit) === undefined) {
    throw invalidArgument(`Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${e.explicit}`);
  }
  if (e.bytes > MAX_RECORD_BYTES) throw invalidArgument(`Record size of ${e.bytes} bytes (data and partition key) exceeds the limit of ${MAX_RECORD_BYTES} bytes (1 MiB).`);
  return e.bytes;
}

/** Writes one entry: its sequence number and shard, or the write limit's refusal. */
function write(stream: KinesisStream, e: Entry): PutResult {
  const route = stream.route(e.partitionKey, e.explicit === undefined ? undefined : explicitHashKey(e.explicit));
  const body = e.data.toString('utf8');
  // Data that is not UTF-8 decodes with U+FFFD: keep what was sent, so GetRecords answers it unchanged.
  const kept = body.includes('\uFFFD') ? e.base64 : undefined;
  const shard = stream.shards[stream.shardOf(route)];
  const record = stream.put(route, e.partitionKey, body, kept, e.data.length, e.bytes);
  if (!record) {
    return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: `Rate exceeded for shard ${shard.id} in stream ${stream.name} under account ${SANDBOX_ACCOUNT}.` };
  }
  return { SequenceNumber: sequenceNumber(shard.index, record.position), ShardId: shard.id };
}

/** Decodes base64 Data; SerializationException when it is not base64 (Buffer.from would skip the bad characters). */
function decodeBase64(text: string): Buffer {
  const data = Buffer.from(text, 'base64');
  const chars = text.length - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);
  if (chars % 4 === 1 || data.length !== Math.floor((chars * 3) / 4)) throw serializationError('Data must be base64-encoded');
  return data;
}
