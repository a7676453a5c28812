/**
 * The fleet: vehicle i is a pure function of (seed, i), derived on demand from a stateless
 * hash, so a fleet of millions costs no memory per vehicle (only the fleet/tenant tables,
 * O(fleets + tenants)). Asking for vehicle i twice, or in another process with the same seed,
 * gives the same vehicle.
 *
 * Per vehicle: a VIN (vin.ts); a fleet drawn with Zipf skew `partitionKey.skew` over
 * `fleets` (fleet-1 is the hottest); the tenant of that fleet (each fleet belongs to exactly one
 * tenant; tenants are assigned to fleets by Zipf over `tenants` with the same skew, so tenant
 * shares are approximately Zipf, exactly so when tenants = fleets); a home within 25 km of its
 * fleet's depot city (geo.ts); a looping route (route.ts); odometer, tank range and trip length.
 */
import type { FleetConfig } from './types.js';
import { assertFleetConfig } from './fleet-config.js';
import { DEPOTS, kmToLatDeg, kmToLonDeg, type LatLon } from './geo.js';
import { draw, hash2, seedStreams, unit } from './hash.js';
import { deriveRoute, newRoute, newRoutePoint, routeAt, type Route, type RoutePoint } from './route.js';
import { createVinEncoder } from './vin.js';
import { createZipf } from './zipf.js';

/** Largest distance of a home from its fleet's depot, km. */
export const HOME_MAX_OFFSET_KM = 25;

/** A vehicle's fixed attributes. Built on request (allocates): for inspection, tests, reports. */
export interface Vehicle {
  index: number;
  /** VIN-like id, 17 characters. */
  id: string;
  fleetIndex: number;
  fleetId: string;
  tenantIndex: number;
  tenantId: string;
  home: LatLon;
  route: Route;
  /** Odometer at the start of the run, km. */
  odometerStartKm: number;
  /** Distance on a full tank, km (fuel runs from 100 % to 10 % over it, then refills). */
  tankRangeKm: number;
  /** Length of one trip, km (the trip number advances every tripLengthKm driven). */
  tripLengthKm: number;
}

/** A vehicle at one moment. Mutable: the hot path refills one instance per message. */
export interface VehicleState {
  index: number;
  id: string;
  fleetIndex: number;
  tenantIndex: number;
  point: RoutePoint;
  odometerKm: number;
  /** Fuel level, percent in [10, 100]. */
  fuelPct: number;
  /** 1-based number of the trip in progress. */
  tripNumber: number;
}

export interface FleetModel {
  readonly config: FleetConfig;
  /** The seed as given. */
  readonly seed: number;
  /** Number of vehicles. */
  readonly size: number;
  /** Id of fleet f (0 <= f < fleets): `fleet-01` …, ranked: fleet 0 is the hottest. */
  fleetId(f: number): string;
  /** Id of tenant t (0 <= t < tenants): `tenant-01` …, tenant 0 is the hottest. */
  tenantId(t: number): string;
  /** VIN of vehicle i (0 <= i < size). Allocates the string. */
  vehicleId(i: number): string;
  fleetIndexOf(i: number): number;
  tenantIndexOf(i: number): number;
  /** All fixed attributes of vehicle i, as a new object. */
  vehicle(i: number): Vehicle;
  /**
   * Fills `out` with vehicle i at time tMs (ms on the run's nominal clock, >= 0) and returns
   * it. Allocates only the id string.
   */
  stateAt(i: number, tMs: number, out: VehicleState): VehicleState;
}

export function newVehicleState(): VehicleState {
  return { index: 0, id: '', fleetIndex: 0, tenantIndex: 0, point: newRoutePoint(), odometerKm: 0, fuelPct: 100, tripNumber: 1 };
}

