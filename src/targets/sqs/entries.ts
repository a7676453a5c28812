import type { MessageAttributeValue, SendMessageBatchRequestEntry, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import type { MessageBody } from '../../telemetry/payload.js';
import type { OutMessage } from '../../telemetry/types.js';
import { awsErrorClass, isRetryableAwsError } from '../aws/client-config.js';
import type { CallResult, RecordResult } from '../batch/batcher.js';

/**
 * The size SQS counts for a message, in bytes: the body's UTF-8 bytes plus, for every message
 * attribute, the UTF-8 bytes of its name, its data type and its value. The limits of a message and
 * of a whole SendMessageBatch call (256 KiB each) are on this size. Id, MessageGroupId and
 * MessageDeduplicationId do not count.
 */
export function attributeBytes(name: string, a: MessageAttributeValue): number {
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(a.DataType ?? '', 'utf8') + Buffer.byteLength(a.StringValue ?? '', 'utf8');
}

/** Every message carries the version of its body's schema (the body is schemaVersion 1). */
const SCHEMA_VERSION: MessageAttributeValue = Object.freeze({ DataType: 'Number', StringValue: '1' });
/** The attributes' bytes that never change: the names and types of kind and traceparent; schemaVersion whole (built-in bodies only). */
const FIXED_BYTES = attributeBytes('kind', { DataType: 'String' }) + attributeBytes('traceparent', { DataType: 'String' });
const VERSION_BYTES = attributeBytes('schemaVersion', SCHEMA_VERSION);

/** How entries are made for one queue: FIFO or not, the message group template, shaped bodies (no schemaVersion attribute). */
export interface EntryOptions {
  fifo: boolean;
  groupOf?: (fields: MessageBody) => string;
  shaped?: boolean;
}

/** A `kind` attribute and its value's bytes, made once per message kind (there are a handful). */
const kinds = new Map<string, { attr: MessageAttributeValue; bytes: number }>();
function kindAttribute(kind: string): { attr: MessageAttributeValue; bytes: number } {
  let k = kinds.get(kind);
  if (k === undefined) {
    k = { attr: Object.freeze({ DataType: 'String', StringValue: kind }), bytes: Buffer.byteLength(kind, 'utf8') };
    kinds.set(kind, k);
  }
  return k;
}

/**
 * The entry for one message (hot path: the entry, its attribute map and the traceparent attribute
 * are its only allocations). Attributes: `schemaVersion` (Number 1; not on bodies in the user's
 * shape, which are not schema v1), `kind` (String) and `traceparent` (String, the W3C header). On a FIFO queue the message group is `groupOf`'s (the
 * scenario's groupId template) or else the partition key
 * (so a vehicle's messages keep their order) and the deduplication id is the message id (so a
 * retried entry that SQS did store is not stored twice). `Id` is set per call (batchEntries).
 */
export function toEntry(msg: OutMessage, traceparent: string, o: EntryOptions): SendMessageBatchRequestEntry {
  const kind = kindAttribute(msg.kind).attr;
  const trace: MessageAttributeValue = { DataType: 'String', StringValue: traceparent };
  const entry: SendMessageBatchRequestEntry = {
    Id: '',
    // Bodies for SQS are text: the message source refuses bytes from a payload module (payload-error).
    MessageBody: typeof msg.body === 'string' ? msg.body : Buffer.from(msg.body).toString('utf8'),
    MessageAttributes: o.shaped ? { kind, traceparent: trace } : { schemaVersion: SCHEMA_VERSION, kind, traceparent: trace },
  };
  if (o.fifo) {
    entry.MessageGroupId = o.groupOf ? o.groupOf(msg.fields) : msg.partitionKey;
    entry.MessageDeduplicationId = msg.messageId;
  }
  return entry;
}

/**
 * The message's size as SQS counts it, bytes: the body's UTF-8 bytes plus the attributes', which
 * are fixed but for the kind's value (made once per kind) and traceparent's (ASCII hex and dashes,
 * so its length is its byte count: 55 in version 00). No allocation.
 */
export function messageBytes(msg: OutMessage, traceparent: string, shaped = false): number {
  return Buffer.byteLength(msg.body, 'utf8') + FIXED_BYTES + (shaped ? 0 : VERSION_BYTES) + kindAttribute(msg.kind).bytes + traceparent.length;
}

/** Batch entry ids: the index in the call ("0".."9"), unique within it, made once. */
const IDS = Array.from({ length: 10 }, (_, i) => String(i));

/** The entries of one call with their ids set: an entry is in one call at a time, so its Id is rewritten for each. */
export function batchEntries(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[] {
  entries.forEach((e, i) => (e.Id = IDS[i] ?? String(i)));
  return entries;
}

const OK_RESULT: RecordResult = Object.freeze({ ok: true as const });
/** An entry the answer names in neither list: its fate is unknown, so it is not sent again (it may be stored). */
const MISSING: RecordResult = Object.freeze({ ok: false as const, outcome: 'error', retryable: false });

/**
 * The answer's `Successful[]` and `Failed[]` mapped back to the entries by Id. A failed entry ends
 * with its `Code` as the outcome; it is retryable when the code is throttling or transient
 * (ThrottlingException, RequestThrottled, InternalError, ServiceUnavailable, …) or when the
 * service says the fault is its own (`SenderFault: false`); sender faults (InvalidParameterValue,
 * InvalidMessageContents, …) are not.
 */
export function recordResults(count: number, out: SendMessageBatchResult): CallResult {
  const records = new Array<RecordResult>(count).fill(MISSING);
  for (const s of out.Successful ?? []) {
    const i = Number(s.Id);
    if (i >= 0 && i < count) records[i] = OK_RESULT;
  }
  for (const f of out.Failed ?? []) {
    const i = Number(f.Id);
    if (!(i >= 0 && i < count)) continue;
    const code = f.Code || 'error';
    records[i] = { ok: false, outcome: awsErrorClass(code), retryable: isRetryableAwsError(code) || f.SenderFault === false };
  }
  return { records };
}
