import { randomBytes } from 'node:crypto';
import type { IngestDoor } from '../stream-params.js';
import { AwsApiError, unsupported, type AwsJsonService } from './json-protocol.js';
import { checkMessage, sqsError, type CheckedMessage } from './sqs-messages.js';

/** What the SQS API needs of the pipeline (an adapter over Pipeline, built per pipeline). */
export interface SqsDoor {
  /** `sandbox.queue.name`; the DLQ is `${queueName}-dlq`. */
  readonly queueName: string;
  /** `sandbox.ingest.maxBodySize`: MaximumMessageSize of the queue, bytes (body + message attributes). */
  readonly maxMessageBytes: number;
  /** `sandbox.ingest`: only the sqs door takes sends; at the others the queue is fed by the ingest function or not at all. */
  readonly door: IngestDoor;
  /** `sandbox.queue.visibilityTimeout`, ms: the VisibilityTimeout attribute (whole seconds, rounded up). */
  readonly visibilityTimeoutMs: number;
  /** `sandbox.queue.maxReceiveCount`: in the main queue's RedrivePolicy. */
  readonly maxReceiveCount: number;
  /** `http://127.0.0.1:PORT`: queue URLs are `${baseUrl}/000000000000/${name}`. */
  baseUrl(): string;
  /** One message onto the queue: its queue id, or 0 when the queue is full. */
  enqueue(body: string, bytes: number): number;
  depths(): { visible: number; inFlight: number; dlq: number };
}

/** The account and region of the sandbox's queue URLs and ARNs. */
export const SQS_ACCOUNT = '000000000000';
export const SQS_REGION = 'us-east-1';
/** Most entries of one SendMessageBatch (SQS: 10). */
export const MAX_BATCH_ENTRIES = 10;
/** SendMessageBatch's classic limit on the sum of its messages' sizes, bytes (256 KiB); more when the queue takes larger messages, up to SQS's 1 MiB. */
const BATCH_BYTES = 262_144;
const MAX_BATCH_BYTES = 1_048_576;
/** Batch entry ids: letters, digits, - and _, 1 to 80 characters. */
const ENTRY_ID = /^[A-Za-z0-9_-]{1,80}$/;

const CONSUMED =
  'the sandbox\'s processor function consumes the queue (its event source mapping), and competing consumers are not modelled: ' +
  'read what it wrote with GET /output and what it dead-lettered with GET /dlq (or the DLQ\'s depth with GetQueueAttributes)';
/** Operations of the SQS API the door names as not answered, with why. */
const NOT_ANSWERED: Record<string, string> = {
  ReceiveMessage: CONSUMED, DeleteMessage: CONSUMED, DeleteMessageBatch: CONSUMED, ChangeMessageVisibility: CONSUMED,
  ChangeMessageVisibilityBatch: CONSUMED, PurgeQueue: `${CONSUMED}; POST /reset starts a fresh pipeline`,
  CreateQueue: 'the sandbox has its queue and DLQ from sandbox.queue.name', DeleteQueue: 'the sandbox\'s queue and DLQ always exist',
  SetQueueAttributes: 'the queue\'s parameters are sandbox.queue.* and sandbox.ingest.maxBodySize',
};

/**
 * The SQS API (AWS JSON 1.0, query-compatible) of the sandbox's queue `door.queueName` and its
 * DLQ `${queueName}-dlq`: GetQueueUrl, ListQueues, GetQueueAttributes at every door (a DLQ-depth
 * probe reads the DLQ this way); SendMessage and SendMessageBatch onto the main queue at the sqs
 * door only. Receiving and deleting are the processor's (answered UnknownOperationException).
 */
