import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageValidatorFor, telemetryV1Validator, type ProcessedMessage } from '../../src/sandbox/message-validator.js';
import { sandboxParamsSchema, type SandboxParamsInput } from '../../src/sandbox/params.js';

/** A user's message shape: ids nested under `meta`, an ISO time, GPS. */
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['meta', 'device', 'gps'],
  properties: {
    meta: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, at: {}, n: {}, type: {} } },
    device: { type: 'string' },
    gps: { type: 'object', required: ['lat', 'lng'], properties: { lat: { type: 'number' }, lng: { type: 'number' } } },
    sentAt: {},
  },
};
const dir = mkdtempSync(join(tmpdir(), 'rushhour-msg-validator-'));
const schemaFile = join(dir, 'message.schema.json');
writeFileSync(schemaFile, JSON.stringify(schema));

function validator(input: Omit<SandboxParamsInput, 'schema'> = {}) {
  const params = sandboxParamsSchema.parse({ schema: schemaFile, ...input });
  return messageValidatorFor(params);
}

const nested = { fields: { messageId: 'meta.id', vehicleId: 'device', seq: 'meta.n', sentAt: 'meta.at', kind: 'meta.type' } };
const good = { meta: { id: 'm-1', at: '2024-03-07T10:00:00.000Z', n: 7, type: 'trip_start' }, device: 'VIN1', gps: { lat: 52.5, lng: 13.4 } };
const body = (patch: (m: typeof good & Record<string, unknown>) => void = () => {}): string => {
  const copy = structuredClone(good) as typeof good & Record<string, unknown>;
  patch(copy);
  return JSON.stringify(copy);
};

describe('messageValidatorFor: a user JSON Schema (sandbox.schema) with sandbox.fields', () => {
  it('without schema it is telemetry schema v1', () => {
    expect(messageValidatorFor(sandboxParamsSchema.parse({}))).toBe(telemetryV1Validator);
  });

  it('accepts a conforming message and reads nested fields, an ISO sentAt as epoch ms', () => {
    const expected: ProcessedMessage = { messageId: 'm-1', vehicleId: 'VIN1', seq: 7, sentAt: Date.UTC(2024, 2, 7, 10), kind: 'trip_start' };
    expect(validator(nested).validate(body())).toEqual(expected);
  });

  it.each<[string, (m: Record<string, unknown> & typeof good) => void, Partial<ProcessedMessage>]>([
    ['sentAt as epoch ms', (m) => Object.assign(m.meta, { at: 1_700_000_000_000 }), { sentAt: 1_700_000_000_000 }],
    ['no sentAt → null', (m) => delete (m.meta as Partial<typeof good.meta>).at, { sentAt: null }],
    ['JSON null sentAt → null', (m) => Object.assign(m.meta, { at: null }), { sentAt: null }],
    ['no seq → 0', (m) => delete (m.meta as Partial<typeof good.meta>).n, { seq: 0 }],
    ['no kind → telemetry', (m) => delete (m.meta as Partial<typeof good.meta>).type, { kind: 'telemetry' }],
    ['any kind text', (m) => Object.assign(m.meta, { type: 'door_open' }), { kind: 'door_open' }],
  ])('field reading: %s', (_label, patch, want) => {
    expect(validator(nested).validate(body(patch))).toMatchObject(want);
  });

  it.each<[string, string, SandboxParamsInput['fields'] | undefined]>([
    ['{"meta": ', 'malformed JSON', nested.fields],
    [body((m) => delete (m as Partial<typeof good>).gps), "invalid: (root) must have required property 'gps'", nested.fields],
    [body((m) => Object.assign(m.gps, { lat: 'north' })), 'invalid: /gps/lat must be number', nested.fields],
    [body((m) => Object.assign(m.meta, { id: 42 })), 'invalid: /meta/id must be string', nested.fields],
    [body((m) => Object.assign(m.meta, { id: '' })), 'invalid: meta.id must be a non-empty string (sandbox.fields.messageId)', nested.fields],
    [body((m) => delete (m as Partial<typeof good>).device), "invalid: (root) must have required property 'device'", nested.fields],
    [body((m) => Object.assign(m, { device: 5 })), 'invalid: /device must be string', nested.fields],
    [body((m) => Object.assign(m.meta, { n: 0 })), 'invalid: meta.n must be a positive integer (sandbox.fields.seq)', nested.fields],
    [body((m) => Object.assign(m.meta, { n: '7' })), 'invalid: meta.n must be a positive integer (sandbox.fields.seq)', nested.fields],
    [body((m) => Object.assign(m.meta, { at: 'last tuesday-ish' })), 'invalid: meta.at must be a number (epoch ms) or an ISO-8601 time (sandbox.fields.sentAt)', nested.fields],
    [body((m) => Object.assign(m.meta, { type: 3 })), 'invalid: meta.type must be a string (sandbox.fields.kind)', nested.fields],
    // The default field names are v1's: this message has no top-level messageId or vehicleId.
    [body(), 'missing field messageId (sandbox.fields.messageId)', undefined],
    [body(), 'missing field vehicleId (sandbox.fields.vehicleId)', { messageId: 'meta.id' }],
  ])('rejects %s with %s', (text, reason, fields) => {
    expect(validator(fields ? { fields } : {}).validate(text)).toBe(reason);
  });

  it('caps the ajv error text at 200 characters', () => {
    const file = join(dir, 'long-pattern.schema.json');
    writeFileSync(file, JSON.stringify({ type: 'object', properties: { tag: { type: 'string', pattern: `^(${'a'.repeat(300)})$` } } }));
    const r = messageValidatorFor(sandboxParamsSchema.parse({ schema: file })).validate('{"tag":"b"}') as string;
    expect(r).toMatch(/^invalid: \/tag must match pattern "\^\(a+…$/);
    expect(r).toHaveLength(200);
  });

  it('reads the messageId at its path from an invalid message, for the DLQ', () => {
    const v = validator(nested);
    expect(v.readMessageId(body((m) => delete (m as Partial<typeof good>).gps))).toBe('m-1');
    expect(v.readMessageId('not json')).toBeNull();
    expect(v.readMessageId('{"meta":{"id":5}}')).toBeNull();
  });
});
