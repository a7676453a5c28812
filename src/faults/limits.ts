import type { SandboxParams } from '../sandbox/params.js';
import type { TargetConfig } from '../targets/registry.js';
import { MAX_BYTES_PER_RECORD } from '../targets/kinesis/config.js';
import { MAX_BYTES_PER_MESSAGE } from '../targets/sqs/config.js';

/** An HTTP endpoint's body limit is unknown: 1 MiB, past most API gateways' (API Gateway: 10 MB; Lambda URLs 6 MB; many proxies 1 MiB). */
export const HTTP_ASSUMED_MAX_BYTES = 1024 * 1024;

/**
 * The largest message the target takes, bytes — what 'oversize' poison goes past: the sandbox's
 * `ingest.maxBodySize` (SQS's 256 KiB at its sqs door, Kinesis' 1 MiB at its kinesis door),
 * a Kinesis record's 1 MiB, an SQS message's 256 KiB, an HTTP body's assumed 1 MiB.
 */
export function maxMessageBytes(target: TargetConfig): number {
  switch (target.kind) {
    case 'sandbox': {
      const p = target.params as SandboxParams;
      if (p.ingest.door === 'kinesis') return MAX_BYTES_PER_RECORD;
      if (p.ingest.door === 'sqs') return Math.min(MAX_BYTES_PER_MESSAGE, p.ingest.maxBodySize);
      return p.ingest.maxBodySize;
    }
    case 'kinesis':
      return MAX_BYTES_PER_RECORD;
    case 'sqs':
      return MAX_BYTES_PER_MESSAGE;
    default:
      return HTTP_ASSUMED_MAX_BYTES;
  }
}