export function sqsApi(door: SqsDoor): AwsJsonService {
  const queues = new SqsQueues(door);
  /** MessageIds are UUID-shaped: a random first group per pipeline, the queue id (decimal, the DLQ's queueMessageId) last. */
  const idPrefix = randomBytes(4).toString('hex');
  const messageId = (queueId: number) => `${idPrefix}-0000-4000-8000-${String(queueId).padStart(12, '0')}`;
  return {
    targetPrefix: 'AmazonSQS',
    namespace: 'com.amazonaws.sqs',
    jsonVersion: '1.0',
    queryCompatible: true,
    handle(operation, input) {
      switch (operation) {
        case 'GetQueueUrl': return { QueueUrl: queues.url(queues.byName(input.QueueName, input.QueueOwnerAWSAccountId)) };
        case 'ListQueues': return queues.list(input);
        case 'GetQueueAttributes': return { Attributes: queues.attributes(queues.byUrl(input.QueueUrl), input.AttributeNames) };
        case 'SendMessage': return sendMessage(door, queues, input, messageId);
        case 'SendMessageBatch': return sendMessageBatch(door, queues, input, messageId);
        default:
          throw unsupported('sqs', operation, NOT_ANSWERED[operation] ?? 'it answers GetQueueUrl, ListQueues, GetQueueAttributes, SendMessage and SendMessageBatch');
      }
    },
  };
}

/** The door's two queues by name and URL, and their attributes. */
class SqsQueues {
  readonly dlqName: string;
  /** CreatedTimestamp and LastModifiedTimestamp: when this pipeline was built, epoch s. */
  private readonly created = String(Math.floor(Date.now() / 1000));

  constructor(private readonly door: SqsDoor) {
    this.dlqName = `${door.queueName}-dlq`;
  }

  url(name: string): string {
    return `${this.door.baseUrl()}/${SQS_ACCOUNT}/${name}`;
  }

  arn(name: string): string {
    return `arn:aws:sqs:${SQS_REGION}:${SQS_ACCOUNT}:${name}`;
  }

  /** A queue by name (GetQueueUrl); QueueDoesNotExist for any other name or another account. */
  byName(name: unknown, account: unknown): string {
    if (typeof name !== 'string' || name === '') throw sqsError('MissingParameter', 'The request must contain the parameter QueueName.');
    if (account !== undefined && account !== SQS_ACCOUNT) throw this.missing(`${account}/${name}`);
    if (name !== this.door.queueName && name !== this.dlqName) throw this.missing(name);
    return name;
  }

  /** A queue by URL: any host, its path ending `/000000000000/NAME`, or just the name. */
  byUrl(url: unknown): string {
    if (typeof url !== 'string' || url === '') throw sqsError('MissingParameter', 'The request must contain the parameter QueueUrl.');
    const parts = url.replace(/[?#].*$/, '').split('/').filter((s) => s !== '');
    const name = parts.length === 1 ? parts[0] : parts.at(-2) === SQS_ACCOUNT ? parts.at(-1) : undefined;
    if (name !== this.door.queueName && name !== this.dlqName) throw this.missing(url);
    return name;
  }

  /** ListQueues: the queue and its DLQ, filtered by QueueNamePrefix, at most MaxResults (no paging needed for two). */
  list(input: Record<string, unknown>): { QueueUrls?: string[] } {
    const prefix = typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '';
    const max = typeof input.MaxResults === 'number' && input.MaxResults > 0 ? input.MaxResults : 1000;
    const urls = [this.door.queueName, this.dlqName].filter((n) => n.startsWith(prefix)).slice(0, max).map((n) => this.url(n));
    return urls.length > 0 ? { QueueUrls: urls } : {};
  }

  /** GetQueueAttributes of `name`: the names asked for (or All), as text, the ones the model has. */
  attributes(name: string, asked: unknown): Record<string, string> | undefined {
    const names = attributeNames(asked);
    if (names.size === 0) return undefined;
    const all = this.allAttributes(name);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(all)) if (names.has('All') || names.has(k)) out[k] = v;
    return out;
  }

  /** Every attribute the model can answer truthfully for `name`. Counts are exact (the model is in one process). */
  private allAttributes(name: string): Record<string, string> {
    const d = this.door.depths();
    const main = name === this.door.queueName;
    const out: Record<string, string> = {
      QueueArn: this.arn(name),
      ApproximateNumberOfMessages: String(main ? d.visible : d.dlq),
      ApproximateNumberOfMessagesNotVisible: String(main ? d.inFlight : 0),
      ApproximateNumberOfMessagesDelayed: '0',
      MaximumMessageSize: String(this.door.maxMessageBytes),
      DelaySeconds: '0',
      ReceiveMessageWaitTimeSeconds: '0',
      CreatedTimestamp: this.created,
      LastModifiedTimestamp: this.created,
    };
    out.VisibilityTimeout = String(Math.ceil(this.door.visibilityTimeoutMs / 1000));
    if (main) {
      out.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: this.arn(this.dlqName), maxReceiveCount: this.door.maxReceiveCount });
    }
    return out;
  }

  /** The queue `name` as a target of sends: the main queue at the sqs door; else UnsupportedOperation saying why. */
  sendable(name: string): void {
    if (name === this.dlqName) {
      throw sqsError('UnsupportedOperation', `${this.dlqName} is the sandbox's dead-letter queue: only the queue's redrive (after sandbox.queue.maxReceiveCount receives) puts messages there; send to ${this.door.queueName}`);
    }
    if (this.door.door !== 'sqs') {
      const which = this.door.door;
      throw sqsError('UnsupportedOperation', `this sandbox's front door is ${which} (sandbox.ingest), so its queue ${this.door.queueName} takes no SendMessage: ` +
        `${which === 'http' ? 'the ingest function fills it from POST /ingest' : 'it is fed by the front door'}; set sandbox.ingest: sqs to send to the queue with the SQS API`);
    }
  }

  private missing(what: string): AwsApiError {
    return sqsError('QueueDoesNotExist', `The specified queue does not exist: ${what} (the sandbox has ${this.door.queueName} and ${this.dlqName}, in account ${SQS_ACCOUNT}).`);
  }
}

