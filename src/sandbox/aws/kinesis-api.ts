import type { KinesisStream } from '../stream/kinesis-stream.js';
import { unsupported, type AwsJsonService } from './json-protocol.js';
import { describeStream, describeStreamSummary, listShards, listStreams } from './kinesis-describe.js';
import type { Input } from './kinesis-input.js';
import { getRecords, getShardIterator } from './kinesis-iterators.js';
import { putRecord, putRecords } from './kinesis-writes.js';

export { SANDBOX_ACCOUNT, SANDBOX_REGION } from './kinesis-input.js';

type Operation = (stream: KinesisStream, input: Input) => unknown;

/** The operations the kinesis door answers. */
const OPERATIONS: Record<string, Operation> = {
  PutRecords: putRecords,
  PutRecord: putRecord,
  DescribeStreamSummary: describeStreamSummary,
  DescribeStream: describeStream,
  ListShards: listShards,
  ListStreams: listStreams,
  GetShardIterator: getShardIterator,
  GetRecords: getRecords,
};

/**
 * The Kinesis Data Streams API of the kinesis door, over the AWS JSON 1.1 protocol as the AWS SDK
 * v3 sends it (`X-Amz-Target: Kinesis_20131202.<Operation>`; Data base64; timestamps epoch
 * seconds): writes (kinesis-writes.ts), descriptions (kinesis-describe.ts) and reads of the shard
 * logs (kinesis-iterators.ts) of the one stream `stream` (any other name: ResourceNotFoundException).
 * Anything else: UnknownOperationException naming what is answered.
 */
export function kinesisApi(stream: KinesisStream): AwsJsonService {
  return {
    targetPrefix: 'Kinesis_20131202',
    namespace: 'com.amazonaws.kinesis',
    jsonVersion: '1.1',
    queryCompatible: false,
    handle(operation, input) {
      const op = Object.hasOwn(OPERATIONS, operation) ? OPERATIONS[operation] : undefined;
      if (!op) throw unsupported('kinesis', operation, `it answers ${Object.keys(OPERATIONS).join(', ')} on stream ${stream.name}`);
      return op(stream, input);
    },
  };
}
