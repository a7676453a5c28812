/**
 * End-to-end delivery matcher: compares what the pipeline accepted (the engine's ok outcomes)
 * with what an output consumer read back from it, by (vehicle, seq). Pure code: no I/O, no
 * timers, no allocation per message. Memory is bounded by the fleet size, never by run length.
 *
 * Model. Vehicles are 0 .. vehicles-1; each vehicle's seqs are 1, 2, 3, … with no gaps. Per
 * vehicle the matcher keeps a window of `window` seqs [b, b + window) (b, the base, is the lowest
 * seq not yet resolved) with two bitmaps over it, `accepted` and `seen`, plus the highest seq
 * sent and the highest seq seen. When a call needs a seq >= b + window, the window slides
 * forward: each evicted seq that was accepted and never seen counts as `lost`. Choose `window`
 * larger than one vehicle's messages in flight plus the pipeline's delay, in messages of that
 * vehicle (e.g. a 60 s delay at one message a second needs >= 64).
 *
 * Classification of a sighting (`seen`), in this order:
 * - `unexpected`: vehicle out of range, seq not an integer >= 1, or seq above the highest seq
 *   sent to that vehicle so far (never sent by this run);
 * - `late`: seq below the window's base — already resolved. Ambiguous by construction: it was
 *   either counted lost when the window passed it (the pipeline was slower than the window), or
 *   is a duplicate of a message seen before the window moved, or was first seen only now. A late
 *   sighting is never subtracted from `lost`;
 * - `duplicated`: its seen bit is already set (at-least-once redelivery);
 * - otherwise a first sighting: `seen` when the message was accepted, else `seenNotAccepted`
 *   (sent but its outcome failed or is not in yet; an ok outcome arriving later moves it to
 *   `seen`). It is also `reordered` when seq < the vehicle's highest seq seen so far.
 *
 * Invariant, at any time: accepted = seen + lost + pending.
 */

/** Seqs tracked per vehicle when the caller names none. */
export const DEFAULT_WINDOW = 64;
export const MIN_WINDOW = 8;
export const MAX_WINDOW = 4096;
/** How many lost (vehicle, seq) examples are kept: the first ones evicted. */
export const LOST_EXAMPLES = 20;
/** Highest seq the matcher accepts from `sent`/`accepted` (per-vehicle counters are 32-bit). */
export const MAX_SEQ = 0xffff_fffe;

/**
 * Flags returned by `seen`: a first sighting is `first`, possibly with `reordered` and/or
 * `notAccepted`; the other three come alone.
 */
export const SEEN = { first: 1, reordered: 2, notAccepted: 4, duplicated: 8, late: 16, unexpected: 32 } as const;

export interface DeliveryMatcherOptions {
  /** Fleet size: vehicles are 0 .. vehicles-1 (integer >= 1). */
  readonly vehicles: number;
  /** Seqs tracked per vehicle: a power of two in 8 .. 4096 (default 64). */
  readonly window?: number;
}

/** Message counts (plain numbers, not bytes). accepted = seen + lost + pending. */
export interface DeliveryCounts {
  /** Ok outcomes tracked by the window (distinct messages). */
  readonly accepted: number;
  /** First sightings of accepted messages. */
  readonly seen: number;
  /** Sightings of a message whose seen bit was already set. */
  readonly duplicated: number;
  /** First sightings with seq below the vehicle's highest seq seen before. */
  readonly reordered: number;
  /** Sightings of a message this run never sent (or of a vehicle out of range). */
  readonly unexpected: number;
  /** Sightings below the window's base (lost earlier, or a late duplicate: ambiguous). */
  readonly late: number;
  /** First sightings of messages sent but not (yet) accepted. */
  readonly seenNotAccepted: number;
  /** Accepted messages that left the window (or were there at `finish`) unseen. */
  readonly lost: number;
  /** Accepted, not yet seen, still in the window. */
  readonly pending: number;
  /** Ok outcomes that came after their seq had left the window: not matchable, not in `accepted`. */
  readonly acceptedAfterWindow: number;
}

export interface LostExample {
  readonly vehicle: number;
  readonly seq: number;
}

