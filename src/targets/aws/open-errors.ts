import { UserError } from '../../util/user-error.js';
import { maskUrl } from '../mask.js';
import { classifyError } from '../outcome.js';
import { endpointSource, type AwsService, type AwsSettings } from './client-config.js';

const NOT_FOUND = new Set(['ResourceNotFoundException', 'QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue']);
const REJECTED = new Set([
  'CredentialsProviderError', 'UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidSignatureException', 'SignatureDoesNotMatch',
  'ExpiredTokenException', 'ExpiredToken', 'AccessDeniedException', 'AccessDenied', 'MissingAuthenticationToken', 'IncompleteSignature',
]);
const ENV_HINT: Record<AwsService, string> = { kinesis: 'AWS_ENDPOINT_URL_KINESIS', sqs: 'AWS_ENDPOINT_URL_SQS' };

/** What a failed check at open is about, for the message. */
export interface OpenSubject {
  service: AwsService;
  settings: AwsSettings;
  /** e.g. "stream 'telemetry'", "queue 'orders'". */
  what: string;
  /** The region the client resolved, when it got that far. */
  region?: string;
  /** How to fix a missing resource, e.g. "create it". */
  notFoundFix: string;
  /** The scenario field whose settings the hints point at, e.g. "probes.dlq"; default the target. */
  settingsIn?: string;
}

/**
 * A check before the clock failed (describing the stream, resolving the queue): the UserError that
 * says what to fix — not found, credentials rejected, no region, endpoint unreachable — never a
 * stack trace and never a run of 100 % errors. Names no secret (the endpoint is masked).
 */
export function awsOpenError(err: unknown, s: OpenSubject): UserError {
  const e = err as { name?: string; message?: string } | null;
  const name = e?.name ?? '';
  const message = e?.message ?? String(err);
  const { endpoint, source } = endpointSource(s.settings, s.service);
  const at = endpoint ? ` at ${maskUrl(endpoint)} (from ${source})` : '';
  const region = s.region ?? s.settings.region;
  const where = `${region ? ` in ${region}` : ''}${at}`;
  const whose = s.settingsIn !== undefined ? `${s.settingsIn}'s` : 'the target\'s';
  if (NOT_FOUND.has(name)) {
    return new UserError(`${s.what} not found${where}`, { hint: `${s.notFoundFix}, or check ${whose} region (AWS_REGION) and endpoint (${ENV_HINT[s.service]})` });
  }
  if (REJECTED.has(name) || /credential/i.test(message)) {
    return new UserError(`the AWS credentials were rejected or not found for ${s.what}${where}: ${name || 'error'}: ${message}`, {
      hint: `check AWS_PROFILE / ${whose} profile, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and that they may use this resource`,
    });
  }
  if (/region is missing/i.test(message)) {
    return new UserError(`no AWS region for ${s.what}`, { hint: `set region: in ${s.settingsIn ?? 'the target'}, or AWS_REGION (or a profile with a region)` });
  }
  const transport = classifyError(err);
  if (transport !== 'error') {
    return new UserError(`cannot reach the ${s.service === 'kinesis' ? 'Kinesis' : 'SQS'} endpoint for ${s.what}${where}: ${transport}`, {
      hint: `is the endpoint up? Check ${whose} endpoint, ${ENV_HINT[s.service]} or AWS_ENDPOINT_URL`,
    });
  }
  return new UserError(`checking ${s.what}${where} failed: ${name || 'error'}: ${message}`, { hint: `check ${whose} settings (${ENV_HINT[s.service]}, AWS_REGION, AWS_PROFILE)` });
}
