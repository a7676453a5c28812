import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { DEFAULT_WINDOW, DeliveryMatcher, LOST_EXAMPLES, matcherBytes, MAX_SEQ, SEEN, type DeliveryCounts } from '../../src/probes/delivery-matcher.js';
import { blockSizeFor, createRoundSchedule, type RoundSchedule } from '../../src/telemetry/schedule.js';

const ZERO: DeliveryCounts = { accepted: 0, seen: 0, duplicated: 0, reordered: 0, unexpected: 0, late: 0, seenNotAccepted: 0, lost: 0, pending: 0, acceptedAfterWindow: 0 };
const counts = (m: DeliveryMatcher): DeliveryCounts => m.counts();
const invariantHolds = (c: DeliveryCounts): boolean => c.accepted === c.seen + c.lost + c.pending;

/** Sends and accepts seqs from..to of vehicle v, in order. */
function acceptRange(m: DeliveryMatcher, v: number, from: number, to: number): void {
  for (let s = from; s <= to; s++) {
    m.sent(v, s);
    m.accepted(v, s);
  }
}

interface Faults {
  /** Fractions of all messages: never delivered, delivered twice, delivered after its next seq. */
  drop: number;
  dup: number;
  swap: number;
}

/**
 * A seeded fleet run: `rounds` messages per vehicle in RoundSchedule order, each sent and accepted
 * at once; the pipeline drops, duplicates and swaps exactly the chosen messages; the consumer reads
 * its output `lag` items behind. Returns the matcher after finish() and the injected counts.
 */
function fleetRun(vehicles: number, rounds: number, f: Faults, opt: { window?: number; lag?: number; seed?: number } = {}) {
  const s = createRoundSchedule(vehicles, blockSizeFor(vehicles, 1000, 3000), opt.seed ?? 7);
  const total = vehicles * rounds;
  const rng = xoroshiro128plus(opt.seed ?? 7);
  const dropped = pick(total, Math.round(total * f.drop), rng, () => true);
  const used = new Uint8Array(total);
  /** heldFor[m] = a + 1: arrival a is delivered right after arrival m (its next seq). */
  const heldFor = new Int32Array(total);
  const held = pick(total, Math.round(total * f.swap), rng, (a) => {
    const m = partner(s, a, rounds);
    if (m < 0 || dropped[a] || dropped[m] || used[a] || used[m]) return false;
    used[a] = used[m] = 1;
    heldFor[m] = a + 1;
    return true;
  });
  const duped = pick(total, Math.round(total * f.dup), rng, (a) => !dropped[a]);
  const matcher = new DeliveryMatcher({ vehicles, window: opt.window });
  const lag = opt.lag ?? 300;
  const fifo: number[] = [];
  const read = (): void => void matcher.seen(s.vehicleAt(fifo[0]), s.seqAt(fifo.shift() as number));
  const emit = (a: number): void => {
    if (dropped[a]) return;
    fifo.push(a);
    if (duped[a]) fifo.push(a);
  };
  for (let n = 0; n < total; n++) {
    matcher.sent(s.vehicleAt(n), s.seqAt(n));
    matcher.accepted(s.vehicleAt(n), s.seqAt(n));
    if (!held[n]) emit(n);
    if (heldFor[n]) emit(heldFor[n] - 1);
    while (fifo.length > lag) read();
    if (n % 997 === 0) expect(invariantHolds(counts(matcher))).toBe(true);
  }
  while (fifo.length > 0) read();
  matcher.finish();
  return { matcher, total, drops: count(dropped), dups: count(duped), swaps: count(held) };
}

/** The arrival of the same vehicle's next seq, or -1 for its last one. */
function partner(s: RoundSchedule, a: number, rounds: number): number {
  const seq = s.seqAt(a);
  return seq < rounds ? s.arrivalOf(s.vehicleAt(a), seq + 1) : -1;
}

/** Marks exactly k distinct arrivals in 0..total-1 that `accept` takes (bounded tries). */
function pick(total: number, k: number, rng: ReturnType<typeof xoroshiro128plus>, accept: (a: number) => boolean): Uint8Array {
  const marks = new Uint8Array(total);
  let got = 0;
  for (let tries = 0; got < k && tries < 100 * k; tries++) {
    const a = uniformInt(rng, 0, total - 1);
    if (!marks[a] && accept(a)) {
      marks[a] = 1;
      got++;
    }
  }
  expect(got).toBe(k);
  return marks;
}

const count = (marks: Uint8Array): number => marks.reduce((acc, x) => acc + x, 0);