/** QueueAttributeName values SQS knows (others: InvalidAttributeName). The model answers a subset; the rest are left out, as for a queue without them. */
const KNOWN_ATTRIBUTES = new Set([
  'All', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesDelayed', 'ApproximateNumberOfMessagesNotVisible', 'ContentBasedDeduplication',
  'CreatedTimestamp', 'DeduplicationScope', 'DelaySeconds', 'FifoQueue', 'FifoThroughputLimit', 'KmsDataKeyReusePeriodSeconds', 'KmsMasterKeyId',
  'LastModifiedTimestamp', 'MaximumMessageSize', 'MessageRetentionPeriod', 'Policy', 'QueueArn', 'ReceiveMessageWaitTimeSeconds',
  'RedriveAllowPolicy', 'RedrivePolicy', 'SqsManagedSseEnabled', 'VisibilityTimeout',
]);

function attributeNames(asked: unknown): Set<string> {
  if (asked === undefined || asked === null) return new Set();
  if (!Array.isArray(asked)) throw sqsError('InvalidParameterValue', 'AttributeNames must be a list of attribute names.');
  for (const n of asked) if (typeof n !== 'string' || !KNOWN_ATTRIBUTES.has(n)) throw sqsError('InvalidAttributeName', `Unknown Attribute ${String(n)}.`);
  return new Set(asked as string[]);
}

type MessageIdOf = (queueId: number) => string;

/** The answer fields of a message put on the queue (SendMessageResult / SendMessageBatchResultEntry). */
function sentFields(m: CheckedMessage, id: string): Record<string, string> {
  const out: Record<string, string> = { MessageId: id, MD5OfMessageBody: m.md5OfBody };
  if (m.md5OfAttributes !== undefined) out.MD5OfMessageAttributes = m.md5OfAttributes;
  if (m.md5OfSystemAttributes !== undefined) out.MD5OfMessageSystemAttributes = m.md5OfSystemAttributes;
  return out;
}

const QUEUE_FULL = 'the sandbox\'s queue is full (sandbox.queue.maxMessages or maxBytes): retry after the processor drains it';

