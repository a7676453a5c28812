/**
 * The message body: a plain object (schemaVersion 1) that `jsonBody` turns into one JSON document
 * per message — the built-in wire format. Fields, in order:
 *   messageId, vehicleId, seq, sentAt (epoch ms), schemaVersion: 1, kind, fleetId, tenantId,
 * then by kind (see the *Body types below):
 *   telemetry      position, engine
 *   trip_start/end tripId, position (speedKmh 0: the vehicle is standing)
 *   harsh_braking  decelMps2, position
 *   geofence       geofenceId, event 'enter' | 'exit', position
 *   diagnostic     dtcCodes (1–3 OBD-II codes), dump (diagnosticBytes characters)
 * Hot-path notes (figures indicative, measured once on a 2-core dev machine): the header object
 * gets the kind's fields assigned (an object spread cost ~2 µs more a message); DTC lists and the
 * dump are built once and shared; integers are used where the precision is not needed, since
 * formatting a fractional number cost about twice as much as an integer.
 */
import { createDiagnosticContent, DTC_LISTS } from './diagnostic-dump.js';
import { idNamer, type VehicleState } from './fleet-model.js';
import { draw, unit } from './hash.js';
import type { MessageKind } from './types.js';

/** Position as sent: degrees (5 decimals ≈ 1 m), km/h (integer), compass degrees 0..359 (integer, 0 = north). */
export interface PositionBody {
  lat: number;
  lon: number;
  speedKmh: number;
  headingDeg: number;
}

/** Engine readings: rpm (integer, follows speed), coolant °C (integer, 86–94), fuel % (1 decimal, 10–100), odometer km (1 decimal). */
export interface EngineBody {
  rpm: number;
  coolantC: number;
  fuelPct: number;
  odometerKm: number;
}

/** The common fields of every body (on the wire, schemaVersion follows sentAt). */
export type BodyHeader = MessageHeader & { schemaVersion: typeof SCHEMA_VERSION };
export type TelemetryBody = BodyHeader & { kind: 'telemetry'; position: PositionBody; engine: EngineBody };
/** tripId = `<vehicleId>-T<trip number>`; the trip number advances every tripLengthKm driven. */
export type TripBody = BodyHeader & { kind: 'trip_start' | 'trip_end'; tripId: string; position: PositionBody };
/** decelMps2: deceleration in m/s², 3.5–8.5, 1 decimal. */
export type HarshBrakingBody = BodyHeader & { kind: 'harsh_braking'; decelMps2: number; position: PositionBody };
export type GeofenceBody = BodyHeader & { kind: 'geofence'; geofenceId: string; event: 'enter' | 'exit'; position: PositionBody };
export type DiagnosticBody = BodyHeader & { kind: 'diagnostic'; dtcCodes: string[]; dump: string };
/** What `JSON.parse(message.body)` gives for a message of the MessageSource. */
export type MessageBody = TelemetryBody | TripBody | HarshBrakingBody | GeofenceBody | DiagnosticBody;

const SCHEMA_VERSION = 1 as const;
/** Number of distinct geofences (`geofence-01` … ); a power of two. */
const GEOFENCES = 64;

/** The per-message header fields. Mutable: the source refills one instance per message. */
export interface MessageHeader {
  messageId: string;
  vehicleId: string;
  seq: number;
  /** Epoch ms, written as given. */
  sentAt: number;
  kind: MessageKind;
  fleetId: string;
  tenantId: string;
}

/**
 * Builds the body object for a header and vehicle state; `h` is the message's 32-bit hash (its
 * draws). A fresh object every call: what serializes it (or reshapes it first) may keep it.
 */
export type BodyBuilder = (head: MessageHeader, state: VehicleState, h: number) => MessageBody;

/**
 * How a body object becomes what goes on the wire, in two steps: `shape` gives the message as the
 * pipeline will see it (an object that becomes JSON, or a text or bytes already final: a user's
 * hook may return those), `encode` writes it. Between the two the message source runs its
 * transforms (a fault's poison or schema drift), so what acts on the message acts on the shaped
 * object — the user's field paths — and never on re-parsed JSON.
 */
export interface BodyCodec {
  shape(body: MessageBody, head: MessageHeader): unknown;
  encode(shaped: unknown): string | Uint8Array;
}

/** Text and bytes as they are; anything else as one JSON document. */
export function encodeJson(shaped: unknown): string | Uint8Array {
  if (typeof shaped === 'string' || shaped instanceof Uint8Array) return shaped;
  return JSON.stringify(shaped);
}

/** The built-in wire format: the body object (schema v1) as one JSON document. */
export const jsonCodec: BodyCodec = { shape: (body) => body, encode: encodeJson };

/** Builds a body builder whose diagnostic dumps are `diagnosticBytes` long (built once, here). */
export function createBodyBuilder(diagnosticBytes: number, salt: number): BodyBuilder {
  const diag = createDiagnosticContent(diagnosticBytes, salt);
  const geofenceId = idNamer('geofence', GEOFENCES);

  return (m, s, h) => {
    const d = header(m);
    switch (m.kind) {
      case 'telemetry':
        d.position = position(s, s.point.speedKmh);
        d.engine = engine(s, h);
        break;
      case 'trip_start':
      case 'trip_end':
        d.tripId = `${m.vehicleId}-T${s.tripNumber}`;
        d.position = position(s, 0);
        break;
      case 'harsh_braking':
        d.decelMps2 = round1(3.5 + 5 * unit(draw(h, 3)));
        d.position = position(s, s.point.speedKmh);
        break;
      case 'geofence': {
        const g = draw(h, 4);
        d.geofenceId = geofenceId((g >>> 1) & (GEOFENCES - 1));
        d.event = g & 1 ? 'enter' : 'exit';
        d.position = position(s, s.point.speedKmh);
        break;
      }
      case 'diagnostic':
        d.dtcCodes = diag.dtcLists[draw(h, 5) & (DTC_LISTS - 1)];
        d.dump = diag.dump;
        break;
    }
    return d as unknown as MessageBody;
  };
}

/** The header as a fresh object the kind's fields are then added to (same property order every time). */
function header(m: MessageHeader): Record<string, unknown> {
  return {
    messageId: m.messageId,
    vehicleId: m.vehicleId,
    seq: m.seq,
    sentAt: m.sentAt,
    schemaVersion: SCHEMA_VERSION,
    kind: m.kind,
    fleetId: m.fleetId,
    tenantId: m.tenantId,
  };
}

function position(s: VehicleState, speedKmh: number): PositionBody {
  const p = s.point;
  const heading = Math.round(p.headingDeg);
  return { lat: round5(p.lat), lon: round5(p.lon), speedKmh: Math.round(speedKmh), headingDeg: heading >= 360 ? 0 : heading };
}

function engine(s: VehicleState, h: number): EngineBody {
  return {
    rpm: Math.round(650 + 22 * s.point.speedKmh + 200 * (unit(draw(h, 1)) - 0.5)),
    coolantC: Math.round(86 + 8 * unit(draw(h, 2))),
    fuelPct: round1(s.fuelPct),
    odometerKm: round1(s.odometerKm),
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;
const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;
