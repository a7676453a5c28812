/**
 * Picks a message kind from the fleet's `mix` weights: a pure function of a uniform draw u in
 * [0, 1), so the kind of arrival n is fixed by (seed, n). Allocation-free.
 */
import { MIX_KINDS } from './fleet-config.js';
import type { FleetConfig, MessageKind } from './types.js';

export interface KindPicker {
  /** The kind for u in [0, 1): kind k is picked with probability weight(k) / sum of weights. */
  pick(u: number): MessageKind;
  /** Normalised weight of `kind` (0 .. 1). */
  probability(kind: MessageKind): number;
}

/** Requires weights >= 0 with a positive finite sum (see assertFleetConfig). */
export function createKindPicker(mix: FleetConfig['mix']): KindPicker {
  const kinds = MIX_KINDS.map(([, kind]) => kind);
  const weights = MIX_KINDS.map(([key]) => mix[key]);
  const total = weights.reduce((a, w) => a + w, 0);
  if (!(total > 0) || !Number.isFinite(total)) throw new RangeError('mix: weights must have a positive finite sum');
  const cumulative = new Float64Array(kinds.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    cumulative[i] = acc;
  });
  // The last kind with a positive weight takes whatever rounding left at the top.
  const lastPositive = weights.reduce((last, w, i) => (w > 0 ? i : last), 0);
  cumulative.fill(Infinity, lastPositive);
  return {
    pick(u: number): MessageKind {
      let i = 0;
      while (u >= cumulative[i]) i++;
      return kinds[i];
    },
    probability(kind: MessageKind): number {
      const i = kinds.indexOf(kind);
      return i < 0 ? 0 : weights[i] / total;
    },
  };
}
