import type { MessageBody } from './payload.js';

/**
 * Resolved fleet configuration (units: ms for durations, bytes for sizes). The bounds the fleet
 * model accepts are FLEET_LIMITS in fleet-config.ts; the scenario validator enforces them.
 */
export interface FleetConfig {
  /** Number of vehicles, 1 .. 10,000,000. Vehicles are derived from the seed on demand. */
  vehicles: number;
  /**
   * Per-vehicle reporting interval in ms, 1 <= minMs <= maxMs. Every vehicle reports once per
   * round of `vehicles` arrivals; at the fleet rate (vehicles / mean cadence) the interval between
   * two of its messages falls in [minMs, maxMs] (the jitter). See schedule.ts.
   */
  cadence: { minMs: number; maxMs: number };
  /** Relative weights (>= 0, sum > 0) of message kinds; they need not sum to 1. */
  mix: { telemetry: number; tripStart: number; tripEnd: number; harshBraking: number; geofence: number; diagnostic: number };
  /** Size in bytes of a diagnostic dump's `dump` field (exactly; the whole body is ~300 bytes more). */
  diagnosticBytes: number;
  partitionKey: {
    strategy: 'vin' | 'fleet' | 'tenant' | 'constant';
    /** Zipf exponent s >= 0 of the skew; 0 is uniform. */
    skew: number;
    /** How many fleets / tenants the vehicles belong to (each fleet belongs to one tenant). */
    fleets: number;
    tenants: number;
  };
}

export type MessageKind = 'telemetry' | 'trip_start' | 'trip_end' | 'harsh_braking' | 'geofence' | 'diagnostic';


/** One generated message, ready to send. */
export interface OutMessage {
  /** Unique per (seed, arrival number). */
  messageId: string;
  vehicleId: string;
  /** Vehicle index 0 .. vehicles-1 (not sent; for partitioning and accounting). */
  vehicleIndex: number;
  /** Per-vehicle sequence number, 1-based, increasing by 1 per message of that vehicle (no gaps). */
  seq: number;
  kind: MessageKind;
  partitionKey: string;
  /**
   * What goes on the wire: by default the JSON document (UTF-8 text) of `fields`; in the user's
   * shape when the scenario has a payload template or module — text, or bytes a module built.
   */
  body: string | Uint8Array;
  /**
   * The fleet's message as an object before any shaping: messageId, vehicleId, seq, sentAt
   * (epoch ms), schemaVersion 1, kind, fleetId, tenantId and the kind's fields (payload.ts).
   * What a target's per-message placeholders (URL path, headers, partition key) read. A fresh
   * object per message; nothing may change it.
   */
  fields: MessageBody;
}
