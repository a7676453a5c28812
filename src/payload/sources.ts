import { createMessageSource, type MessageSource } from '../telemetry/message-source.js';
import type { FleetConfig } from '../telemetry/types.js';
import { hookCodec, loadHook, PayloadError } from './hook.js';
import { findIdentity, type MessageIdentity } from './identity.js';
import { compilePayload, type PayloadConfig } from './payload-shape.js';

/** What the target needs of the bodies: `textOnly` names what carries only text (e.g. "SQS message bodies"). */
export interface ShapeOptions {
  textOnly?: string;
}

/**
 * The message source of a plan: the fleet's messages in the plan's shape (its payload templates,
 * compiled once here) or the built-in one. Templates were checked when the scenario was read, so
 * a problem here is a bug.
 */
export async function createShapedSource(fleet: FleetConfig, seed: number, payload: PayloadConfig | undefined, opts: ShapeOptions = {}): Promise<MessageSource> {
  if (!payload) return createMessageSource(fleet, seed);
  if (payload.module) return createMessageSource(fleet, seed, hookCodec(await loadHook(payload.module), { seed }, opts.textOnly));
  const { codec, problems } = compilePayload(payload);
  if (!codec) throw new Error(`payload templates that do not compile reached the run: ${problems.map((p) => p.message).join('; ')}`);
  return createMessageSource(fleet, seed, codec);
}

/** The first `count` messages of a plan's run, in their final shape (for `validate --sample`); a hook's failure shows as its message. */
export async function sampleMessages(plan: { fleet: FleetConfig; seed: number; payload?: PayloadConfig }, count: number, opts: ShapeOptions & { nowMs?: number } = {}): Promise<string[]> {
  const source = await createShapedSource(plan.fleet, plan.seed, plan.payload, opts);
  const nowMs = opts.nowMs ?? Date.now();
  return Array.from({ length: count }, (_, n) => {
    try {
      return printable(source.next(n, nowMs).body);
    } catch (e) {
      if (e instanceof PayloadError) return `payload-error: ${e.message}`;
      throw e;
    }
  });
}

/** Text as is; bytes as their length and the first 64 in hex. */
function printable(body: string | Uint8Array): string {
  if (typeof body === 'string') return body;
  const head = Buffer.from(body.subarray(0, 64)).toString('hex');
  return `<${body.length} bytes> ${head}${body.length > 64 ? '…' : ''}`;
}

/** Bodies of `count` messages a round apart, in their final shape; messages a module fails on are left out. */
export async function sampleBodies(plan: { fleet: FleetConfig; seed: number; payload?: PayloadConfig }, count: number, opts: ShapeOptions = {}): Promise<(string | Uint8Array)[]> {
  const source = await createShapedSource(plan.fleet, plan.seed, plan.payload, opts);
  const out: (string | Uint8Array)[] = [];
  for (let i = 0; i < count; i++) {
    try {
      out.push(source.next(i * (plan.fleet.vehicles + 1), Date.now()).body);
    } catch (e) {
      if (!(e instanceof PayloadError)) throw e;
    }
  }
  return out;
}

/** Where the plan's shaped messages keep their id and seq (for validate, and the run's journal). */
export async function planIdentity(plan: { fleet: FleetConfig; seed: number; payload?: PayloadConfig }, opts: ShapeOptions = {}): Promise<MessageIdentity> {
  const source = await createShapedSource(plan.fleet, plan.seed, plan.payload, opts);
  return findIdentity(source, plan.payload?.idField !== undefined ? { idField: plan.payload.idField } : {});
}
