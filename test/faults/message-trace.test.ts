import { describe, expect, it } from 'vitest';
import { dlqArrival, MAX_FAULTS, MessageTrace } from '../../src/faults/message-trace.js';
import { arrivalOfMessageId, messageIdPrefix } from '../../src/telemetry/message-source.js';

const prefix = messageIdPrefix(42);
const idOf = (n: number) => prefix + n.toString(36);
const arrivalOf = (id: string) => arrivalOfMessageId(id, prefix);

describe('MessageTrace', () => {
  it('sorts each changed message into one destination, and they sum to injected', () => {
    const t = new MessageTrace();
    const f = t.register();
    for (const n of [1, 2, 3, 4, 5, 6, 7]) t.mark(f, n);
    t.completed(1, '413'); // rejected at the door
    t.completed(2, '2xx'); t.seen(2); // through to the output: accepted silently
    t.completed(3, '2xx'); t.dlq(3); // dead-lettered
    t.completed(4, '2xx'); t.seen(4); t.dlq(4); // both: counts as accepted, noted
    t.completed(5, '2xx'); // accepted at the door, then seen nowhere
    t.completed(6, '400');
    // 7: never answered
    t.completed(99, '2xx'); t.seen(99); t.dlq(98); // not changed by the fault: ignored
    const d = t.destinations(f);
    expect(d).toMatchObject({ injected: 7, rejected: 2, rejectedBy: { 413: 1, 400: 1 }, accepted: 2, acceptedAlsoInDlq: 1, dlq: 1, unaccounted: 2, lost: 1, unanswered: 1, untraced: 0 });
    expect(d.rejected + d.accepted + d.dlq + d.unaccounted + d.untraced).toBe(d.injected);
  });

  it('keeps two faults apart, also when both changed one message', () => {
    const t = new MessageTrace();
    const a = t.register();
    const b = t.register();
    t.mark(a, 10); t.mark(b, 10); t.mark(b, 11);
    t.completed(10, '2xx'); t.dlq(10);
    t.completed(11, '429');
    expect(t.destinations(a)).toMatchObject({ injected: 1, dlq: 1, rejected: 0 });
    expect(t.destinations(b)).toMatchObject({ injected: 2, dlq: 1, rejected: 1, rejectedBy: { 429: 1 } });
  });

  it('counts what it does not follow past its fault limit as untraced, still in injected', () => {
    const t = new MessageTrace();
    for (let i = 0; i < MAX_FAULTS; i++) t.register();
    const extra = t.register();
    t.mark(extra, 5); t.completed(5, '2xx');
    expect(t.destinations(extra)).toMatchObject({ injected: 1, untraced: 1, unaccounted: 0 });
  });

  it('counts DLQ entries that name no arrival of the run', () => {
    const t = new MessageTrace();
    t.dlq(undefined);
    t.dlq(undefined);
    expect(t.dlqUnidentified).toBe(2);
  });
});

describe('dlqArrival', () => {
  it.each([
    ['the id the sandbox read', idOf(77), '{}', 77],
    ['an id of another run, found again in the body', 'zzzzzzz-1', `{"messageId":"${idOf(5)}"`, 5],
    ['no id read: the first id in a malformed body', null, `{'messageId': '${idOf(123456)}', "x": ,}`, 123456],
    ['no id read: a truncated body that still holds it', null, `{"messageId":"${idOf(9)}","vehicleId":"V-0`, 9],
    ['the prefix without a number', null, `{"messageId":"${prefix}"}`, undefined],
    ['nothing of the run', null, '\u0000\u0000garbage', undefined],
  ])('%s', (_label, messageId, body, expected) => {
    expect(dlqArrival(messageId, body, prefix, arrivalOf)).toBe(expected);
  });
});
