/**
 * Geography of the simulated fleet: Nordic depot cities and the small-distance maths that
 * turns km offsets into lat/lon. Units: degrees for lat/lon, km for distances.
 */

export interface LatLon {
  lat: number;
  lon: number;
}

/** Depots: the larger cities of Norway, Sweden, Denmark and Finland. Each fleet has one. */
export const DEPOTS: readonly LatLon[] = [
  { lat: 59.9139, lon: 10.7522 }, // Oslo
  { lat: 60.3913, lon: 5.3221 }, // Bergen
  { lat: 63.4305, lon: 10.3951 }, // Trondheim
  { lat: 58.97, lon: 5.7331 }, // Stavanger
  { lat: 59.3293, lon: 18.0686 }, // Stockholm
  { lat: 57.7089, lon: 11.9746 }, // Gothenburg
  { lat: 55.605, lon: 13.0038 }, // Malmö
  { lat: 59.8586, lon: 17.6389 }, // Uppsala
  { lat: 59.6099, lon: 16.5448 }, // Västerås
  { lat: 59.2753, lon: 15.2134 }, // Örebro
  { lat: 58.4108, lon: 15.6214 }, // Linköping
  { lat: 57.7826, lon: 14.1618 }, // Jönköping
  { lat: 63.8258, lon: 20.263 }, // Umeå
  { lat: 62.3908, lon: 17.3069 }, // Sundsvall
  { lat: 65.5848, lon: 22.1547 }, // Luleå
  { lat: 55.6761, lon: 12.5683 }, // Copenhagen
  { lat: 56.1629, lon: 10.2039 }, // Aarhus
  { lat: 55.4038, lon: 10.4024 }, // Odense
  { lat: 57.0488, lon: 9.9217 }, // Aalborg
  { lat: 60.1699, lon: 24.9384 }, // Helsinki
  { lat: 61.4978, lon: 23.761 }, // Tampere
  { lat: 60.4518, lon: 22.2666 }, // Turku
  { lat: 65.0121, lon: 25.4651 }, // Oulu
  { lat: 62.2426, lon: 25.7473 }, // Jyväskylä
  { lat: 62.8924, lon: 27.677 }, // Kuopio
];

/**
 * Bounding box that every generated position stays inside: the depots' box widened by the
 * largest home offset plus loop diameter (see fleet-model.ts), with margin.
 */
export const REGION = { minLat: 54.5, maxLat: 66.5, minLon: 3.5, maxLon: 29.5 } as const;

/** km per degree of latitude (and of longitude at the equator), spherical Earth. */
const KM_PER_DEG = 111.32;
const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Degrees of latitude per km north. */
export function kmToLatDeg(km: number): number {
  return km / KM_PER_DEG;
}

/** Degrees of longitude per km east at latitude `latDeg`. */
export function kmToLonDeg(km: number, latDeg: number): number {
  return km / (KM_PER_DEG * Math.cos(latDeg * RAD));
}

/** Great-circle distance in km between two points (haversine). */
export function haversineKm(a: LatLon, b: LatLon): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLon = (b.lon - a.lon) * RAD;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(s)));
}
