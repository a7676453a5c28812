import type { KinesisStream } from '../stream/kinesis-stream.js';
import { AwsApiError } from './json-protocol.js';

/** The account and region the sandbox's ARNs name (any the SDK sends is accepted). */
export const SANDBOX_ACCOUNT = '000000000000';
export const SANDBOX_REGION = 'us-east-1';

/** A request's JSON body. */
export type Input = Record<string, unknown>;

const STREAM_NAME = /^[a-zA-Z0-9_.-]+$/;
const STREAM_ARN = /^arn:aws.*:kinesis:.*:\d{12}:stream\/(\S+)$/;
/** Most violations AWS lists in one ValidationException. */
const MAX_LISTED = 10;

export function streamArn(name: string): string {
  return `arn:aws:kinesis:${SANDBOX_REGION}:${SANDBOX_ACCOUNT}:stream/${name}`;
}

export function invalidArgument(message: string): AwsApiError {
  return new AwsApiError('InvalidArgumentException', message);
}

export function notFound(message: string): AwsApiError {
  return new AwsApiError('ResourceNotFoundException', message);
}

/** A field of the wrong JSON type: AWS's deserializer refuses the request before any check. */
export function serializationError(message: string): AwsApiError {
  return new AwsApiError('SerializationException', message);
}

/**
 * Constraint violations of one request, thrown together as AWS does:
 * `ValidationException: 2 validation errors detected: Value 'x' at 'records.1.member.partitionKey'
 * failed to satisfy constraint: Member must have length less than or equal to 256; …`.
 */
export class Violations {
  private readonly found: string[] = [];
  private count = 0;

  /** `value` as AWS quotes it (null: absent); `path` like `records.1.member.data`; `rule` after "Member must ". */
  add(value: string | null, path: string, rule: string): void {
    this.count++;
    if (this.found.length < MAX_LISTED) this.found.push(`Value ${value === null ? 'null' : `'${value}'`} at '${path}' failed to satisfy constraint: Member must ${rule}`);
  }

  /** Length (and pattern, anchored) of a string field that is present. */
  text(value: string | undefined, path: string, min: number, max: number, pattern?: RegExp, patternText?: string): void {
    if (value === undefined) return;
    if (value.length < min) this.add(value, path, `have length greater than or equal to ${min}`);
    if (value.length > max) this.add(value, path, `have length less than or equal to ${max}`);
    if (pattern && !pattern.test(value)) this.add(value, path, `satisfy regular expression pattern: ${patternText ?? pattern.source}`);
  }

  /** A required field that is absent. */
  required(value: unknown, path: string): void {
    if (value === undefined) this.add(null, path, 'not be null');
  }

  /** An integer field within min..max when present. */
  range(value: number | undefined, path: string, min: number, max: number): void {
    if (value === undefined) return;
    if (value < min) this.add(String(value), path, `have value greater than or equal to ${min}`);
    if (value > max) this.add(String(value), path, `have value less than or equal to ${max}`);
  }

  throwIfAny(): void {
    if (this.count === 0) return;
    throw new AwsApiError('ValidationException', `${this.count} validation error${this.count > 1 ? 's' : ''} detected: ${this.found.join('; ')}`);
  }
}

/** A string field; undefined when absent or null; SerializationException when of another type. */
export function stringField(input: Input, name: string): string | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw serializationError(`${name} must be a string, got ${typeof v}`);
  return v;
}

/** A number field (integers where AWS wants them are checked by the caller). */
export function numberField(input: Input, name: string): number | undefined {
  const v = input[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw serializationError(`${name} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

/** An object field (a list member); SerializationException otherwise. */
export function objectValue(v: unknown, what: string): Input {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw serializationError(`${what} must be an object`);
  return v as Input;
}

/** How a request names its stream: StreamName, StreamARN, or both. */
export interface StreamId {
  name: string | undefined;
  arn: string | undefined;
}

/** Reads StreamName and StreamARN and checks their form into `v`. */
export function readStreamId(input: Input, v: Violations): StreamId {
  const id = { name: stringField(input, 'StreamName'), arn: stringField(input, 'StreamARN') };
  v.text(id.name, 'streamName', 1, 128, STREAM_NAME, '[a-zA-Z0-9_.-]+');
  v.text(id.arn, 'streamARN', 1, 2048, STREAM_ARN, 'arn:aws.*:kinesis:.*:\\d{12}:stream/\\S+');
  return id;
}

/**
 * Throws unless the request names this stream: ResourceNotFoundException (`Stream X under
 * account 000000000000 not found.`) for another name, in StreamName or in StreamARN (whose region
 * and account are not checked); InvalidArgumentException when it names none.
 */
export function requireStream(id: StreamId, stream: KinesisStream): void {
  if (id.name === undefined && id.arn === undefined) throw invalidArgument('Either StreamName or StreamARN must be provided.');
  const fromArn = id.arn === undefined ? undefined : STREAM_ARN.exec(id.arn)?.[1];
  for (const name of [id.name, fromArn]) {
    if (name !== undefined && name !== stream.name) throw notFound(`Stream ${name} under account ${SANDBOX_ACCOUNT} not found.`);
  }
}

/** Checks the form of a request's stream id, then that it names this stream. */
export function checkStream(input: Input, stream: KinesisStream, v = new Violations()): void {
  const id = readStreamId(input, v);
  v.throwIfAny();
  requireStream(id, stream);
}
