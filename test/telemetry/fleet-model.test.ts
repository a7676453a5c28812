import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createFleetModel, HOME_MAX_OFFSET_KM, newVehicleState } from '../../src/telemetry/fleet-model.js';
import { DEPOTS, haversineKm, REGION } from '../../src/telemetry/geo.js';
import { ROUTE_LIMITS } from '../../src/telemetry/route.js';
import { isValidVin } from '../../src/telemetry/vin.js';
import { fleetConfig } from './fleet-fixture.js';

/** Vehicles per fleet index over the first `sample` vehicles. */
function fleetShares(skew: number, fleets: number, sample = 20_000): number[] {
  const m = createFleetModel(fleetConfig({ vehicles: sample }, { skew, fleets, tenants: 1 }), 3);
  const counts = new Array<number>(fleets).fill(0);
  for (let i = 0; i < sample; i++) counts[m.fleetIndexOf(i)]++;
  return counts.map((c) => c / sample);
}

describe('createFleetModel', () => {
  it('derives the same vehicle every time, and another one under another seed', () => {
    const cfg = fleetConfig();
    const a = createFleetModel(cfg, 7);
    expect(createFleetModel(cfg, 7).vehicle(123)).toEqual(a.vehicle(123));
    expect(a.vehicle(123)).toEqual(a.vehicle(123));
    expect(createFleetModel(cfg, 8).vehicle(123)).not.toEqual(a.vehicle(123));
  });

  it('handles 2,000,000 vehicles without a per-vehicle object: fast to create, last vehicle works', () => {
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const m = createFleetModel(fleetConfig({ vehicles: 2_000_000 }), 1);
    expect(performance.now() - started).toBeLessThan(500);
    // An object per vehicle would be hundreds of MB; the model holds tables of fleets and tenants only.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(20 * 1024 * 1024);
    const v = m.vehicle(1_999_999);
    expect(v.index).toBe(1_999_999);
    expect(isValidVin(v.id)).toBe(true);
    expect(m.vehicleId(1_999_999)).toBe(v.id);
    expect(m.vehicleId(0)).not.toBe(v.id);
  });

  it.each([
    { skew: 0, check: (s: number[]) => s.every((p) => Math.abs(p - 1 / 50) < 0.01) },
    { skew: 1.2, check: (s: number[]) => s[0] > 5 / 50 && s[0] > 10 * s[49] },
  ])('Zipf skew $skew over 50 fleets', ({ skew, check }) => {
    expect(check(fleetShares(skew, 50))).toBe(true);
  });

  it('gives each fleet one tenant, the hot fleet the hot tenant, and exactly Zipf when tenants = fleets', () => {
    const m = createFleetModel(fleetConfig({ vehicles: 5000 }, { skew: 1.2, fleets: 40, tenants: 6 }), 11);
    const tenantOfFleet = new Map<number, number>();
    for (let i = 0; i < 5000; i++) {
      const f = m.fleetIndexOf(i);
      const t = m.tenantIndexOf(i);
      expect(tenantOfFleet.get(f) ?? t).toBe(t);
      tenantOfFleet.set(f, t);
    }
    expect(tenantOfFleet.get(0)).toBe(0);
    const same = createFleetModel(fleetConfig({ vehicles: 1000 }, { skew: 1.2, fleets: 9, tenants: 9 }), 11);
    for (let i = 0; i < 1000; i++) expect(same.tenantIndexOf(i)).toBe(same.fleetIndexOf(i));
  });

  it('names fleets and tenants by rank, zero-padded', () => {
    const m = createFleetModel(fleetConfig({}, { fleets: 120, tenants: 3 }), 1);
    expect([m.fleetId(0), m.fleetId(119), m.tenantId(2)]).toEqual(['fleet-001', 'fleet-120', 'tenant-03']);
  });

  it('places homes near a depot and keeps every position in the Nordic region (property)', () => {
    const m = createFleetModel(fleetConfig({ vehicles: 10_000_000 }, { fleets: 1000 }), 5);
    const s = newVehicleState();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), fc.double({ min: 0, max: 30 * 86_400_000, noNaN: true }), (i, tMs) => {
        const v = m.vehicle(i);
        const nearDepot = DEPOTS.some((d) => haversineKm(d, v.home) <= HOME_MAX_OFFSET_KM * 1.01);
        const p = m.stateAt(i, tMs, s).point;
        const inRegion = p.lat > REGION.minLat && p.lat < REGION.maxLat && p.lon > REGION.minLon && p.lon < REGION.maxLon;
        const fromHome = haversineKm(v.home, p);
        return nearDepot && inRegion && fromHome <= 2 * v.route.radiusKm * 1.02 + 0.01 && p.headingDeg >= 0 && p.headingDeg < 360;
      }),
    );
  });

  it('moves plausibly: distance between two times <= top speed × elapsed, odometer matches, fuel and trips in range', () => {
    const m = createFleetModel(fleetConfig({ vehicles: 1000 }), 2);
    const a = newVehicleState();
    const b = newVehicleState();
    for (let i = 0; i < 1000; i += 37) {
      const v = m.vehicle(i);
      for (let t = 0; t < 3_600_000; t += 60_000) {
        const dt = 500 + (i % 5) * 1000; // ms between two messages
        m.stateAt(i, t, a);
        const pa = { lat: a.point.lat, lon: a.point.lon };
        m.stateAt(i, t + dt, b);
        const maxKm = (v.route.baseSpeedKmh * dt) / 3_600_000;
        expect(haversineKm(pa, b.point)).toBeLessThanOrEqual(maxKm * 1.02 + 1e-6);
        expect(b.odometerKm - a.odometerKm).toBeCloseTo(b.point.distanceKm - a.point.distanceKm, 9);
        expect(b.odometerKm).toBeGreaterThan(a.odometerKm);
        expect(b.point.speedKmh).toBeGreaterThanOrEqual(0.5 * v.route.baseSpeedKmh - 1e-9);
        expect(b.point.speedKmh).toBeLessThanOrEqual(ROUTE_LIMITS.maxBaseSpeedKmh);
        expect(b.fuelPct).toBeGreaterThanOrEqual(10);
        expect(b.fuelPct).toBeLessThanOrEqual(100);
        expect(b.tripNumber).toBeGreaterThanOrEqual(a.tripNumber);
      }
    }
  });

  it('heading points along the movement', () => {
    const m = createFleetModel(fleetConfig({ vehicles: 100 }), 4);
    const a = newVehicleState();
    const b = newVehicleState();
    for (let i = 0; i < 100; i++) {
      m.stateAt(i, 600_000, a);
      const { lat, lon, headingDeg } = a.point;
      m.stateAt(i, 601_000, b); // 1 s later: a few metres along the tangent
      const bearing = (Math.atan2((b.point.lon - lon) * Math.cos((lat * Math.PI) / 180), b.point.lat - lat) * 180) / Math.PI;
      const diff = Math.abs((((bearing - headingDeg) % 360) + 540) % 360 - 180);
      expect(diff).toBeLessThan(2);
    }
  });
});