describe('DeliveryMatcher: options and memory', () => {
  it.each([{ vehicles: 0 }, { vehicles: 1.5 }, { vehicles: 10, window: 4 }, { vehicles: 10, window: 100 }, { vehicles: 10, window: 8192 }])('rejects %o', (o) => {
    expect(() => new DeliveryMatcher(o)).toThrow(RangeError);
  });

  it.each([
    [10_000, 64, 10_000 * 28 + 160],
    [10_000, 4096, 10_000 * (1024 + 12) + 160],
    [1_000, 8, 1_000 * (8 + 12) + 160],
  ])('matcherBytes(%i, %i) = %i', (vehicles, window, bytes) => {
    expect(matcherBytes(vehicles, window)).toBe(bytes);
    expect(DEFAULT_WINDOW).toBe(64);
  });

  it.each([
    ['sent', -1, 1],
    ['sent', 10, 1],
    ['accepted', 0.5, 1],
    ['accepted', 0, 0],
    ['sent', 0, 2.5],
    ['accepted', 0, MAX_SEQ + 1],
  ] as const)('%s(%d, %d) throws RangeError (an engine bug, not data)', (op, v, seq) => {
    expect(() => new DeliveryMatcher({ vehicles: 10 })[op](v, seq)).toThrow(RangeError);
  });
});

describe('DeliveryMatcher: a seeded fleet of 1,000 vehicles, 100,000 messages', () => {
  it.each([
    { name: 'in order, all delivered', drop: 0, dup: 0, swap: 0 },
    { name: '1 % dropped', drop: 0.01, dup: 0, swap: 0 },
    { name: '0.5 % duplicated', drop: 0, dup: 0.005, swap: 0 },
    { name: '0.5 % swapped with the next seq', drop: 0, dup: 0, swap: 0.005 },
    { name: '1 % dropped, 0.5 % duplicated, 1 % swapped', drop: 0.01, dup: 0.005, swap: 0.01 },
  ])('$name → exactly the injected counts', (f) => {
    const { matcher, total, drops, dups, swaps } = fleetRun(1000, 100, f);
    expect(total).toBe(100_000);
    expect(counts(matcher)).toEqual({ ...ZERO, accepted: total, seen: total - drops, lost: drops, duplicated: dups, reordered: swaps });
    expect(matcher.lostExamples()).toHaveLength(Math.min(drops, LOST_EXAMPLES));
  });

  it.each([8, 16, 32, 64, 128, 4096])('window %i: the same exact counts (the ring wraps correctly)', (window) => {
    const { matcher, total, drops, dups, swaps } = fleetRun(50, 400, { drop: 0.01, dup: 0.005, swap: 0.01 }, { window, lag: 60, seed: window });
    expect(counts(matcher)).toEqual({ ...ZERO, accepted: total, seen: total - drops, lost: drops, duplicated: dups, reordered: swaps });
  });

  it('outcomes out of order and sightings before their ok outcome: no false alarm', () => {
    const m = new DeliveryMatcher({ vehicles: 3 });
    const rng = xoroshiro128plus(11);
    const order = Array.from({ length: 300 }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.max(0, i - uniformInt(rng, 0, 5));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let i = 0; i < 300; i++) m.sent(i % 3, Math.floor(i / 3) + 1);
    for (const [k, i] of order.entries()) {
      if (k % 2 === 0) m.seen(i % 3, Math.floor(i / 3) + 1);
      m.accepted(i % 3, Math.floor(i / 3) + 1);
      if (k % 2 === 1) m.seen(i % 3, Math.floor(i / 3) + 1);
      expect(invariantHolds(counts(m))).toBe(true);
    }
    m.finish();
    const c = counts(m);
    expect({ ...c, reordered: 0 }).toEqual({ ...ZERO, accepted: 300, seen: 300 });
  });
});

