/**
 * A vehicle's route: a circular loop of radius R that passes through its home, driven in one
 * direction at a speed that oscillates smoothly between 50 % and 100 % of a base speed.
 * Everything is closed-form in the vehicle's clock t (ms since the run's start), so the
 * position at any message is computed directly, with no state carried between messages, and
 * the speed, heading and distance reported are exactly consistent with the movement:
 *   speed(t)    = v · (0.75 + 0.25 · sin(ω t + φ))                     [km/h]
 *   distance(t) = ∫ speed = v · (0.75 t + 0.25 · (cos φ − cos(ω t + φ)) / ω)   [km]
 *   angle(t)    = α0 + dir · distance(t) / R, position = centre + R · (cos, sin)(angle)
 * So the straight-line distance between two points of a route is at most v · Δt.
 */
import { draw, unit } from './hash.js';
import { kmToLatDeg, kmToLonDeg } from './geo.js';

/** Bounds of the derived route parameters (the region bounds in geo.ts rely on them). */
export const ROUTE_LIMITS = {
  minRadiusKm: 1.5,
  maxRadiusKm: 20,
  minBaseSpeedKmh: 30,
  maxBaseSpeedKmh: 90,
  minPeriodMs: 5 * 60_000,
  maxPeriodMs: 15 * 60_000,
} as const;

/** Route parameters of one vehicle. Mutable so the hot path can refill one scratch object. */
export interface Route {
  /** Where the loop starts and ends (the vehicle's home), degrees. */
  homeLat: number;
  homeLon: number;
  /** Loop radius, km. */
  radiusKm: number;
  /** Angle of home seen from the loop's centre, radians, counter-clockwise from east. */
  startAngleRad: number;
  /** 1: counter-clockwise, -1: clockwise. */
  direction: number;
  /** Peak speed v, km/h. */
  baseSpeedKmh: number;
  /** Period of the speed oscillation, ms. */
  periodMs: number;
  /** Phase φ of the speed oscillation, radians. */
  phaseRad: number;
}

/** Where a vehicle is at a time t. Mutable, reused by the hot path. */
export interface RoutePoint {
  lat: number;
  lon: number;
  /** Instantaneous speed, km/h. */
  speedKmh: number;
  /** Compass heading, degrees in [0, 360), 0 = north, 90 = east. */
  headingDeg: number;
  /** Distance driven since t = 0, km (non-decreasing in t). */
  distanceKm: number;
}

export function newRoute(): Route {
  return { homeLat: 0, homeLon: 0, radiusKm: 1, startAngleRad: 0, direction: 1, baseSpeedKmh: 0, periodMs: 1, phaseRad: 0 };
}

export function newRoutePoint(): RoutePoint {
  return { lat: 0, lon: 0, speedKmh: 0, headingDeg: 0, distanceKm: 0 };
}

/**
 * Fills `out` with the route derived from a per-vehicle hash `h` (draws 16..21 of it) and the
 * vehicle's home. Pure in (h, home); allocates nothing.
 */
export function deriveRoute(h: number, homeLat: number, homeLon: number, out: Route): Route {
  const L = ROUTE_LIMITS;
  out.homeLat = homeLat;
  out.homeLon = homeLon;
  out.radiusKm = L.minRadiusKm + unit(draw(h, 16)) * (L.maxRadiusKm - L.minRadiusKm);
  out.startAngleRad = unit(draw(h, 17)) * 2 * Math.PI;
  out.direction = draw(h, 18) & 1 ? 1 : -1;
  out.baseSpeedKmh = L.minBaseSpeedKmh + unit(draw(h, 19)) * (L.maxBaseSpeedKmh - L.minBaseSpeedKmh);
  out.periodMs = L.minPeriodMs + unit(draw(h, 20)) * (L.maxPeriodMs - L.minPeriodMs);
  out.phaseRad = unit(draw(h, 21)) * 2 * Math.PI;
  return out;
}

/** Distance driven on `route` by time tMs (>= 0), km. */
function routeDistanceKm(route: Route, tMs: number): number {
  const w = (2 * Math.PI) / route.periodMs;
  const kmPerMs = route.baseSpeedKmh / 3_600_000;
  return kmPerMs * (0.75 * tMs + (0.25 * (Math.cos(route.phaseRad) - Math.cos(w * tMs + route.phaseRad))) / w);
}

/** Fills `out` with the position, speed, heading and distance at time tMs (>= 0). Allocates nothing. */
export function routeAt(route: Route, tMs: number, out: RoutePoint): RoutePoint {
  const w = (2 * Math.PI) / route.periodMs;
  const r = route.radiusKm;
  const d = routeDistanceKm(route, tMs);
  const a0 = route.startAngleRad;
  const a = a0 + (route.direction * d) / r;
  const eastKm = r * (Math.cos(a) - Math.cos(a0));
  const northKm = r * (Math.sin(a) - Math.sin(a0));
  out.lat = route.homeLat + kmToLatDeg(northKm);
  out.lon = route.homeLon + kmToLonDeg(eastKm, route.homeLat);
  out.speedKmh = route.baseSpeedKmh * (0.75 + 0.25 * Math.sin(w * tMs + route.phaseRad));
  // Tangent direction (math angle a ± 90°) turned into a compass bearing (90° − math angle).
  let heading = 90 - ((a + (route.direction * Math.PI) / 2) * 180) / Math.PI;
  heading %= 360;
  if (heading < 0) heading += 360;
  out.headingDeg = heading;
  out.distanceKm = d;
  return out;
}
