import { describe, expect, it } from 'vitest';
import { readMessageId, validateTelemetry } from '../../src/sandbox/telemetry-schema.js';

const good = { messageId: 'm-1', vehicleId: 'VIN1', seq: 3, sentAt: 1_700_000_000_000, schemaVersion: 1, kind: 'telemetry', speedKmh: 80 };
const body = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, ...patch });
const without = (field: string): string => {
  const copy: Record<string, unknown> = { ...good };
  delete copy[field];
  return JSON.stringify(copy);
};

describe('validateTelemetry (schema v1)', () => {
  it('accepts a valid message and returns its fields', () => {
    expect(validateTelemetry(body({}))).toEqual({ messageId: 'm-1', vehicleId: 'VIN1', seq: 3, sentAt: 1_700_000_000_000, kind: 'telemetry' });
    for (const kind of ['trip_start', 'trip_end', 'harsh_braking', 'geofence', 'diagnostic']) expect(typeof validateTelemetry(body({ kind }))).toBe('object');
  });

  it.each([
    ['{"messageId": ', 'malformed JSON'],
    ['[1,2]', 'not a JSON object'],
    ['null', 'not a JSON object'],
    [without('messageId'), 'missing field messageId'],
    [body({ messageId: 42 }), 'invalid: messageId must be a non-empty string'],
    [body({ vehicleId: '' }), 'invalid: vehicleId must be a non-empty string'],
    [body({ seq: 0 }), 'invalid: seq must be a positive integer'],
    [body({ seq: 1.5 }), 'invalid: seq must be a positive integer'],
    [body({ seq: '3' }), 'invalid: seq must be a positive integer'],
    [body({ sentAt: 'yesterday' }), 'invalid: sentAt must be a number (epoch ms)'],
    [without('schemaVersion'), 'missing field schemaVersion'],
    [body({ schemaVersion: 2 }), 'unsupported schemaVersion 2'],
    [body({ schemaVersion: '1' }), 'unsupported schemaVersion "1"'],
    [body({ kind: 'teleport' }), 'invalid: kind must be one of'],
  ])('rejects %s', (text, reason) => {
    const r = validateTelemetry(text);
    expect(typeof r).toBe('string');
    expect(r as string).toContain(reason);
  });

  it('reads the messageId of an invalid message when it can', () => {
    expect(readMessageId(body({ schemaVersion: 9 }))).toBe('m-1');
    expect(readMessageId('{oops')).toBeNull();
    expect(readMessageId('{"messageId": 7}')).toBeNull();
  });
});