describe('DeliveryMatcher: classification of single sightings', () => {
  it.each([
    ['vehicle out of range', 3, 1],
    ['negative vehicle', -1, 1],
    ['fractional vehicle', 0.5, 1],
    ['seq 0', 0, 0],
    ['negative seq', 0, -3],
    ['fractional seq', 0, 1.5],
    ['NaN seq', 0, Number.NaN],
    ['seq beyond the highest sent', 0, 6],
    ['seq beyond 32 bits', 0, 2 ** 32],
  ])('%s → unexpected, nothing else', (_name, v, seq) => {
    const m = new DeliveryMatcher({ vehicles: 3 });
    acceptRange(m, 0, 1, 5);
    expect(m.seen(v, seq)).toBe(SEEN.unexpected);
    expect(counts(m)).toEqual({ ...ZERO, accepted: 5, pending: 5, unexpected: 1 });
  });

  it('late: a sighting after the window passed — counted lost earlier, or a late duplicate', () => {
    const m = new DeliveryMatcher({ vehicles: 1, window: 8 });
    acceptRange(m, 0, 1, 5);
    for (let s = 1; s <= 5; s++) expect(m.seen(0, s)).toBe(SEEN.first);
    acceptRange(m, 0, 6, 20); // base moves to 13: 6..12 were accepted, never seen
    expect(counts(m)).toEqual({ ...ZERO, accepted: 20, seen: 5, lost: 7, pending: 8 });
    expect(m.lostExamples()).toEqual([6, 7, 8, 9, 10, 11, 12].map((seq) => ({ vehicle: 0, seq })));
    expect(m.seen(0, 7)).toBe(SEEN.late); // lost earlier
    expect(m.seen(0, 3)).toBe(SEEN.late); // a duplicate of one seen before the window moved
    expect(counts(m)).toEqual({ ...ZERO, accepted: 20, seen: 5, lost: 7, pending: 8, late: 2 });
    m.accepted(0, 4); // an ok outcome after its seq left the window cannot be matched
    expect(counts(m).acceptedAfterWindow).toBe(1);
  });

  it('sent but failed, seen anyway → seenNotAccepted; a sighting before its ok outcome moves to seen', () => {
    const m = new DeliveryMatcher({ vehicles: 1 });
    for (let s = 1; s <= 5; s++) m.sent(0, s);
    for (const s of [1, 2, 4]) m.accepted(0, s);
    expect([1, 2, 3, 4].map((s) => m.seen(0, s))).toEqual([SEEN.first, SEEN.first, SEEN.first | SEEN.notAccepted, SEEN.first]);
    expect(m.seen(0, 5)).toBe(SEEN.first | SEEN.notAccepted);
    expect(counts(m)).toEqual({ ...ZERO, accepted: 3, seen: 3, seenNotAccepted: 2 });
    m.accepted(0, 5);
    m.finish();
    expect(counts(m)).toEqual({ ...ZERO, accepted: 4, seen: 4, seenNotAccepted: 1 });
  });

  it('duplicated and reordered are flagged once per message', () => {
    const m = new DeliveryMatcher({ vehicles: 1 });
    acceptRange(m, 0, 1, 4);
    expect([1, 4, 2, 2, 3, 4].map((s) => m.seen(0, s))).toEqual([SEEN.first, SEEN.first, SEEN.first | SEEN.reordered, SEEN.duplicated, SEEN.first | SEEN.reordered, SEEN.duplicated]);
    expect(counts(m)).toEqual({ ...ZERO, accepted: 4, seen: 4, duplicated: 2, reordered: 2 });
  });

  it('a big jump evicts the whole window at once and moves the base', () => {
    const m = new DeliveryMatcher({ vehicles: 1000, window: 8 });
    acceptRange(m, 0, 1, 6);
    m.seen(0, 1);
    m.seen(0, 2);
    const started = performance.now();
    for (let v = 0; v < 1000; v++) acceptRange(m, v, MAX_SEQ, MAX_SEQ);
    expect(performance.now() - started).toBeLessThan(1000); // a loop per skipped seq would take minutes
    expect(counts(m)).toEqual({ ...ZERO, accepted: 1006, seen: 2, lost: 4, pending: 1000 });
    expect(m.lostExamples()).toEqual([3, 4, 5, 6].map((seq) => ({ vehicle: 0, seq })));
    expect(m.seen(0, 5)).toBe(SEEN.late);
    expect(m.seen(0, MAX_SEQ - 8)).toBe(SEEN.late); // the window is MAX_SEQ-7 .. MAX_SEQ
    expect(m.seen(0, MAX_SEQ - 3)).toBe(SEEN.first | SEEN.notAccepted);
    expect(m.seen(0, MAX_SEQ)).toBe(SEEN.first);
    expect(m.seen(0, MAX_SEQ - 1)).toBe(SEEN.first | SEEN.notAccepted | SEEN.reordered);
  });

  it(`keeps the first ${LOST_EXAMPLES} lost examples only`, () => {
    const m = new DeliveryMatcher({ vehicles: 10, window: 32 });
    for (let v = 0; v < 10; v++) acceptRange(m, v, 1, 10);
    m.finish();
    expect(counts(m)).toEqual({ ...ZERO, accepted: 100, lost: 100 });
    expect(m.lostExamples()).toEqual([...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]].map((seq, i) => ({ vehicle: i < 10 ? 0 : 1, seq })));
    expect(m.seen(0, 3)).toBe(SEEN.late); // after finish, every seq sent is resolved
    expect(m.seen(0, 11)).toBe(SEEN.unexpected);
  });
});

