import { z } from 'zod';
import { durationField, intField } from '../util/unit-fields.js';
import { formatDuration } from '../util/units.js';
import { describeDrift, driftOpsSchema, type DriftOp } from './fault-schemas/drift-schema.js';
import { poisonKindsSchema, type PoisonKind } from './fault-schemas/poison-schema.js';
import { duplicateFields, reorderFields, retryFields, retrySettings, type RetryStormSettings } from './fault-schemas/send-schemas.js';
import { describeStormEndpoint, stormEndpoint, stormFields, type StormEndpoint } from './fault-schemas/storm-schema.js';

/**
 * The scenario's `faults:` list: the engine's second timeline. Each fault is plain data — its
 * kind, a name, when it starts (`at`, from the run's start) and for how long (`for`; absent: to
 * the end), or `manual: true` (it waits for a trigger), which messages or vehicles it touches, and
 * its kind's own fields. src/faults applies them; this module only reads and checks them.
 */

/** Which messages a fault touches: a share of them, the first `count` while it is active, or a share or count of the fleet's vehicles (the same ones throughout, by seed). */
export type FaultSelection =
  | { by: 'all' }
  | { by: 'fraction'; fraction: number }
  | { by: 'count'; count: number }
  | { by: 'vehicles'; fraction: number }
  | { by: 'vehicleCount'; count: number };

interface FaultBase {
  name: string;
  /** ms from the run's start; null: manual (waits for a trigger). */
  atMs: number | null;
  /** ms; null: until the load ends (or a manual stop). */
  forMs: number | null;
  select: FaultSelection;
}

export type FaultConfig =
  | (FaultBase & { kind: 'poison'; poison: PoisonKind[] })
  | (FaultBase & { kind: 'schema-drift'; drift: DriftOp[] })
  | (FaultBase & { kind: 'connection-storm'; connections: number; rampMs: number; endpoint: StormEndpoint })
  | (FaultBase & { kind: 'retry-storm'; retry: RetryStormSettings })
  | (FaultBase & { kind: 'duplicate'; delayMs: number })
  | (FaultBase & { kind: 'reorder'; by: number; maxHoldMs: number })
  | (FaultBase & { kind: 'store-and-forward' });

export type FaultKindName = FaultConfig['kind'];
export const FAULT_KINDS: readonly FaultKindName[] = ['poison', 'schema-drift', 'connection-storm', 'retry-storm', 'duplicate', 'reorder', 'store-and-forward'];
/** Kinds that act on connections, not on messages: a selection (fraction, count, vehicles) means nothing for them. */
const NO_SELECTION: readonly FaultKindName[] = ['connection-storm'];

/** `vehicles:` read: an integer is a count, a percentage or a number below 1 a share. */
type VehicleChoice = { count: number } | { fraction: number };

const SHARE_EXPECTED = 'expected a share: a number from 0 to 1 (0.01) or a percentage ("1%")';

/** `0.01` or `"1%"` → 0.01; more than 0, at most 1. */
const share = z.union([z.number(), z.string()], { error: SHARE_EXPECTED }).transform((v, ctx) => {
  const x = typeof v === 'number' ? v : /^\s*\d+(\.\d+)?\s*%\s*$/.test(v) ? Number(v.trim().slice(0, -1).trim()) / 100 : NaN;
  if (!Number.isFinite(x) || x <= 0 || x > 1) {
    ctx.addIssue({ code: 'custom', message: SHARE_EXPECTED });
    return z.NEVER;
  }
  return x;
});

