/**
 * VIN-like vehicle ids (ISO 3779 shape): 17 characters from the VIN alphabet (digits and
 * capital letters except I, O, Q), laid out as
 *   WMI (3, a real maker prefix) · VDS (5) · check digit (1, valid per ISO 3779 / NA rules)
 *   · model year (1, 2010–2025) · plant (1) · serial (6).
 * The serial encodes the vehicle index through a seeded bijection of 0 .. 33^6-1, so ids are
 * unique per index within a fleet (for any index below 2^24, so that `index * mul + add` is exact
 * in a double: 2^24 × 2^28 = 2^52) and differ between seeds.
 * Ids are computed on demand (indicative: ~0.3 µs each, measured once); nothing is stored per vehicle.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { hash2 } from './hash.js';

/** The 33 characters a VIN may use. */
export const VIN_ALPHABET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
/** Matches the shape of a VIN (not the check digit). */
export const VIN_PATTERN = /^[0-9A-HJ-NPR-Z]{17}$/;

const BASE = VIN_ALPHABET.length; // 33
const SERIAL_SPACE = BASE ** 6; // 1,291,467,969

/** ISO 3779 weights by position; position 9 is the check digit itself. */
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** Model-year codes for 2010 … 2025. */
const YEAR_CODES = 'ABCDEFGHJKLMNPRS';
/** Makers of trucks and vans common in Nordic fleets (Scania, Volvo, MAN, DAF, Mercedes-Benz, …). */
const WMIS = ['YS2', 'YV2', 'YV1', 'WMA', 'XLR', 'WDB', 'WF0', 'VF1', 'WV1', 'VF6', 'ZCF', 'TMB'];
const PREFIXES = 64;
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const LETTER_VALUES = [1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 7, 9, 2, 3, 4, 5, 6, 7, 8, 9];
const DIGITS = '0123456789';

/** Transliterated value of a VIN character (ISO 3779): digits as themselves, letters 1–9. */
function vinCharValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 48 && code <= 57) return code - 48;
  const i = LETTERS.indexOf(c);
  if (i < 0 || c.length !== 1) throw new RangeError(`not a VIN character: ${JSON.stringify(c)}`);
  return LETTER_VALUES[i];
}

/** The check digit ('0'–'9' or 'X') for a 17-character VIN; position 9 is ignored. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += vinCharValue(vin[i]) * WEIGHTS[i];
  const r = sum % 11;
  return r === 10 ? 'X' : String(r);
}

/** True for a 17-character VIN-alphabet string whose check digit is right. */
export function isValidVin(vin: string): boolean {
  return VIN_PATTERN.test(vin) && vin[8] === vinCheckDigit(vin);
}

/** Maps a vehicle index to its VIN; a pure function of (seed, index). */
export type VinEncoder = (index: number) => string;

/** Builds the encoder for one seed: 64 maker/model prefixes and the serial bijection. */
export function createVinEncoder(salt: number): VinEncoder {
  const rng = xoroshiro128plus(salt | 0);
  const prefixes: string[] = [];
  const prefixSums = new Uint16Array(PREFIXES);
  for (let p = 0; p < PREFIXES; p++) {
    let prefix = WMIS[uniformInt(rng, 0, WMIS.length - 1)];
    for (let i = 0; i < 5; i++) prefix += VIN_ALPHABET[uniformInt(rng, 0, BASE - 1)];
    prefixes.push(prefix);
    for (let i = 0; i < 8; i++) prefixSums[p] += vinCharValue(prefix[i]) * WEIGHTS[i];
  }
  // Serial bijection s = (index * mul + add) mod 33^6; mul must share no factor with 33 = 3·11.
  let mul = uniformInt(rng, 1 << 26, (1 << 28) - 1);
  while (mul % 3 === 0 || mul % 11 === 0) mul++;
  const add = uniformInt(rng, 0, SERIAL_SPACE - 1);
  const values = Array.from(VIN_ALPHABET, vinCharValue);
  const yearValues = Array.from(YEAR_CODES, vinCharValue);

  return (index: number): string => {
    const h = hash2(salt, index);
    const p = h & (PREFIXES - 1);
    const year = (h >>> 6) & 15;
    const plant = (h >>> 10) % BASE;
    let serial = (index * mul + add) % SERIAL_SPACE;
    let sum = prefixSums[p] + yearValues[year] * 9 + values[plant] * 8;
    let tail = '';
    for (let pos = 16; pos >= 11; pos--) {
      const d = serial % BASE;
      serial = (serial - d) / BASE;
      sum += values[d] * WEIGHTS[pos];
      tail = VIN_ALPHABET[d] + tail;
    }
    const r = sum % 11;
    return prefixes[p] + (r === 10 ? 'X' : DIGITS[r]) + YEAR_CODES[year] + VIN_ALPHABET[plant] + tail;
  };
}