/** Builds the model. O(fleets + tenants) time and memory, independent of the vehicle count. */
export function createFleetModel(cfg: FleetConfig, seed: number): FleetModel {
  assertFleetConfig(cfg);
  const salts = seedStreams(seed);
  const { fleetZipf, fleetTenant, fleetDepot } = fleetTables(cfg, salts.depot);
  const vinOf = createVinEncoder(salts.vin);
  const fleetId = idNamer('fleet', cfg.partitionKey.fleets);
  const tenantId = idNamer('tenant', cfg.partitionKey.tenants);
  const scratch = newRoute();
  const hashOf = (i: number): number => hash2(salts.vehicle, i);
  const fleetOf = (i: number): number => fleetZipf.sample(unit(hashOf(i)));

  /** Fills `r` with the route of the vehicle with hash h in fleet f: home within HOME_MAX_OFFSET_KM of the depot. */
  function fillRoute(h: number, f: number, r: Route): Route {
    const depot = DEPOTS[fleetDepot[f]];
    const angle = unit(draw(h, 1)) * 2 * Math.PI;
    const dist = HOME_MAX_OFFSET_KM * Math.sqrt(unit(draw(h, 2))); // uniform over the disc
    const lat = depot.lat + kmToLatDeg(dist * Math.sin(angle));
    return deriveRoute(h, lat, depot.lon + kmToLonDeg(dist * Math.cos(angle), depot.lat), r);
  }

  return {
    config: cfg,
    seed,
    size: cfg.vehicles,
    fleetId,
    tenantId,
    vehicleId: vinOf,
    fleetIndexOf: fleetOf,
    tenantIndexOf: (i) => fleetTenant[fleetOf(i)],
    vehicle(i: number): Vehicle {
      const h = hashOf(i);
      const f = fleetOf(i);
      const route = fillRoute(h, f, newRoute());
      const t = fleetTenant[f];
      return {
        index: i,
        id: vinOf(i),
        fleetIndex: f,
        fleetId: fleetId(f),
        tenantIndex: t,
        tenantId: tenantId(t),
        home: { lat: route.homeLat, lon: route.homeLon },
        route,
        odometerStartKm: odometerStartKm(h),
        tankRangeKm: tankRangeKm(h),
        tripLengthKm: tripLengthKm(h),
      };
    },
    stateAt(i: number, tMs: number, out: VehicleState): VehicleState {
      const h = hashOf(i);
      const f = fleetOf(i);
      const p = routeAt(fillRoute(h, f, scratch), tMs, out.point);
      const tank = tankRangeKm(h);
      out.index = i;
      out.id = vinOf(i);
      out.fleetIndex = f;
      out.tenantIndex = fleetTenant[f];
      out.odometerKm = odometerStartKm(h) + p.distanceKm;
      out.fuelPct = 100 - (90 * ((p.distanceKm + fuelOffsetKm(h)) % tank)) / tank;
      out.tripNumber = Math.floor(p.distanceKm / tripLengthKm(h)) + 1;
      return out;
    },
  };
}

/**
 * Per-fleet tables: the Zipf over fleets, each fleet's tenant (the tenant whose Zipf CDF
 * interval holds the midpoint of the fleet's, so the hot fleet belongs to the hot tenant) and
 * each fleet's depot (hashed).
 */
function fleetTables(cfg: FleetConfig, depotSalt: number) {
  const { fleets, tenants, skew } = cfg.partitionKey;
  const fleetZipf = createZipf(fleets, skew);
  const tenantZipf = createZipf(tenants, skew);
  const fleetTenant = new Uint32Array(fleets);
  const fleetDepot = new Uint8Array(fleets);
  for (let f = 0; f < fleets; f++) {
    fleetTenant[f] = tenantZipf.sample((fleetZipf.cdf(f - 1) + fleetZipf.cdf(f)) / 2);
    fleetDepot[f] = hash2(depotSalt, f) % DEPOTS.length;
  }
  return { fleetZipf, fleetTenant, fleetDepot };
}

// Odometer, tank and trip parameters from the vehicle hash h (draws 3..6), in km.
const odometerStartKm = (h: number): number => 5_000 + 395_000 * unit(draw(h, 3));
const tankRangeKm = (h: number): number => 600 + 900 * unit(draw(h, 4));
/** How far into its tank the vehicle is at t = 0 (so fleets do not all start full). */
const fuelOffsetKm = (h: number): number => tankRangeKm(h) * unit(draw(h, 5));
const tripLengthKm = (h: number): number => 20 + 100 * unit(draw(h, 6));

/** Up to this many ids are built once into a table; past it each id is formatted on demand. */
const ID_TABLE_MAX = 65_536;

/** Names item i as `prefix-01` …, the number zero-padded to the width of `count` (at least 2 digits). */
export function idNamer(prefix: string, count: number): (i: number) => string {
  const width = Math.max(2, String(count).length);
  const name = (i: number): string => `${prefix}-${String(i + 1).padStart(width, '0')}`;
  if (count > ID_TABLE_MAX) return name;
  const table = Array.from({ length: count }, (_, i) => name(i));
  return (i) => table[i];
}