const common = {
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: 'expected a name: letters, digits, _ . - (at most 64)' }).meta({ description: 'Default: KIND-INDEX (e.g. poison-0). Names the fault in the journal, the summary and `rushhour fault start NAME`.' }).optional(),
  at: durationField({ title: 'Start', description: 'When it starts, from the run\'s start (after the warm-up). Default 0s. Not with manual.', examples: ['30s'] }, { min: 0 }).optional(),
  for: durationField({ title: 'Length', description: 'How long it lasts. Default: until the load ends.', examples: ['20s'] }).optional(),
  manual: z.boolean().meta({ description: 'Waits for a trigger (`rushhour fault start NAME --run DIR`, the live view) instead of `at`. Default false.' }).optional(),
  fraction: share.meta({ description: 'A share of the messages while it is active, chosen by the seed ("1%" or 0.01).' }).optional(),
  count: intField({ title: 'Messages', description: 'The first N messages while it is active.' }, 1, 1e9).optional(),
  vehicles: z
    .union([z.number().int().min(1).transform((count): VehicleChoice => ({ count })), share.transform((fraction): VehicleChoice => ({ fraction }))], { error: `expected vehicles: a number of vehicles (an integer ≥ 1) or a share of the fleet (${SHARE_EXPECTED.slice('expected a share: '.length)})` })
    .meta({ description: 'A number of vehicles (an integer: 1 is one vehicle) or a share of the fleet ("10%", "100%" or 0.1): all their messages, the same vehicles throughout.' })
    .optional(),
};

const poisonSchema = z.strictObject({ kind: z.literal('poison'), ...common, poison: poisonKindsSchema.meta({ description: 'Which poison: a list of kinds, or all. Default: all.' }).optional() });
const driftSchema = z.strictObject({ kind: z.literal('schema-drift'), ...common, drift: driftOpsSchema });
const stormSchema = z.strictObject({ kind: z.literal('connection-storm'), ...common, ...stormFields });
const retrySchema = z.strictObject({ kind: z.literal('retry-storm'), ...common, ...retryFields });
const duplicateSchema = z.strictObject({ kind: z.literal('duplicate'), ...common, ...duplicateFields });
const reorderSchema = z.strictObject({ kind: z.literal('reorder'), ...common, ...reorderFields });
const storeSchema = z.strictObject({ kind: z.literal('store-and-forward'), ...common });

const faultSchema = z.discriminatedUnion('kind', [poisonSchema, driftSchema, stormSchema, retrySchema, duplicateSchema, reorderSchema, storeSchema], {
  error: (iss) => (iss.code === 'invalid_union' ? `expected kind: one of ${FAULT_KINDS.join(', ')}` : undefined),
});

/** The `faults:` list, resolved: names filled in and unique, at most one selection each. */
export const faultsSchema = z
  .array(faultSchema)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((f, i) => {
      const name = f.name ?? `${f.kind}-${i}`;
      if (seen.has(name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `expected a name no other fault has; "${name}" is taken` });
      seen.add(name);
      const selections = (['fraction', 'count', 'vehicles'] as const).filter((k) => f[k] !== undefined);
      if (selections.length > 1) ctx.addIssue({ code: 'custom', path: [i, selections[1]], message: `expected one of fraction, count or vehicles, not both ${selections.join(' and ')}` });
      if (f.manual && f.at !== undefined) ctx.addIssue({ code: 'custom', path: [i, 'at'], message: 'expected no at with manual: true (a manual fault starts when triggered)' });
      if (NO_SELECTION.includes(f.kind) && selections.length > 0) ctx.addIssue({ code: 'custom', path: [i, selections[0]], message: `expected no ${selections[0]}: a ${f.kind} acts on connections, not on messages` });
      if (f.kind === 'connection-storm' && stormEndpoint(f) === null) ctx.addIssue({ code: 'custom', path: [i], message: 'expected exactly one endpoint: http: URL, postgres: URL or sandbox: db' });
      if (f.kind === 'store-and-forward' && f.vehicles === undefined) ctx.addIssue({ code: 'custom', path: [i, 'vehicles'], message: 'expected vehicles: the share ("5%") or number of vehicles that go silent' });
      if (f.kind === 'store-and-forward' && f.for === undefined && !f.manual) ctx.addIssue({ code: 'custom', path: [i, 'for'], message: 'expected for: how long the vehicles stay silent before they flush' });
    });
  })
  .transform((list) => list.map((f, i) => resolveFault(f, i)))
  .meta({ title: 'Faults', description: 'Faults started and stopped on the run\'s timeline (or by hand): poison messages, schema drift, connection storms, retry storms, duplicates, reordering, store-and-forward bursts. Each names its kind, when and what it touches.' });

