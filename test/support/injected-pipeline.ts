import type { MessageSource } from '../../src/telemetry/message-source.js';

/** Which arrivals a loopback "pipeline" drops, duplicates, or swaps with its vehicle's next one (seeded rules). */
export interface InjectionRule {
  drop: (n: number) => boolean;
  dup: (n: number) => boolean;
  swap: (n: number) => boolean;
}

/** A seeded rule's hash of n in [0, 1): the expected counts are known exactly. */
export const injectionHash = (n: number): number => (Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0) / 2 ** 32;

/** Drops 1 %, duplicates 0.5 %, swaps 0.5 % of arrivals (disjoint by hash). */
export const STANDARD_INJECTION: InjectionRule = {
  drop: (n) => injectionHash(n) < 0.01,
  dup: (n) => injectionHash(n) >= 0.01 && injectionHash(n) < 0.015,
  swap: (n) => injectionHash(n) >= 0.5 && injectionHash(n) < 0.505,
};

export const NO_INJECTION: InjectionRule = { drop: () => false, dup: () => false, swap: () => false };

/**
 * The order the pipeline forwards arrivals 0..count-1 in: a dropped one never, a duplicated one
 * twice, a swapped one right after its vehicle's next message (a reorder within the vehicle).
 */
export function forwardedOrder(rule: InjectionRule, source: Pick<MessageSource, 'schedule'>, count: number): { out: number[]; swaps: number } {
  const out: number[] = [];
  const delayed = new Map<number, number>();
  let swaps = 0;
  for (let n = 0; n < count; n++) {
    if (rule.drop(n)) continue;
    const next = source.schedule.arrivalOf(source.schedule.vehicleAt(n), source.schedule.seqAt(n) + 1);
    if (rule.swap(n) && next < count && !rule.drop(next) && !rule.swap(next)) {
      delayed.set(next, n);
      swaps++;
      continue;
    }
    for (const m of [n, ...(delayed.has(n) ? [delayed.get(n)!] : [])]) {
      out.push(m);
      if (rule.dup(m)) out.push(m);
    }
  }
  return { out, swaps };
}