function assertOptions(vehicles: number, window: number): void {
  if (!Number.isInteger(vehicles) || vehicles < 1 || vehicles > 0xffff_ffff) {
    throw new RangeError(`vehicles must be an integer >= 1, got ${vehicles}`);
  }
  if (!Number.isInteger(window) || window < MIN_WINDOW || window > MAX_WINDOW || (window & (window - 1)) !== 0) {
    throw new RangeError(`window must be a power of two in ${MIN_WINDOW}..${MAX_WINDOW}, got ${window}`);
  }
}

/** 32-bit words per bitmap per vehicle. */
const wordsFor = (window: number): number => Math.ceil(window / 32);

/**
 * Bytes of state the matcher allocates for `vehicles` and `window`: per vehicle two bitmaps of
 * ceil(window/32) 32-bit words plus three 32-bit counters (base, highest sent, highest seen) —
 * 2·window/8 + 12 bytes for window >= 32. Object headers (< 1 KiB) are not counted.
 */
export function matcherBytes(vehicles: number, window: number = DEFAULT_WINDOW): number {
  assertOptions(vehicles, window);
  return vehicles * (2 * 4 * wordsFor(window) + 3 * 4) + 2 * 4 * LOST_EXAMPLES;
}

/** Set bits in a 32-bit integer. */
function popcount32(x: number): number {
  let y = x - ((x >>> 1) & 0x55555555);
  y = (y & 0x33333333) + ((y >>> 2) & 0x33333333);
  return Math.imul((y + (y >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

export class DeliveryMatcher {
  readonly vehicles: number;
  readonly window: number;
  private readonly mask: number;
  private readonly words: number;
  /** Bits of one word used by the ring: min(32, window). */
  private readonly span: number;
  private readonly base: Uint32Array;
  private readonly highSent: Uint32Array;
  private readonly highSeen: Uint32Array;
  private readonly acc: Uint32Array;
  private readonly saw: Uint32Array;
  private readonly exVehicle = new Uint32Array(LOST_EXAMPLES);
  private readonly exSeq = new Uint32Array(LOST_EXAMPLES);
  private exCount = 0;
  private nAccepted = 0;
  private nSeen = 0;
  private nDuplicated = 0;
  private nReordered = 0;
  private nUnexpected = 0;
  private nLate = 0;
  private nSeenNotAccepted = 0;
  private nLost = 0;
  private nPending = 0;
  private nAfterWindow = 0;

  constructor(options: DeliveryMatcherOptions) {
    const { vehicles, window = DEFAULT_WINDOW } = options;
    assertOptions(vehicles, window);
    this.vehicles = vehicles;
    this.window = window;
    this.mask = window - 1;
    this.words = wordsFor(window);
    this.span = Math.min(32, window);
    this.base = new Uint32Array(vehicles).fill(1);
    this.highSent = new Uint32Array(vehicles);
    this.highSeen = new Uint32Array(vehicles);
    this.acc = new Uint32Array(vehicles * this.words);
    this.saw = new Uint32Array(vehicles * this.words);
  }

  /** The engine handed (v, seq) to the target. Throws RangeError on a bad v or seq (a bug). */
  sent(v: number, seq: number): void {
    this.check(v, seq);
    if (seq > this.highSent[v]) this.highSent[v] = seq;
  }

  /**
   * The target accepted (v, seq) (an ok outcome), in any order within a vehicle; implies sent.
   * A second ok outcome for the same message is ignored. Throws RangeError on a bad v or seq.
   */
  accepted(v: number, seq: number): void {
    this.check(v, seq);
    if (seq > this.highSent[v]) this.highSent[v] = seq;
    const b = this.base[v];
    if (seq < b) {
      this.nAfterWindow++;
      return;
    }
    if (seq >= b + this.window) this.slide(v, seq - this.window + 1);
    const pos = seq & this.mask;
    const i = v * this.words + (pos >>> 5);
    const bit = 1 << (pos & 31);
    if ((this.acc[i] & bit) !== 0) return;
    this.acc[i] |= bit;
    this.nAccepted++;
    if ((this.saw[i] & bit) !== 0) {
      this.nSeen++;
      this.nSeenNotAccepted--;
    } else {
      this.nPending++;
    }
  }

  /**
   * The consumer read (v, seq) from the pipeline's output: any values (untrusted input). Returns
   * the SEEN flags of this sighting (see the module comment for the order of classification).
   */
  seen(v: number, seq: number): number {
    if ((v >>> 0) !== v || v >= this.vehicles || (seq >>> 0) !== seq || seq === 0 || seq > this.highSent[v]) {
      this.nUnexpected++;
      return SEEN.unexpected;
    }
    const b = this.base[v];
    if (seq < b) {
      this.nLate++;
      return SEEN.late;
    }
    if (seq >= b + this.window) this.slide(v, seq - this.window + 1);
    const pos = seq & this.mask;
    const i = v * this.words + (pos >>> 5);
    const bit = 1 << (pos & 31);
    if ((this.saw[i] & bit) !== 0) {
      this.nDuplicated++;
      return SEEN.duplicated;
    }
    this.saw[i] |= bit;
    let kind: number = SEEN.first;
    if (seq < this.highSeen[v]) {
      this.nReordered++;
      kind |= SEEN.reordered;
    } else {
      this.highSeen[v] = seq;
    }
    if ((this.acc[i] & bit) !== 0) {
      this.nSeen++;
      this.nPending--;
    } else {
      this.nSeenNotAccepted++;
      kind |= SEEN.notAccepted;
    }
    return kind;
  }

  /**
   * End of the drain: every accepted, unseen message still in a window is lost. The windows are
   * then empty and start after the highest seq sent, so a later sighting of a seq this run sent
   * is `late`. O(vehicles × window / 32).
   */
  finish(): void {
    for (let v = 0; v < this.vehicles; v++) {
      this.evict(v, this.base[v], this.window);
      this.base[v] = this.highSent[v] + 1;
    }
  }

  counts(): DeliveryCounts {
    return {
      accepted: this.nAccepted,
      seen: this.nSeen,
      duplicated: this.nDuplicated,
      reordered: this.nReordered,
      unexpected: this.nUnexpected,
      late: this.nLate,
      seenNotAccepted: this.nSeenNotAccepted,
      lost: this.nLost,
      pending: this.nPending,
      acceptedAfterWindow: this.nAfterWindow,
    };
  }

  /** Up to LOST_EXAMPLES lost messages, in the order they were counted lost. */
  lostExamples(): LostExample[] {
    const out: LostExample[] = [];
    for (let k = 0; k < this.exCount; k++) out.push({ vehicle: this.exVehicle[k], seq: this.exSeq[k] });
    return out;
  }

  private check(v: number, seq: number): void {
    if ((v >>> 0) !== v || v >= this.vehicles) throw new RangeError(`vehicle must be an integer in 0..${this.vehicles - 1}, got ${v}`);
    if ((seq >>> 0) !== seq || seq === 0 || seq > MAX_SEQ) throw new RangeError(`seq must be an integer in 1..${MAX_SEQ}, got ${seq}`);
  }

  /** Moves v's base up to newBase (> base): evicts at most one window, whatever the jump. */
  private slide(v: number, newBase: number): void {
    const b = this.base[v];
    const k = newBase - b;
    this.evict(v, b, k < this.window ? k : this.window);
    this.base[v] = newBase;
  }

  /**
   * Clears `count` (1 .. window) ring slots of vehicle v starting at seq `from`, a word-chunk at a
   * time, counting the accepted-and-unseen ones as lost. O(count / 32 + 1), allocation-free.
   */
  private evict(v: number, from: number, count: number): void {
    const row = v * this.words;
    let pos = from & this.mask;
    let seq = from;
    let left = count;
    while (left > 0) {
      const off = pos & 31;
      const n = Math.min(left, this.span - off);
      const m = (0xffffffff >>> (32 - n)) << off;
      const i = row + (pos >>> 5);
      const lostBits = this.acc[i] & ~this.saw[i] & m;
      if (lostBits !== 0) this.countLost(v, lostBits, seq - off);
      this.acc[i] &= ~m;
      this.saw[i] &= ~m;
      pos = (pos + n) & this.mask;
      seq += n;
      left -= n;
    }
  }

  /** Counts the set bits of one word as lost; bit j is seq seq0 + j of vehicle v. */
  private countLost(v: number, bits: number, seq0: number): void {
    const c = popcount32(bits);
    this.nLost += c;
    this.nPending -= c;
    let rest = bits;
    while (this.exCount < LOST_EXAMPLES && rest !== 0) {
      const low = rest & -rest;
      this.exVehicle[this.exCount] = v;
      this.exSeq[this.exCount] = seq0 + 31 - Math.clz32(low);
      this.exCount++;
      rest ^= low;
    }
  }
}
