import { describe, expect, it } from 'vitest';
import { findIdentity } from '../../src/payload/identity.js';
import { hookCodec } from '../../src/payload/hook.js';
import { compilePayload, type PayloadConfig } from '../../src/payload/payload-shape.js';
import { createMessageSource } from '../../src/telemetry/message-source.js';
import { fleetConfig } from '../telemetry/fleet-fixture.js';

const source = (payload?: PayloadConfig) => createMessageSource(fleetConfig(), 11, payload ? compilePayload(payload).codec : undefined);
const hook = (build: (m: Record<string, unknown>) => unknown) => createMessageSource(fleetConfig(), 11, hookCodec(build as never, { seed: 11 }));

describe('where a shaped message keeps its id and seq (found in sample messages)', () => {
  it.each([
    ['the built-in shape', undefined, { idPath: 'messageId', seqPath: 'seq' }],
    ['a template', { template: { msgId: '{{messageId}}', n: '{{seq}}', v: 1, speed: '{{position.speedKmh}}' } }, { idPath: 'msgId', seqPath: 'n' }],
    ['nested fields', { template: { meta: { id: '{{messageId}}', seq: '{{seq}}' }, d: '{{vehicleId}}' } }, { idPath: 'meta.id', seqPath: 'meta.seq' }],
    ['a seq as text is not the seq', { template: { msgId: '{{messageId}}', n: '{{seq | string}}' } }, { idPath: 'msgId' }],
  ])('%s', (_name, payload, expected) => {
    expect(findIdentity(source(payload as PayloadConfig | undefined))).toEqual({ ...expected, warnings: [] });
  });

  it('warns when neither the id nor the seq survives the shaping', () => {
    const i = findIdentity(source({ template: { deviceId: '{{vehicleId}}', ts: '{{sentAt | iso}}' } }));
    expect(i.idPath).toBeUndefined();
    expect(i.warnings).toEqual([expect.stringMatching(/keeps neither the message id nor the seq: probes cannot find messages again/)]);
  });

  it('checks payload.idField: a field that does not hold the id is a warning naming the one that does', () => {
    const payload = { template: { msgId: '{{messageId}}', other: '{{vehicleId}}' } };
    expect(findIdentity(source(payload), { idField: 'msgId' })).toMatchObject({ idPath: 'msgId', warnings: [] });
    expect(findIdentity(source(payload), { idField: 'other' }).warnings).toEqual([expect.stringMatching(/payload.idField is "other", but that field does not hold the message id in every message \("msgId" does\)/)]);
  });

  it('a hook: found in its JSON objects; inside text or bytes the id counts as kept; failing on every message is told', () => {
    expect(findIdentity(hook((m) => ({ rec: { key: m.messageId } })))).toMatchObject({ idPath: 'rec.key', warnings: [] });
    expect(findIdentity(hook((m) => `id=${String(m.messageId)};`))).toEqual({ warnings: [] });
    expect(findIdentity(hook((m) => Buffer.from(`\u0001${String(m.messageId)}`)))).toEqual({ warnings: [] });
    const failing = findIdentity(hook(() => { throw new Error('boom'); }), { count: 5 });
    expect(failing.everyMessageFails).toBe('boom');
  });
});
