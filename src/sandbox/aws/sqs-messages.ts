import { createHash } from 'node:crypto';
import { AwsApiError } from './json-protocol.js';

/**
 * One message of SendMessage or SendMessageBatch checked and measured as SQS does, and the
 * MD5 digests its answer carries. The model keeps only the body; attributes are checked, counted
 * in the message's size and digested, then dropped (the processor reads the body).
 */

/** The error types the SQS door answers with (the SDK's exception names). */
export type SqsErrorType =
  | 'QueueDoesNotExist' | 'UnsupportedOperation' | 'MissingParameter' | 'InvalidParameterValue' | 'InvalidMessageContents'
  | 'InvalidAttributeName' | 'EmptyBatchRequest' | 'TooManyEntriesInBatchRequest' | 'BatchEntryIdsNotDistinct'
  | 'InvalidBatchEntryId' | 'BatchRequestTooLong';

/**
 * The legacy (query) codes of the `x-amzn-query-error` header where SQS has one: with them the
 * SDK finds the modelled exception by its `awsQueryError` trait (e.g. NonExistentQueue →
 * QueueDoesNotExist). The other types are their own code.
 */
const QUERY_CODES: Partial<Record<SqsErrorType, string>> = {
  QueueDoesNotExist: 'AWS.SimpleQueueService.NonExistentQueue',
  UnsupportedOperation: 'AWS.SimpleQueueService.UnsupportedOperation',
  EmptyBatchRequest: 'AWS.SimpleQueueService.EmptyBatchRequest',
  TooManyEntriesInBatchRequest: 'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
  BatchEntryIdsNotDistinct: 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
  InvalidBatchEntryId: 'AWS.SimpleQueueService.InvalidBatchEntryId',
  BatchRequestTooLong: 'AWS.SimpleQueueService.BatchRequestTooLong',
};

/** A client error (400) of the SQS API, with the query code the SDK maps back to `type`. */
export function sqsError(type: SqsErrorType, message: string): AwsApiError {
  return new AwsApiError(type, message, 400, QUERY_CODES[type] ?? type);
}

/** Most message attributes on one message (SQS: 10). */
export const MAX_ATTRIBUTES = 10;
/** Longest attribute name and data type, characters (SQS: 256 each). */
const MAX_NAME = 256;
/** SendMessage's DelaySeconds range, s. */
const MAX_DELAY_S = 900;

/** Characters SQS allows in a body or a string value: #x9 #xA #xD #x20–#xD7FF #xE000–#xFFFD #x10000–#x10FFFF (no lone surrogates). */
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]+$/;
const DATA_TYPE = /^(String|Number|Binary)(\..+)?$/;
/** A Number attribute's value: what SQS accepts (a decimal, optionally signed, with an exponent). */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** One attribute as the digest needs it: name, data type, value bytes, binary or not. */
interface Attribute {
  name: string;
  dataType: string;
  value: Buffer;
  binary: boolean;
}

/** A message that passed the checks. Sizes in bytes. */
export interface CheckedMessage {
  body: string;
  /** The body's UTF-8 bytes (what the model's queue counts). */
  bodyBytes: number;
  /** The size SQS limits: body + every message attribute's name, data type and value (system attributes do not count). */
  bytes: number;
  md5OfBody: string;
  /** Present when the message had message attributes (the answer then carries it, as SQS's does). */
  md5OfAttributes?: string;
  md5OfSystemAttributes?: string;
}

/**
 * Checks one SendMessage request or SendMessageBatch entry (its MessageBody, DelaySeconds,
 * MessageAttributes, MessageSystemAttributes, MessageDeduplicationId; MessageGroupId is accepted
 * and ignored, as on a standard queue with fair queues) against a queue whose MaximumMessageSize
 * is `maxBytes`. Throws an AwsApiError saying what is wrong.
 */
export function checkMessage(m: Record<string, unknown>, maxBytes: number): CheckedMessage {
  const body = m.MessageBody;
  if (typeof body !== 'string' || body.length === 0) {
    throw sqsError(body === undefined ? 'MissingParameter' : 'InvalidParameterValue', 'The request must contain the parameter MessageBody (a non-empty string).');
  }
  if (INVALID_CHAR.test(body)) {
    throw sqsError('InvalidMessageContents', 'Invalid characters found in the message body: SQS allows #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF.');
  }
  checkDelay(m.DelaySeconds);
  if (m.MessageDeduplicationId !== undefined) {
    throw sqsError('InvalidParameterValue', 'The request includes a parameter that is not valid for this queue type: MessageDeduplicationId (the sandbox queue is a standard queue).');
  }
  const attributes = readAttributes(m.MessageAttributes, 'message');
  const system = readSystemAttributes(m.MessageSystemAttributes);
  const bodyBytes = Buffer.byteLength(body, 'utf8');
  let bytes = bodyBytes;
  for (const a of attributes) bytes += Buffer.byteLength(a.name, 'utf8') + Buffer.byteLength(a.dataType, 'utf8') + a.value.length;
  if (bytes > maxBytes) {
    throw sqsError('InvalidParameterValue', `One or more parameters are invalid. Reason: Message must be shorter than ${maxBytes} bytes (this one is ${bytes}: body and message attributes; sandbox.ingest.maxBodySize).`);
  }
  const out: CheckedMessage = { body, bodyBytes, bytes, md5OfBody: md5Hex(body) };
  if (attributes.length > 0) out.md5OfAttributes = md5OfAttributes(attributes);
  if (system.length > 0) out.md5OfSystemAttributes = md5OfAttributes(system);
  return out;
}

