import type { AwsSettings } from '../aws/client-config.js';

/** The SQS target, resolved. `queue` is a queue name or a queue URL. Times in ms. */
export interface SqsTargetConfig extends AwsSettings {
  kind: 'sqs';
  queue: string;
  /** Entries per SendMessageBatch call, 1..10. */
  maxMessages: number;
  /** A partly filled batch goes out this long after its first message. */
  lingerMs: number;
  /** SendMessageBatch calls in flight at once (and sockets in the client's pool). */
  concurrency: number;
  /** Times a failed entry (throttled, internal errors) or a whole failed call is sent again, with backoff and jitter. */
  retries: number;
  /** A FIFO queue's message group written with `{{field}}` placeholders; default: the fleet's partition key. */
  groupId?: string;
}

/** A MessageGroupId's most characters (SQS' limit). */
export const MAX_GROUP_ID = 128;

/** SendMessageBatch's service limits: entries per call, and bytes per message and per call (body + attributes). */
export const MAX_MESSAGES_PER_CALL = 10;
export const MAX_BYTES_PER_CALL = 262_144;
export const MAX_BYTES_PER_MESSAGE = 262_144;

/** One SQS call gives up after this long without an answer: a `timeout` outcome (retried), or at open an endpoint that cannot be reached. */
export const REQUEST_TIMEOUT_MS = 10_000;
export const DEFAULT_LINGER_MS = 50;
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_RETRIES = 3;
export const MAX_LINGER_MS = 60_000;
export const MAX_RETRIES = 20;
/** Backoff before retry k: uniform in [0, min(MAX, BASE × 2^(k-1))] ms. */
export const BASE_BACKOFF_MS = 100;
export const MAX_BACKOFF_MS = 5000;
/** Seeds the backoff jitter: a run can be repeated. */
export const BACKOFF_SEED = 0x5e5;

/** A queue name: letters, digits, `-` and `_`, at most 80 characters including a FIFO queue's `.fifo`. */
const NAME = /^(?:[A-Za-z0-9_-]{1,80}|[A-Za-z0-9_-]{1,75}\.fifo)$/;

export const QUEUE_EXPECTED =
  'expected a queue name (letters, digits, - and _, at most 80 characters; a FIFO queue\'s ends in .fifo) or a queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/orders';

/** A queue as the target uses it: its name (for messages), its URL when one was given, FIFO or not. */
export interface QueueRef {
  name: string;
  url?: string;
  fifo: boolean;
}

/** The queue `text` names, or undefined when it is neither a queue name nor an http(s) URL whose last path segment is one. */
export function queueRef(text: string): QueueRef | undefined {
  if (NAME.test(text)) return { name: text, fifo: text.endsWith('.fifo') };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  const name = url.pathname.split('/').filter((p) => p !== '').at(-1) ?? '';
  return NAME.test(name) ? { name, url: text, fifo: name.endsWith('.fifo') } : undefined;
}
