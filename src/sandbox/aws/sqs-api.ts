import { unsupported, type AwsJsonService } from './json-protocol.js';

/** What the SQS API needs of the pipeline (an adapter over Pipeline, built per pipeline). */
export interface SqsDoor {
  /** `sandbox.queue.name`; the DLQ is `${queueName}-dlq`. */
  readonly queueName: string;
  /** `sandbox.ingest.maxBodySize`: MaximumMessageSize of the queue. */
  readonly maxMessageBytes: number;
  /** True at the sqs door; at the others the queue is fed by the ingest function or not at all. */
  readonly acceptsSends: boolean;
  /** `http://127.0.0.1:PORT`: queue URLs are `${baseUrl}/000000000000/${name}`. */
  baseUrl(): string;
  /** One message onto the queue: its queue id, or 0 when the queue is full. */
  enqueue(body: string, bytes: number): number;
  depths(): { visible: number; inFlight: number; dlq: number };
}

/** Placeholder until the sqs door lands (issue 10). */
export function sqsApi(door: SqsDoor): AwsJsonService {
  return {
    targetPrefix: 'AmazonSQS',
    namespace: 'com.amazonaws.sqs',
    jsonVersion: '1.0',
    queryCompatible: true,
    handle(operation) {
      throw unsupported('sqs', operation, `queue ${door.queueName} is not built yet`);
    },
  };
}
