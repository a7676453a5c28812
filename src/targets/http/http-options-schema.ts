import { z } from 'zod';
import { durationField, intField, sizeField } from '../../util/unit-fields.js';
import type { HttpBatchConfig, HttpSigV4Config, HttpTlsConfig } from './config.js';

export const DEFAULT_BATCH_MESSAGES = 100;
export const MAX_BATCH_MESSAGES = 10_000;
export const DEFAULT_BATCH_BYTES = 1024 * 1024;
export const MAX_BATCH_BYTES = 64 * 1024 * 1024;
export const DEFAULT_BATCH_LINGER_MS = 50;

/** `target.http.batch`: one request carries up to maxMessages messages (the gateways post arrays). */
export const batchSchema = z
  .strictObject({
    maxMessages: intField({ title: 'Messages per request', description: `1..${MAX_BATCH_MESSAGES}. Default ${DEFAULT_BATCH_MESSAGES}.`, default: DEFAULT_BATCH_MESSAGES }, 1, MAX_BATCH_MESSAGES).optional(),
    maxBytes: sizeField({ title: 'Bytes per request body', description: 'Separators and wrapper included; a message larger than this alone ends as record-too-large. Default 1MiB.', default: '1MiB' }, { min: 64, max: MAX_BATCH_BYTES }).optional(),
    linger: durationField({ title: 'Linger', description: 'A partly filled batch goes out this long after its first message. Default 50ms.', examples: ['50ms'], default: '50ms' }, { min: 0, max: 60_000 }).optional(),
    format: z.enum(['json-array', 'ndjson', 'wrapped']).meta({ title: 'Body layout', description: 'json-array: [m1,m2]; ndjson: one message a line; wrapped: {"records":[m1,m2]} (the key is `key`). Default json-array.', default: 'json-array' }).optional(),
    key: z.string().min(1).max(256).meta({ title: 'Wrapper key', description: 'The key of the array for format: wrapped. Default records.', default: 'records' }).optional(),
    retries: intField({ title: 'Retries of a failed request', description: 'A request answered 429 or 5xx, or timed out, is sent again whole, with backoff and full jitter; 0..20. Default 0: a pipeline that is not idempotent would store it twice.', default: 0 }, 0, 20).optional(),
  })
  .meta({ title: 'Batches per request', description: 'Each request carries many messages; latency is per message, requests are counted apart.' })
  .transform((b): HttpBatchConfig => ({
    maxMessages: b.maxMessages ?? DEFAULT_BATCH_MESSAGES, maxBytes: b.maxBytes ?? DEFAULT_BATCH_BYTES, lingerMs: b.linger ?? DEFAULT_BATCH_LINGER_MS,
    format: b.format ?? 'json-array', key: b.key ?? 'records', retries: b.retries ?? 0,
  }));

/** `target.http.tls`: a private CA, or no certificate check at all. */
export const tlsSchema = z
  .strictObject({
    ca: z.string().min(1).meta({ title: 'CA bundle', description: 'A PEM file (relative to the scenario file) with the CA certificate(s) that signed the endpoint\'s certificate; trusted besides the system\'s.', examples: ['./certs/ca.pem'] }).optional(),
    insecure: z.boolean().meta({ title: 'Skip certificate checks', description: 'Accept any certificate (self-signed, wrong name, expired). Warned about loudly; prefer ca.', default: false }).optional(),
  })
  .meta({ title: 'TLS', description: 'For https:// endpoints with a private CA or a self-signed certificate.' })
  .transform((t): HttpTlsConfig => ({ ...(t.ca ? { ca: t.ca } : {}), ...(t.insecure ? { insecure: true } : {}) }));

/** `target.http.auth`: SigV4 for API Gateway (IAM auth) and Lambda function URLs. */
export const authSchema = z
  .strictObject({
    sigv4: z
      .strictObject({
        service: z.string().regex(/^[a-z0-9-]+$/, { error: 'expected an AWS service signing name such as execute-api or lambda' }).meta({ title: 'Service', description: 'execute-api for API Gateway, lambda for function URLs.', examples: ['execute-api'] }),
        region: z.string().min(1).meta({ title: 'Region', description: 'Default: AWS_REGION, else the region in the endpoint\'s host name.' }).optional(),
        profile: z.string().min(1).meta({ title: 'AWS profile', description: 'A named profile of the shared config and credentials files. Default: the SDK\'s credential chain.' }).optional(),
      })
      .transform((s): HttpSigV4Config => ({ service: s.service, ...(s.region ? { region: s.region } : {}), ...(s.profile ? { profile: s.profile } : {}) })),
  })
  .meta({ title: 'Request signing', description: 'sigv4: every request signed with the AWS SDK\'s signer and credential chain.' });
