import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { classifyError } from '../outcome.js';

/** Where an AWS target connects: every field optional; what is absent comes from the SDK's own configuration. */
export interface AwsSettings {
  region?: string;
  /** An endpoint override (a local emulator); else AWS_ENDPOINT_URL_<SERVICE>, else AWS_ENDPOINT_URL, else AWS. */
  endpoint?: string;
  /** A named profile of the shared config and credentials files. */
  profile?: string;
  /** Fixed credentials instead of the SDK's chain: only the embedded sandbox's doors (never from a scenario). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export type AwsService = 'kinesis' | 'sqs';

const ENDPOINT_ENV: Record<AwsService, string> = { kinesis: 'AWS_ENDPOINT_URL_KINESIS', sqs: 'AWS_ENDPOINT_URL_SQS' };

/**
 * The SDK warns on Node 20 at every client start (its releases from January 2027 need Node 22):
 * said once in the README instead of on every run. Only this one warning: it reads exactly "true".
 */
export function silenceNodeVersionWarning(env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** Which endpoint a client will use and where that came from, for `validate` and error messages. */
export function endpointSource(s: AwsSettings, service: AwsService, env: NodeJS.ProcessEnv = process.env): { endpoint: string | undefined; source: string } {
  if (s.endpoint) return { endpoint: s.endpoint, source: 'the scenario' };
  const specific = env[ENDPOINT_ENV[service]];
  if (specific) return { endpoint: specific, source: ENDPOINT_ENV[service] };
  if (env.AWS_ENDPOINT_URL) return { endpoint: env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  return { endpoint: undefined, source: 'AWS (the region\'s public endpoint)' };
}

/**
 * Client options for the SDK: region, profile and endpoint only where given (the SDK resolves
 * the rest — environment, shared config, the default credential chain), HTTP/1.1 with keep-alive
 * and `sockets` connections (Kinesis would default to HTTP/2, which local endpoints refuse; the
 * SDK's default pool of 50 would queue calls silently), and no retries of the SDK's own: the
 * target retries failed records itself, with its own backoff, and counts them.
 */
export function awsClientConfig(s: AwsSettings, service: AwsService, sockets: number, requestTimeoutMs = 10_000) {
  silenceNodeVersionWarning();
  const { endpoint } = endpointSource(s, service);
  return {
    ...(s.region ? { region: s.region } : {}),
    ...(s.profile ? { profile: s.profile } : {}),
    ...(endpoint ? { endpoint } : {}),
    ...(s.credentials ? { credentials: s.credentials } : {}),
    maxAttempts: 1,
    requestHandler: new NodeHttpHandler({
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: sockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets: sockets }),
      connectionTimeout: 5000,
      // Without throwOnRequestTimeout the SDK only logs a warning and the call waits on.
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    }),
  };
}

/** Retryable error names of the Kinesis and SQS APIs (throttling and transient service failures). */
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException', 'ThrottlingException', 'Throttling', 'KMSThrottlingException', 'InternalFailure',
  'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'RequestThrottled', 'LimitExceededException',
]);

/** An AWS error name as an outcome class: its name, with ProvisionedThroughputExceededException shortened. */
export function awsErrorClass(name: string): string {
  return name === 'ProvisionedThroughputExceededException' ? 'ProvisionedThroughputExceeded' : name;
}

export function isRetryableAwsError(name: string): boolean {
  return RETRYABLE.has(name);
}

/**
 * How a whole call failed, as data: a service error by its name (answered; retryable when it is
 * throttling or transient, or a 5xx), or a transport failure by class (refused, reset, timeout,
 * dns, tls: not answered, except a timeout, and retried).
 */
export function classifyAwsCallError(err: unknown): { outcome: string; retryable: boolean; responded: boolean } {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $fault?: string } | null;
  const status = e?.$metadata?.httpStatusCode;
  if (status !== undefined && e?.name) {
    return { outcome: awsErrorClass(e.name), retryable: isRetryableAwsError(e.name) || status >= 500, responded: true };
  }
  const transport = classifyError(err);
  if (transport !== 'error') return { outcome: transport, retryable: transport !== 'dns' && transport !== 'tls', responded: transport === 'timeout' };
  return { outcome: e?.name ? awsErrorClass(e.name) : 'error', retryable: false, responded: false };
}

/** `host:port` of a URL (the port filled in from the scheme); the text itself when it is not a URL. */
export function hostPort(text: string): string {
  try {
    const u = new URL(text);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? 443 : 80)}`;
  } catch {
    return text;
  }
}
