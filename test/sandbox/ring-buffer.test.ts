import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../src/sandbox/ring-buffer.js';

describe('RingBuffer', () => {
  it('pages by cursor', () => {
    const r = new RingBuffer<number>(10);
    for (let i = 0; i < 7; i++) expect(r.push(i * 10)).toBe(i);
    expect(r.read(0, 3)).toEqual({ items: [0, 10, 20], nextCursor: 3, oldestCursor: 0, missed: 0 });
    expect(r.read(3, 100)).toEqual({ items: [30, 40, 50, 60], nextCursor: 7, oldestCursor: 0, missed: 0 });
    expect(r.read(7, 100)).toEqual({ items: [], nextCursor: 7, oldestCursor: 0, missed: 0 });
    expect(r.read(50, 100).nextCursor).toBe(7);
  });

  it('drops the oldest past capacity and reports what a slow reader missed', () => {
    const r = new RingBuffer<number>(4);
    for (let i = 0; i < 10; i++) r.push(i);
    expect(r.oldestCursor).toBe(6);
    expect(r.read(2, 100)).toEqual({ items: [6, 7, 8, 9], nextCursor: 10, oldestCursor: 6, missed: 4 });
  });

  it('grows past its initial allocation up to a large capacity', () => {
    const r = new RingBuffer<number>(200_000);
    for (let i = 0; i < 150_000; i++) r.push(i);
    expect(r.read(149_998, 10).items).toEqual([149_998, 149_999]);
    expect(r.read(0, 2).items).toEqual([0, 1]);
  });
});
