// Counters and control requests shared by the two SQS endpoints of bench/sqs-cpu.mjs
// (bench/sqs-noop-server.mjs and bench/sqs-fauxqs-server.mjs). Runs inside those endpoint
// processes, never in a measured one.
//
// The counters and /__stats, /__reset are bench/lib/kinesis-stats.mjs's (`requests` = messages
// received in SendMessageBatch calls, the figure bench/lib/generator.mjs reads for its steady
// window; `dataBytes` = the bodies' UTF-8 bytes; `keyBytes` = the message attributes' bytes as SQS
// counts them: names, data types and values). What differs is the sample:
//   GET  /__sample  SAMPLE_MAX messages as received ({ MessageBody, kind, traceparent }), drawn
//                   uniformly from every message since the last reset (a reservoir sample), only
//                   where the endpoint parses the calls (the no-op endpoint).

import { createStats } from './kinesis-stats.mjs';

export const SAMPLE_MAX = 5000;

/** The bytes SQS counts for an entry's message attributes (name + DataType + StringValue of each). */
export function attributeBytes(attrs) {
  let n = 0;
  for (const [name, a] of Object.entries(attrs ?? {})) n += Buffer.byteLength(name) + Buffer.byteLength(a?.DataType ?? '') + Buffer.byteLength(a?.StringValue ?? '');
  return n;
}

export function createSqsStats() {
  const base = createStats();
  let sample = [];
  let seen = 0;
  // A small seeded generator for the reservoir, so a sample can be repeated.
  let seed = 0x2545f491;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const keep = (e) => ({ MessageBody: e.MessageBody, kind: e.MessageAttributes?.kind?.StringValue ?? '', traceparent: e.MessageAttributes?.traceparent?.StringValue ?? '' });
  return {
    /** One SendMessageBatch call of `messages` entries and `bodyBytes` request bytes, read to its end now. */
    sendBatch(messages, bodyBytes, dataBytes = 0, attrBytes = 0) {
      base.putRecords(messages, bodyBytes, dataBytes, attrBytes);
    },
    other() {
      base.other();
    },
    /** Offers entries to the /__sample reservoir (algorithm R: each entry kept with equal chance). */
    sample(entries) {
      for (const e of entries) {
        seen++;
        if (sample.length < SAMPLE_MAX) sample.push(keep(e));
        else {
          const j = Math.floor(rand() * seen);
          if (j < SAMPLE_MAX) sample[j] = keep(e);
        }
      }
    },
    /** Answers a control request (path starting with /__); false when `req` is not one. */
    control(req, res) {
      if (req.url === '/__sample') {
        req.resume();
        req.on('end', () => {
          const body = JSON.stringify({ messages: sample });
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        });
        return true;
      }
      if (req.method === 'POST' && req.url === '/__reset') {
        sample = [];
        seen = 0;
      }
      return base.control(req, res);
    },
  };
}
