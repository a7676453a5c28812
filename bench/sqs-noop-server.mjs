#!/usr/bin/env node
// A no-op SQS endpoint for bench/sqs-cpu.mjs: the generator's own ceiling. Part of a benchmark,
// never a test.
//
//   node bench/sqs-noop-server.mjs [--max-lifetime S]
//
// Listens on 127.0.0.1, port 0, and prints one line on stdout: {"port": 12345, "pid": 678}.
// It speaks the AWS JSON 1.0 protocol the SDK uses for SQS (POST /, header
// `x-amz-target: AmazonSQS.<Operation>`, content-type application/x-amz-json-1.0) and never checks
// signatures:
//   SendMessageBatch     reads the whole body, parses it and answers every entry in Successful:
//                        {"Successful":[{"Id":"0","MessageId":"…","MD5OfMessageBody":"<md5 of the body>"},…],"Failed":[]}
//                        (rushhour's client turns the SDK's MD5 check off; the digest is real anyway)
//   GetQueueUrl          {"QueueUrl":"http://127.0.0.1:PORT/000000000000/<QueueName>"}: itself
//   GetQueueAttributes   {"Attributes":{"MaximumMessageSize":"262144", …}}
//   anything else        400 UnknownOperationException
// Control requests (/__stats, /__reset, /__sample): see bench/lib/sqs-stats.mjs.
// Bounds: exits when stdin closes, on SIGTERM/SIGINT, or after --max-lifetime s (default 1800).

import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { jsonSender, serveNoop } from './lib/noop-server.mjs';
import { attributeBytes, createSqsStats } from './lib/sqs-stats.mjs';

const { values } = parseArgs({ options: { 'max-lifetime': { type: 'string', default: '1800' } } });
const ACCOUNT = '000000000000';
const JSON_TYPE = 'application/x-amz-json-1.0';

const stats = createSqsStats();
let port = 0;
let messageSeq = 0;

/** A message id shaped like SQS's (a UUID), from a counter. */
function messageId() {
  const n = (++messageSeq).toString(16).padStart(12, '0');
  return `00000000-0000-4000-8000-${n.slice(-12)}`;
}

const send = jsonSender(JSON_TYPE, '00000000-0000-4000-8000-000000000000');

const fail = (res, type, message) => send(res, 400, { __type: `com.amazonaws.sqs#${type}`, message });

function handle(op, body, res) {
  let input;
  try {
    input = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    return fail(res, 'SerializationException', 'bad JSON');
  }
  if (op === 'SendMessageBatch') {
    const entries = Array.isArray(input.Entries) ? input.Entries : null;
    if (!entries || entries.length === 0) return fail(res, 'EmptyBatchRequest', 'Entries is required');
    let dataBytes = 0;
    let attrBytes = 0;
    const Successful = entries.map((e) => {
      const b = Buffer.from(e.MessageBody ?? '', 'utf8');
      dataBytes += b.length;
      attrBytes += attributeBytes(e.MessageAttributes);
      return { Id: e.Id, MessageId: messageId(), MD5OfMessageBody: createHash('md5').update(b).digest('hex') };
    });
    stats.sendBatch(entries.length, body.length, dataBytes, attrBytes);
    stats.sample(entries);
    return send(res, 200, { Successful, Failed: [] });
  }
  stats.other();
  if (op === 'GetQueueUrl') {
    if (!input.QueueName) return fail(res, 'MissingParameter', 'QueueName is required');
    return send(res, 200, { QueueUrl: `http://127.0.0.1:${port}/${ACCOUNT}/${input.QueueName}` });
  }
  if (op === 'GetQueueAttributes') {
    return send(res, 200, { Attributes: { MaximumMessageSize: '262144', MessageRetentionPeriod: '345600', VisibilityTimeout: '30', DelaySeconds: '0' } });
  }
  return fail(res, 'UnknownOperationException', `no-op endpoint: ${op} is not served`);
}

serveNoop({
  stats,
  service: 'AmazonSQS',
  handle,
  reject: (res) => fail(res, 'UnknownOperationException', 'expected POST with x-amz-target AmazonSQS.<Operation>'),
  ready: (p) => {
    port = p;
    process.stdout.write(JSON.stringify({ port, pid: process.pid }) + '\n');
  },
  maxLifetimeS: Number(values['max-lifetime']),
});
