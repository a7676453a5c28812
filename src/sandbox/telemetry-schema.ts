import { MIX_KINDS } from '../telemetry/fleet-config.js';
import type { MessageKind } from '../telemetry/types.js';

/** The fields of a telemetry message (schema v1) the processor reads and passes on. */
export interface TelemetryV1 {
  messageId: string;
  vehicleId: string;
  seq: number;
  /** Epoch ms when the client sent it. */
  sentAt: number;
  kind: MessageKind;
}

/** Every kind the generator sends (the fleet's mix table lists each once). */
const KINDS: ReadonlySet<string> = new Set<MessageKind>(MIX_KINDS.map(([, kind]) => kind));

/**
 * Validates one message body against telemetry schema v1, the processor's contract:
 * a JSON object with `messageId` (non-empty string), `vehicleId` (non-empty string), `seq`
 * (positive integer), `sentAt` (finite number, epoch ms), `schemaVersion` (exactly 1) and
 * `kind` (one of the six kinds). Other fields are allowed and ignored.
 * Returns the message, or a string that says why it is invalid. Never throws.
 */
export function validateTelemetry(body: string): TelemetryV1 | string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return 'malformed JSON';
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'not a JSON object';
  const m = doc as Record<string, unknown>;
  if (typeof m.messageId !== 'string' || m.messageId === '') return fieldError(m, 'messageId', 'a non-empty string');
  if (typeof m.vehicleId !== 'string' || m.vehicleId === '') return fieldError(m, 'vehicleId', 'a non-empty string');
  if (typeof m.seq !== 'number' || !Number.isInteger(m.seq) || m.seq < 1) return fieldError(m, 'seq', 'a positive integer');
  if (typeof m.sentAt !== 'number' || !Number.isFinite(m.sentAt)) return fieldError(m, 'sentAt', 'a number (epoch ms)');
  if (m.schemaVersion !== 1) return m.schemaVersion === undefined ? 'missing field schemaVersion' : `unsupported schemaVersion ${JSON.stringify(m.schemaVersion)}`;
  if (typeof m.kind !== 'string' || !KINDS.has(m.kind)) return fieldError(m, 'kind', `one of ${[...KINDS].join(', ')}`);
  return { messageId: m.messageId, vehicleId: m.vehicleId, seq: m.seq, sentAt: m.sentAt, kind: m.kind as MessageKind };
}

/** The `messageId` of a body if one can be read, even from an invalid message (for the DLQ). */
export function readMessageId(body: string): string | null {
  try {
    const doc = JSON.parse(body) as unknown;
    const id = typeof doc === 'object' && doc !== null ? (doc as Record<string, unknown>).messageId : undefined;
    return typeof id === 'string' ? id : null;
  } catch {
    return null;
  }
}

function fieldError(m: Record<string, unknown>, field: string, expected: string): string {
  return field in m ? `invalid: ${field} must be ${expected}` : `missing field ${field}`;
}
