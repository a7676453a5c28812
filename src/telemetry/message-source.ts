/**
 * The message source: arrival n (0-based) → one message, as a pure function of (seed, n) except
 * for the send time the caller passes in. Same seed and same n → same message (id, vehicle,
 * seq, kind, body) apart from `sentAt`.
 *
 * - Vehicle and seq: schedule.ts. Arrivals come in rounds of N = vehicles; each round is a
 *   seeded permutation of the vehicles, so vehicle v's k-th message is in round k - 1 and has
 *   seq k: consecutive, gap-free, 1-based.
 * - Vehicle clock: arrival n happens at n · meanCadenceMs / N ms on the run's nominal clock
 *   (exact when the run goes at the fleet rate); positions, odometer and fuel follow it, so
 *   consecutive messages of a vehicle are as far apart as its speed allows in that time.
 * - Kind: drawn from the mix weights by a hash of (seed, vehicle, seq) (a bijection of n).
 * - messageId: `<7 base-36 chars from the seed>-<n in base 36>`: unique per (seed, n); distinct
 *   32-bit seeds never share a prefix. Shards or workers sharing a seed must use disjoint n.
 *
 * Cost: a few µs of CPU a message (indicative: 3–5 µs measured once on a 2-core dev machine,
 * most of it building the body and JSON.stringify); allocations are the OutMessage, the body
 * object and its string, and a few short strings. Nothing is stored per vehicle, so
 * creating a source for 10 million vehicles takes milliseconds, as for ten.
 */
import { createFleetModel, newVehicleState, type FleetModel } from './fleet-model.js';
import { meanCadenceMs } from './fleet-rate.js';
import { hash3, mix32, normalizeSeed, seedStreams, unit } from './hash.js';
import { createKindPicker } from './message-kind.js';
import { partitionKeyOf } from './partition-key.js';
import { createBodyBuilder, jsonCodec, type BodyCodec, type MessageHeader } from './payload.js';
import { blockSizeFor, createRoundSchedule, type RoundSchedule } from './schedule.js';
import type { FleetConfig, MessageKind, OutMessage } from './types.js';

/** What a transform may read of the message it changes (valid only during the call). */
export interface TransformSubject {
  n: number;
  vehicleIndex: number;
  seq: number;
  kind: MessageKind;
  messageId: string;
}

/**
 * Changes a shaped message before it is encoded (a fault: poison, schema drift): returns the
 * value to encode instead — an object (JSON), or a text or bytes sent as they are. It must not
 * change `shaped` in place (with the built-in shape it is the message's `fields`, which targets
 * read for partition keys and URL paths): it returns a changed copy. Deterministic in
 * (seed, subject), so a run can be repeated.
 */
export type MessageTransform = (shaped: unknown, m: TransformSubject) => unknown;

export interface MessageSource {
  /** The seed as given. */
  readonly seed: number;
  readonly fleet: FleetModel;
  readonly schedule: RoundSchedule;
  /** Nominal time between two messages of one vehicle, ms (one round at the fleet rate). */
  readonly meanCadenceMs: number;
  /**
   * The message for arrival n (safe integer >= 0), stamped with `sentAtMs` (finite epoch ms,
   * written into the body as given). Any order of n works; the engine calls it with increasing
   * n. Not re-entrant: it reuses internal scratch objects, so use one source per thread.
   */
  next(n: number, sentAtMs: number): OutMessage;
  /**
   * Applied in order to every message between its shape and its encoding; the faults add theirs
   * and take them out again. Empty (the common case), it costs one length check a message.
   */
  readonly transforms: MessageTransform[];
}

/**
 * Builds a source. `codec` shapes each body object and encodes it (default: the built-in JSON
 * document). Throws RangeError for a config outside FLEET_LIMITS (fleet-config.ts).
 */
export function createMessageSource(cfg: FleetConfig, seed: number, codec: BodyCodec = jsonCodec): MessageSource {
  const fleet = createFleetModel(cfg, seed);
  const salts = seedStreams(seed);
  const N = cfg.vehicles;
  const schedule = createRoundSchedule(N, blockSizeFor(N, cfg.cadence.minMs, cfg.cadence.maxMs), salts.schedule);
  const cadenceMs = meanCadenceMs(cfg);
  const msPerArrival = cadenceMs / N;
  const kinds = createKindPicker(cfg.mix);
  const buildBody = createBodyBuilder(cfg.diagnosticBytes, salts.dump);
  const strategy = cfg.partitionKey.strategy;
  const idPrefix = messageIdPrefix(seed);
  const state = newVehicleState();
  const head: MessageHeader = { messageId: '', vehicleId: '', seq: 0, sentAt: 0, kind: 'telemetry', fleetId: '', tenantId: '' };
  const transforms: MessageTransform[] = [];
  const subject: TransformSubject = { n: 0, vehicleIndex: 0, seq: 0, kind: 'telemetry', messageId: '' };

  return {
    seed,
    fleet,
    schedule,
    meanCadenceMs: cadenceMs,
    transforms,
    next(n: number, sentAtMs: number): OutMessage {
      const v = schedule.vehicleAt(n);
      const seq = schedule.seqAt(n);
      fleet.stateAt(v, n * msPerArrival, state);
      const h = hash3(salts.message, v, seq);
      head.messageId = idPrefix + n.toString(36);
      head.vehicleId = state.id;
      head.seq = seq;
      head.sentAt = sentAtMs;
      head.kind = kinds.pick(unit(h));
      head.fleetId = fleet.fleetId(state.fleetIndex);
      head.tenantId = fleet.tenantId(state.tenantIndex);
      const fields = buildBody(head, state, h);
      let shaped = codec.shape(fields, head);
      if (transforms.length !== 0) {
        subject.n = n;
        subject.vehicleIndex = v;
        subject.seq = seq;
        subject.kind = head.kind;
        subject.messageId = head.messageId;
        for (let i = 0; i < transforms.length; i++) shaped = transforms[i](shaped, subject);
      }
      return {
        messageId: head.messageId,
        vehicleId: state.id,
        vehicleIndex: v,
        seq,
        kind: head.kind,
        partitionKey: partitionKeyOf(strategy, state.id, head.fleetId, head.tenantId),
        body: codec.encode(shaped),
        fields,
      };
    },
  };
}

/** The prefix every messageId of a seed starts with: 7 base-36 characters and a dash. */
export function messageIdPrefix(seed: number): string {
  return `${mix32(normalizeSeed(seed)).toString(36).padStart(7, '0')}-`;
}

/** The arrival number n of a messageId of this prefix, or undefined when it is none of this run's. */
export function arrivalOfMessageId(id: string, prefix: string): number | undefined {
  if (!id.startsWith(prefix) || id.length === prefix.length || id.length > prefix.length + 11) return undefined;
  const rest = id.slice(prefix.length);
  if (!/^[0-9a-z]+$/.test(rest)) return undefined;
  const n = parseInt(rest, 36);
  return Number.isSafeInteger(n) && n.toString(36) === rest ? n : undefined;
}
