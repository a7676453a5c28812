import { createMessageSource, type MessageSource } from '../telemetry/message-source.js';
import type { FleetConfig } from '../telemetry/types.js';
import { compilePayload, type PayloadConfig } from './payload-shape.js';

/**
 * The message source of a plan: the fleet's messages in the plan's shape (its payload templates,
 * compiled once here) or the built-in one. Templates were checked when the scenario was read, so
 * a problem here is a bug.
 */
export function createShapedSource(fleet: FleetConfig, seed: number, payload: PayloadConfig | undefined): MessageSource {
  if (!payload) return createMessageSource(fleet, seed);
  const { serialize, problems } = compilePayload(payload);
  if (!serialize) throw new Error(`payload templates that do not compile reached the run: ${problems.map((p) => p.message).join('; ')}`);
  return createMessageSource(fleet, seed, serialize);
}

/** The first `count` messages of a plan's run, in their final shape (for `validate --sample`). */
export function sampleMessages(plan: { fleet: FleetConfig; seed: number; payload?: PayloadConfig }, count: number, nowMs = Date.now()): string[] {
  const source = createShapedSource(plan.fleet, plan.seed, plan.payload);
  return Array.from({ length: count }, (_, n) => source.next(n, nowMs).body);
}
