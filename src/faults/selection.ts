import type { FaultSelection } from '../scenario/faults-schema.js';
import type { TransformSubject } from '../telemetry/message-source.js';
import { hash2, hash3, TWO_POW_32 } from '../telemetry/hash.js';

/** Decides, per message, whether a fault touches it. Deterministic in (seed, fault name, message) except `count`, which takes the first N it is asked about. */
export type MessagePicker = (m: TransformSubject) => boolean;

/** A 32-bit salt from the run's seed and the fault's name: two faults pick different messages. */
export function faultSalt(seed: number, name: string): number {
  let h = seed >>> 0;
  for (let i = 0; i < name.length; i++) h = hash2(h, name.charCodeAt(i));
  return h;
}

/** The message's own 32-bit hash under `salt` (n may exceed 2^32: both halves count). */
export function messageHash(salt: number, n: number): number {
  return hash3(salt, Math.floor(n / TWO_POW_32) >>> 0, n >>> 0);
}

/**
 * The picker of a selection. `vehicles` (a share) picks vehicle v when its hash under the salt
 * falls below the share; `vehicleCount` picks exactly `count` vehicles: those whose place in a
 * seeded bijection of 0..fleetSize-1 (v ↦ (a·v + b) mod fleetSize, a coprime to fleetSize) is
 * below count. Both stay the same vehicles for the whole run.
 */
export function pickerOf(select: FaultSelection, salt: number, fleetSize: number): MessagePicker {
  switch (select.by) {
    case 'all':
      return () => true;
    case 'fraction': {
      const below = select.fraction * TWO_POW_32;
      return (m) => messageHash(salt, m.n) < below;
    }
    case 'count': {
      let left = select.count;
      return () => {
        if (left === 0) return false;
        left--;
        return true;
      };
    }
    case 'vehicles': {
      const below = select.fraction * TWO_POW_32;
      return (m) => hash2(salt, m.vehicleIndex) < below;
    }
    case 'vehicleCount': {
      const { a, b } = bijection(salt, fleetSize);
      const count = Math.min(select.count, fleetSize);
      return (m) => (a * m.vehicleIndex + b) % fleetSize < count;
    }
  }
}

/** a coprime to n, both below n (n ≤ 10,000,000, so a·v + b stays an exact integer). */
function bijection(salt: number, n: number): { a: number; b: number } {
  let a = 1 + (hash2(salt, 1) % Math.max(1, n - 1));
  while (gcd(a, n) !== 1) a = (a % n) + 1;
  return { a, b: hash2(salt, 2) % n };
}

function gcd(x: number, y: number): number {
  while (y !== 0) [x, y] = [y, x % y];
  return x;
}