type FaultInput = z.output<typeof faultSchema>;

function resolveFault(f: FaultInput, i: number): FaultConfig {
  const base: FaultBase = { name: f.name ?? `${f.kind}-${i}`, atMs: f.manual ? null : (f.at ?? 0), forMs: f.for ?? null, select: selectionOf(f) };
  switch (f.kind) {
    case 'poison': return { ...base, kind: 'poison', poison: f.poison ?? (poisonKindsSchema.parse('all') as PoisonKind[]) };
    case 'schema-drift': return { ...base, kind: 'schema-drift', drift: f.drift };
    case 'connection-storm': return { ...base, kind: 'connection-storm', connections: f.connections, rampMs: f.ramp ?? 5_000, endpoint: stormEndpoint(f)! };
    case 'retry-storm': return { ...base, kind: 'retry-storm', retry: retrySettings(f) };
    case 'duplicate': return { ...base, kind: 'duplicate', delayMs: f.delay ?? 0 };
    case 'reorder': return { ...base, kind: 'reorder', by: f.by ?? 1, maxHoldMs: f.maxHold ?? 30_000 };
    case 'store-and-forward': return { ...base, kind: 'store-and-forward' };
  }
}

function selectionOf(f: { fraction?: number; count?: number; vehicles?: VehicleChoice }): FaultSelection {
  if (f.fraction !== undefined) return { by: 'fraction', fraction: f.fraction };
  if (f.count !== undefined) return { by: 'count', count: f.count };
  if (f.vehicles !== undefined) return 'count' in f.vehicles ? { by: 'vehicleCount', count: f.vehicles.count } : { by: 'vehicles', fraction: f.vehicles.fraction };
  return { by: 'all' };
}

/** "poison-0 (poison) at 10s for 20s, 1 % of messages: malformed-json, truncated" — for `validate`. */
export function describeFault(f: FaultConfig): string {
  const when = f.atMs === null ? 'manual' : `at ${formatDuration(f.atMs)}`;
  const length = f.forMs === null ? 'to the end' : `for ${formatDuration(f.forMs)}`;
  const what = faultWhat(f);
  if (f.kind === 'connection-storm') return `${f.name} (${f.kind}) ${when} ${length}: ${what}`;
  return `${f.name} (${f.kind}) ${when} ${length}, ${describeSelection(f.select)}${what ? `: ${what}` : ''}`;
}

function faultWhat(f: FaultConfig): string {
  switch (f.kind) {
    case 'poison': return f.poison.join(', ');
    case 'schema-drift': return describeDrift(f.drift);
    case 'connection-storm': return `${f.connections.toLocaleString('en-US')} connection(s) to ${describeStormEndpoint(f.endpoint)}, ramped over ${formatDuration(f.rampMs)}`;
    case 'retry-storm': {
      const r = f.retry;
      const wait = r.backoff === 'none' ? 'no backoff' : `exponential backoff from ${formatDuration(r.baseMs)} up to ${formatDuration(r.capMs)}${r.jitter ? ', full jitter' : ''}`;
      return `up to ${r.attempts} attempts on ${r.on.join(', ')}, ${wait}`;
    }
    case 'duplicate': return f.delayMs > 0 ? `sent twice, the copy ${formatDuration(f.delayMs)} later` : 'sent twice';
    case 'reorder': return `held back until ${f.by} later message(s) of the vehicle (at most ${formatDuration(f.maxHoldMs)})`;
    case 'store-and-forward': return 'silent, then their buffered readings in one burst';
  }
}

function describeSelection(s: FaultSelection): string {
  switch (s.by) {
    case 'all': return 'every message';
    case 'fraction': return `${+(s.fraction * 100).toPrecision(3)} % of messages`;
    case 'count': return `the first ${s.count.toLocaleString('en-US')} messages`;
    case 'vehicles': return `${+(s.fraction * 100).toPrecision(3)} % of vehicles`;
    case 'vehicleCount': return `${s.count.toLocaleString('en-US')} vehicle(s)`;
  }
}
