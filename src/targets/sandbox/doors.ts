import { SANDBOX_REGION } from '../../sandbox/aws/kinesis-api.js';
import type { SandboxParams } from '../../sandbox/params.js';
import type { SandboxHandle } from '../../sandbox/spawn-sandbox.js';
import * as kinesis from '../kinesis/config.js';
import { KinesisTarget } from '../kinesis/kinesis-target.js';
import * as sqs from '../sqs/config.js';
import { SqsTarget } from '../sqs/sqs-target.js';

/**
 * The sandbox's kinesis and sqs doors are driven by rushhour's real Kinesis and SQS targets
 * (the AWS SDK, PutRecords / SendMessageBatch) at the sandbox's URL, with fixed credentials
 * (the sandbox checks no signature) and the targets' own defaults for batching.
 */
export const SANDBOX_CREDENTIALS = { accessKeyId: 'sandbox', secretAccessKey: 'sandbox' };

/** The target that writes through the sandbox's door (not yet opened); undefined for the http door. */
export function doorTarget(params: SandboxParams, sandbox: Pick<SandboxHandle, 'baseUrl'>): KinesisTarget | SqsTarget | undefined {
  const aws = { endpoint: sandbox.baseUrl, region: SANDBOX_REGION, credentials: SANDBOX_CREDENTIALS };
  if (params.ingest.door === 'kinesis') {
    return new KinesisTarget({
      kind: 'kinesis', stream: params.stream.name, ...aws,
      maxRecords: kinesis.MAX_RECORDS_PER_CALL, lingerMs: kinesis.DEFAULT_LINGER_MS, concurrency: kinesis.DEFAULT_CONCURRENCY, retries: kinesis.DEFAULT_RETRIES,
    });
  }
  if (params.ingest.door === 'sqs') {
    return new SqsTarget({
      kind: 'sqs', queue: params.queue.name, ...aws,
      maxMessages: sqs.MAX_MESSAGES_PER_CALL, lingerMs: sqs.DEFAULT_LINGER_MS, concurrency: sqs.DEFAULT_CONCURRENCY, retries: sqs.DEFAULT_RETRIES,
    });
  }
  return undefined;
}

/** What `validate` says of the door. */
export function doorLine(params: SandboxParams): string {
  const s = params.stream;
  if (params.ingest.door === 'kinesis') {
    const retries = s.maxRetries === null ? 'unlimited retries' : `${s.maxRetries} retries`;
    return `door        kinesis: stream ${s.name}, ${s.shards} shard(s)${s.writeLimit ? ' (1,000 records/s and 1 MiB/s each)' : ''}, PutRecords of ${kinesis.MAX_RECORDS_PER_CALL} by the kinesis target; one invocation per shard${s.parallelizationFactor > 1 ? ` × ${s.parallelizationFactor}` : ''}, batches of ${s.batchSize}, ${retries}${s.bisectOnError ? ', bisect on error' : ''}, failures to ${s.onFailure === 'dlq' ? 'the DLQ' : 'nowhere (discarded)'}`;
  }
  if (params.ingest.door === 'sqs') {
    return `door        sqs: queue ${params.queue.name} (standard; DLQ ${params.queue.name}-dlq after ${params.queue.maxReceiveCount} receives), SendMessageBatch of ${sqs.MAX_MESSAGES_PER_CALL} by the sqs target; batches of ${params.processor.batchSize}${params.processor.reportBatchItemFailures ? ', reportBatchItemFailures' : ', a failure returns the whole batch'}`;
  }
  return 'door        http: POST /ingest → gateway → ingest function → queue';
}

/** How a producer reaches the door: the URL, or the AWS endpoint and the stream or queue. */
export function doorLines(params: SandboxParams, baseUrl: string, ingestUrl: string): string[] {
  const aws = 'any AWS_REGION and fake keys; the sandbox checks no signature';
  if (params.ingest.door === 'kinesis') {
    return [`  ingest  kinesis stream ${params.stream.name} (${params.stream.shards} shards): AWS_ENDPOINT_URL_KINESIS=${baseUrl} (${aws})`];
  }
  if (params.ingest.door === 'sqs') {
    return [`  ingest  sqs queue ${params.queue.name} (${baseUrl}/000000000000/${params.queue.name}): AWS_ENDPOINT_URL_SQS=${baseUrl} (${aws})`];
  }
  return [`  ingest  POST ${ingestUrl}`];
}
