import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The part of the AWS JSON protocols (awsJson1_0: SQS; awsJson1_1: Kinesis) the sandbox's front
 * doors speak: `POST /` with `X-Amz-Target: <prefix>.<Operation>` and a JSON body; a JSON answer,
 * or an error as `{"__type": "<namespace>#<Name>", "message": …}` with its HTTP status (and, for
 * a query-compatible service like SQS, the `x-amzn-query-error: <Code>;Sender` header), which the
 * AWS SDK turns into an exception named <Name>. No signature is checked: the sandbox is loopback only.
 */

/** A request the service refuses: an AWS error by name. Thrown by handlers, answered as data. */
export class AwsApiError extends Error {
  constructor(
    /** The error shape's name, e.g. `ResourceNotFoundException` (the SDK's `err.name`). */
    readonly type: string,
    message: string,
    readonly status = 400,
    /** Query-compatible services only: the legacy code, e.g. `AWS.SimpleQueueService.NonExistentQueue`. */
    readonly queryCode?: string,
  ) {
    super(message);
  }
}

/** One service behind the door. `handle` returns the answer's JSON value, or throws an AwsApiError. */
export interface AwsJsonService {
  /** The X-Amz-Target prefix: `Kinesis_20131202`, `AmazonSQS`. */
  readonly targetPrefix: string;
  /** `com.amazonaws.kinesis`: the namespace of its error types. */
  readonly namespace: string;
  /** `1.0` or `1.1`. */
  readonly jsonVersion: '1.0' | '1.1';
  readonly queryCompatible: boolean;
  handle(operation: string, input: Record<string, unknown>): unknown;
}

/** Largest request body read (PutRecords' 5 MiB of data grows by a third in base64). */
export const MAX_AWS_BODY_BYTES = 8 * 1024 * 1024;

/** The service an `X-Amz-Target` header names, and the operation; undefined when none matches. */
export function routeTarget(target: string | undefined, services: readonly AwsJsonService[]): { service: AwsJsonService; operation: string } | undefined {
  if (!target) return undefined;
  const dot = target.indexOf('.');
  if (dot < 0) return undefined;
  const prefix = target.slice(0, dot);
  const service = services.find((s) => s.targetPrefix === prefix);
  return service ? { service, operation: target.slice(dot + 1) } : undefined;
}

/** Reads the JSON body (bounded), calls the service, answers. Never throws. */
export function serveAwsJson(req: IncomingMessage, res: ServerResponse, service: AwsJsonService, operation: string): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_AWS_BODY_BYTES) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > MAX_AWS_BODY_BYTES) {
      sendAwsError(res, service, new AwsApiError('SerializationException', `request body over ${MAX_AWS_BODY_BYTES} bytes`, 413));
      return;
    }
    let input: unknown;
    try {
      input = size === 0 ? {} : JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      sendAwsError(res, service, new AwsApiError('SerializationException', 'request body is not JSON'));
      return;
    }
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      sendAwsError(res, service, new AwsApiError('SerializationException', 'request body must be a JSON object'));
      return;
    }
    let answer: unknown;
    try {
      answer = service.handle(operation, input as Record<string, unknown>);
    } catch (err) {
      if (err instanceof AwsApiError) sendAwsError(res, service, err);
      else sendAwsError(res, service, new AwsApiError('InternalFailure', (err as Error).message ?? String(err), 500));
      return;
    }
    sendBody(res, 200, service, JSON.stringify(answer ?? {}), {});
  });
}

/** An error answer the AWS SDK parses into an exception named `err.type`. */
export function sendAwsError(res: ServerResponse, service: AwsJsonService, err: AwsApiError): void {
  const body = JSON.stringify({ __type: `${service.namespace}#${err.type}`, message: err.message });
  const extra: Record<string, string> = service.queryCompatible ? { 'x-amzn-query-error': `${err.queryCode ?? err.type};${err.status >= 500 ? 'Receiver' : 'Sender'}` } : {};
  sendBody(res, err.status, service, body, extra);
}

/** An operation the sandbox does not answer, named so the user knows what is missing. */
export function unsupported(service: string, operation: string, hint: string): AwsApiError {
  return new AwsApiError('UnknownOperationException', `the sandbox's ${service} door does not answer ${operation}: ${hint}`);
}

/** Headers as an object: the sandbox also answers over HTTP/2 (cleartext-server.ts), whose compatibility API takes no array. */
function sendBody(res: ServerResponse, status: number, service: AwsJsonService, body: string, extra: Record<string, string>): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'content-type': `application/x-amz-json-${service.jsonVersion}`,
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': requestId(),
    ...extra,
  });
  res.end(body);
}

let nextRequest = 1;
function requestId(): string {
  return `sandbox-${(nextRequest++).toString(16).padStart(8, '0')}`;
}