/** The reference: per-seq loops over a Set of keys, the same window rules, no bit tricks. */
class Reference {
  readonly base: number[];
  readonly hs: number[];
  readonly hseen: number[];
  readonly acc = new Set<number>();
  readonly saw = new Set<number>();
  readonly c = { ...ZERO };
  readonly lost: Array<{ vehicle: number; seq: number }> = [];
  constructor(readonly V: number, readonly W: number) {
    this.base = new Array<number>(V).fill(1);
    this.hs = new Array<number>(V).fill(0);
    this.hseen = new Array<number>(V).fill(0);
  }
  key = (v: number, s: number): number => s * this.V + v;
  slideTo(v: number, nb: number): void {
    for (let s = this.base[v]; s < nb; s++) {
      const k = this.key(v, s);
      if (this.acc.has(k) && !this.saw.has(k)) [this.c.lost, this.c.pending] = [this.c.lost + 1, this.c.pending - 1];
      if (this.acc.has(k) && !this.saw.has(k) && this.lost.length < LOST_EXAMPLES) this.lost.push({ vehicle: v, seq: s });
      this.acc.delete(k);
      this.saw.delete(k);
    }
    this.base[v] = Math.max(this.base[v], nb);
  }
  sent(v: number, s: number): void {
    this.hs[v] = Math.max(this.hs[v], s);
  }
  accepted(v: number, s: number): void {
    this.hs[v] = Math.max(this.hs[v], s);
    if (s < this.base[v]) return void this.c.acceptedAfterWindow++;
    this.slideTo(v, s - this.W + 1);
    if (this.acc.has(this.key(v, s))) return;
    this.acc.add(this.key(v, s));
    this.c.accepted++;
    if (this.saw.has(this.key(v, s))) [this.c.seen, this.c.seenNotAccepted] = [this.c.seen + 1, this.c.seenNotAccepted - 1];
    else this.c.pending++;
  }
  seen(v: number, s: number): void {
    if (!Number.isInteger(v) || v < 0 || v >= this.V || !Number.isInteger(s) || s < 1 || s > this.hs[v]) return void this.c.unexpected++;
    if (s < this.base[v]) return void this.c.late++;
    this.slideTo(v, s - this.W + 1);
    if (this.saw.has(this.key(v, s))) return void this.c.duplicated++;
    this.saw.add(this.key(v, s));
    if (s < this.hseen[v]) this.c.reordered++;
    this.hseen[v] = Math.max(this.hseen[v], s);
    if (this.acc.has(this.key(v, s))) [this.c.seen, this.c.pending] = [this.c.seen + 1, this.c.pending - 1];
    else this.c.seenNotAccepted++;
  }
  finish(): void {
    for (let v = 0; v < this.V; v++) {
      this.slideTo(v, this.base[v] + this.W);
      this.base[v] = this.hs[v] + 1;
    }
  }
}

describe('DeliveryMatcher: property — matches a per-seq reference, invariant at every step', () => {
  const V = 3;
  type Op = ['sent' | 'accepted' | 'seen' | 'jump', number, number];
  /** (kind, vehicle 0..4V — 4V is out of range for `seen`, offset d from the vehicle's next seq). */
  const op: fc.Arbitrary<Op> = fc.tuple(
    fc.oneof({ arbitrary: fc.constantFrom('sent', 'accepted', 'seen'), weight: 40 }, { arbitrary: fc.constant('jump'), weight: 1 }),
    fc.integer({ min: 0, max: 4 * V }),
    fc.integer({ min: -24, max: 3 }),
  ) as fc.Arbitrary<Op>;
  /** Mostly a few seqs behind the next one (-4..+1), sometimes 13..24 behind (past a small window). */
  const near = (d: number): number => (d < -12 ? d : Math.trunc(d / 3));
  /** Turns an op into a call: sends move each vehicle's next seq on (with a rare jump of 40). */
  function toCall([kind, v, d]: Op, next: number[]): ['sent' | 'accepted' | 'seen', number, number] {
    if (kind === 'seen') return v === 4 * V ? ['seen', V, 1] : ['seen', v % V, next[v % V] + near(d)];
    const w = v % V;
    if (kind === 'accepted') return ['accepted', w, Math.max(1, next[w] + Math.min(0, near(d)))];
    next[w] += kind === 'jump' ? 40 : 1;
    return ['sent', w, next[w]];
  }
  it.each([8, 16, 64])('window %i', (window) => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 400 }), (ops) => {
        const m = new DeliveryMatcher({ vehicles: V, window });
        const r = new Reference(V, window);
        const next = new Array<number>(V).fill(0);
        let sightings = 0;
        for (const o of ops) {
          const [kind, v, seq] = toCall(o, next);
          if (kind === 'seen') sightings++;
          m[kind](v, seq);
          r[kind](v, seq);
          const c = counts(m);
          expect(c).toEqual(r.c);
          expect(invariantHolds(c)).toBe(true);
          expect(c.seen + c.seenNotAccepted + c.duplicated + c.late + c.unexpected).toBe(sightings);
        }
        m.finish();
        r.finish();
        expect(counts(m)).toEqual({ ...r.c, pending: 0 });
        expect(m.lostExamples()).toEqual(r.lost);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