/** 0 or absent: the model has no delayed messages, so a delay is refused rather than ignored. */
function checkDelay(delay: unknown): void {
  if (delay === undefined || delay === null || delay === 0) return;
  if (typeof delay !== 'number' || !Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_S) {
    throw sqsError('InvalidParameterValue', `Value ${JSON.stringify(delay)} for parameter DelaySeconds is invalid. Reason: must be an integer from 0 to ${MAX_DELAY_S}.`);
  }
  throw sqsError('InvalidParameterValue', `DelaySeconds ${delay}: the sandbox's queue does not model delayed messages (send with DelaySeconds 0 or none).`);
}

/** The message attributes of a request, checked as SQS checks them; [] when none. */
function readAttributes(map: unknown, what: 'message' | 'system'): Attribute[] {
  if (map === undefined || map === null) return [];
  if (typeof map !== 'object' || Array.isArray(map)) throw sqsError('InvalidParameterValue', `${what} attributes must be a map of name to value`);
  const entries = Object.entries(map as Record<string, unknown>);
  if (entries.length > MAX_ATTRIBUTES) {
    throw sqsError('InvalidParameterValue', `Number of ${what} attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`);
  }
  return entries.map(([name, value]) => readAttribute(name, value));
}

/** MessageSystemAttributes: only AWSTraceHeader (a String), as SQS allows. */
function readSystemAttributes(map: unknown): Attribute[] {
  const attributes = readAttributes(map, 'system');
  for (const a of attributes) {
    if (a.name !== 'AWSTraceHeader' || a.dataType !== 'String') {
      throw sqsError('InvalidParameterValue', `Message system attribute ${a.name} (${a.dataType}) is not valid: the only one a sender may set is AWSTraceHeader, a String.`);
    }
  }
  return attributes;
}

function readAttribute(name: string, raw: unknown): Attribute {
  checkAttributeName(name);
  const v = (raw ?? {}) as Record<string, unknown>;
  const dataType = v.DataType;
  if (typeof dataType !== 'string' || dataType.length > MAX_NAME || !DATA_TYPE.test(dataType)) {
    throw sqsError('InvalidParameterValue', `The message attribute '${name}' has an invalid message attribute type ${JSON.stringify(dataType ?? null)}: String, Number or Binary, optionally with a .label.`);
  }
  if (v.StringListValues !== undefined || v.BinaryListValues !== undefined) {
    throw sqsError('InvalidParameterValue', `The message attribute '${name}': StringListValues and BinaryListValues are not supported (SQS reserves them).`);
  }
  if (dataType.startsWith('Binary')) {
    if (typeof v.BinaryValue !== 'string' || v.BinaryValue.length === 0) throw sqsError('InvalidParameterValue', `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`);
    return { name, dataType, value: Buffer.from(v.BinaryValue, 'base64'), binary: true };
  }
  const s = v.StringValue;
  if (typeof s !== 'string' || s.length === 0) throw sqsError('InvalidParameterValue', `The message attribute '${name}' must contain a non-empty message attribute value for message attribute type '${dataType}'.`);
  if (INVALID_CHAR.test(s)) throw sqsError('InvalidParameterValue', `The message attribute '${name}' contains invalid characters.`);
  if (dataType.startsWith('Number') && !NUMBER.test(s)) throw sqsError('InvalidParameterValue', `Can't cast the value of message (user) attribute '${name}' to a number.`);
  return { name, dataType, value: Buffer.from(s, 'utf8'), binary: false };
}

/** SQS's rules for attribute names: [A-Za-z0-9_.-], at most 256, no `AWS.`/`Amazon.` prefix, no leading, trailing or doubled period. */
function checkAttributeName(name: string): void {
  const ok = name.length > 0 && name.length <= MAX_NAME && ATTRIBUTE_NAME.test(name) && !/^(aws|amazon)\./i.test(name) &&
    !name.startsWith('.') && !name.endsWith('.') && !name.includes('..');
  if (!ok) throw sqsError('InvalidParameterValue', `Message attribute name '${name}' is invalid: letters, digits, _ - . (at most ${MAX_NAME}; no AWS. or Amazon. prefix; no leading, trailing or doubled period).`);
}

/** The MD5 of a text's UTF-8 bytes, lowercase hex (SQS's MD5OfMessageBody). */
export function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/**
 * SQS's MD5OfMessageAttributes: attributes sorted by name; for each, the name, the data type
 * (each as a 4-byte big-endian length and its UTF-8 bytes), one transport byte (1 for String and
 * Number, 2 for Binary) and the value (4-byte length and bytes); the MD5 of it all, lowercase hex.
 */
export function md5OfAttributes(attributes: readonly Attribute[]): string {
  const hash = createHash('md5');
  const sorted = [...attributes].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const a of sorted) {
    lengthPrefixed(hash, Buffer.from(a.name, 'utf8'));
    lengthPrefixed(hash, Buffer.from(a.dataType, 'utf8'));
    hash.update(Buffer.of(a.binary ? 2 : 1));
    lengthPrefixed(hash, a.value);
  }
  return hash.digest('hex');
}

function lengthPrefixed(hash: ReturnType<typeof createHash>, bytes: Buffer): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  hash.update(length).update(bytes);
}

/** The MD5OfMessageAttributes of a MessageAttributes map as the SDK sends it (for tests and tools); throws as checkMessage would. */
export function md5OfMessageAttributes(map: Record<string, unknown>): string {
  return md5OfAttributes(readAttributes(map, 'message'));
}
