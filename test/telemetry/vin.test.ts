import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createVinEncoder, isValidVin, VIN_PATTERN, vinCheckDigit } from '../../src/telemetry/vin.js';

describe('VIN check digit', () => {
  it.each([
    ['1M8GDM9AXKP042788', 'X'], // the textbook example
    ['11111111111111111', '1'],
    ['1HGCM82633A004352', '3'],
  ])('%s → %s', (vin, digit) => {
    expect(vinCheckDigit(vin)).toBe(digit);
    expect(isValidVin(vin)).toBe(true);
  });

  it('rejects a wrong check digit and forbidden letters', () => {
    expect(isValidVin('1M8GDM9A1KP042788')).toBe(false);
    expect(isValidVin('1M8GDM9AXKP04278O')).toBe(false);
    expect(isValidVin('1M8GDM9AXKP04278')).toBe(false);
  });
});

describe('createVinEncoder', () => {
  const vin = createVinEncoder(12345);

  it('gives valid 17-character VINs with a real maker prefix', () => {
    for (const i of [0, 1, 2, 999, 65_535, 1_999_999, 9_999_999]) {
      const id = vin(i);
      expect(id).toMatch(VIN_PATTERN);
      expect(isValidVin(id)).toBe(true);
      expect(id.slice(0, 3)).toMatch(/^(YS2|YV2|YV1|WMA|XLR|WDB|WF0|VF1|WV1|VF6|ZCF|TMB)$/);
    }
  });

  it('is unique over the first 200,000 indices and the last ones of a 2,000,000 fleet', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(vin(i));
    for (let i = 1_900_000; i < 2_000_000; i++) seen.add(vin(i));
    expect(seen.size).toBe(300_000);
  });

  it('is the same every time for an index and differs between seeds', () => {
    expect(createVinEncoder(12345)(777)).toBe(vin(777));
    expect(createVinEncoder(54321)(777)).not.toBe(vin(777));
  });

  it('distinct indices never share a VIN (property)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 9_999_999 }), fc.integer({ min: 0, max: 9_999_999 }), (salt, a, b) => {
        const enc = createVinEncoder(salt);
        const va = enc(a);
        return isValidVin(va) && (a === b) === (va === enc(b));
      }),
    );
  });
});