/** SendMessage: one message onto the main queue; a full queue answers ServiceUnavailable (503, retryable). */
function sendMessage(door: SqsDoor, queues: SqsQueues, input: Record<string, unknown>, messageId: MessageIdOf): Record<string, string> {
  queues.sendable(queues.byUrl(input.QueueUrl));
  const m = checkMessage(input, door.maxMessageBytes);
  const queueId = door.enqueue(m.body, m.bodyBytes);
  if (queueId === 0) throw new AwsApiError('ServiceUnavailable', QUEUE_FULL, 503);
  return sentFields(m, messageId(queueId));
}

interface BatchAnswer {
  Successful: Record<string, string>[];
  Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[];
}

/**
 * SendMessageBatch: the call is refused whole when it has no entries, more than 10, ids not
 * distinct or malformed, or entries over the batch limit together; otherwise each entry is put on
 * the queue in order (Successful) or fails on its own: invalid (SenderFault true, its code) or
 * the queue full (SenderFault false, ServiceUnavailable: retryable).
 */
function sendMessageBatch(door: SqsDoor, queues: SqsQueues, input: Record<string, unknown>, messageId: MessageIdOf): BatchAnswer {
  queues.sendable(queues.byUrl(input.QueueUrl));
  const entries = batchEntries(input.Entries);
  const checked = entries.map((e) => checkEntry(e, door.maxMessageBytes));
  const total = checked.reduce((sum, c, i) => sum + (c instanceof AwsApiError ? bodyBytesOf(entries[i]) : c.bytes), 0);
  const limit = Math.max(BATCH_BYTES, Math.min(door.maxMessageBytes, MAX_BATCH_BYTES));
  if (total > limit) throw sqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${limit} bytes. You have sent ${total} bytes.`);
  const answer: BatchAnswer = { Successful: [], Failed: [] };
  checked.forEach((c, i) => {
    const Id = entries[i].Id as string;
    if (c instanceof AwsApiError) {
      answer.Failed.push({ Id, SenderFault: true, Code: c.queryCode ?? c.type, Message: c.message });
      return;
    }
    const queueId = door.enqueue(c.body, c.bodyBytes);
    if (queueId === 0) answer.Failed.push({ Id, SenderFault: false, Code: 'ServiceUnavailable', Message: QUEUE_FULL });
    else answer.Successful.push({ Id, ...sentFields(c, messageId(queueId)) });
  });
  return answer;
}

/** The Entries of a SendMessageBatch, checked as a whole: 1..10 objects, each with a distinct, well-formed Id. */
function batchEntries(raw: unknown): Record<string, unknown>[] {
  if (raw === undefined || raw === null || (Array.isArray(raw) && raw.length === 0)) {
    throw sqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  }
  if (!Array.isArray(raw)) throw sqsError('InvalidParameterValue', 'Entries must be a list of SendMessageBatchRequestEntry.');
  if (raw.length > MAX_BATCH_ENTRIES) {
    throw sqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}. You have sent ${raw.length}.`);
  }
  const ids = new Set<string>();
  for (const e of raw as unknown[]) {
    const id = e !== null && typeof e === 'object' ? (e as Record<string, unknown>).Id : undefined;
    if (typeof id !== 'string' || !ENTRY_ID.test(id)) {
      throw sqsError('InvalidBatchEntryId', `A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long: ${JSON.stringify(id ?? null)}.`);
    }
    if (ids.has(id)) throw sqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    ids.add(id);
  }
  return raw as Record<string, unknown>[];
}

/** One entry checked: the message, or the error that fails it alone. */
function checkEntry(entry: Record<string, unknown>, maxBytes: number): CheckedMessage | AwsApiError {
  try {
    return checkMessage(entry, maxBytes);
  } catch (e) {
    if (e instanceof AwsApiError) return e;
    throw e;
  }
}

/** A rejected entry's share of the batch's size: its body's bytes (its attributes could not be read). */
function bodyBytesOf(entry: Record<string, unknown>): number {
  return typeof entry.MessageBody === 'string' ? Buffer.byteLength(entry.MessageBody, 'utf8') : 0;
}
