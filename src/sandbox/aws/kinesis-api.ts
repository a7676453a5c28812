import type { KinesisStream } from '../stream/kinesis-stream.js';
import { unsupported, type AwsJsonService } from './json-protocol.js';

/** The account and region the sandbox's ARNs name (any the SDK sends is accepted). */
export const SANDBOX_ACCOUNT = '000000000000';
export const SANDBOX_REGION = 'us-east-1';

/** Placeholder until the kinesis door lands (issue 10). */
export function kinesisApi(stream: KinesisStream): AwsJsonService {
  return {
    targetPrefix: 'Kinesis_20131202',
    namespace: 'com.amazonaws.kinesis',
    jsonVersion: '1.1',
    queryCompatible: false,
    handle(operation) {
      throw unsupported('kinesis', operation, `stream ${stream.params.name} is not built yet`);
    },
  };
}
