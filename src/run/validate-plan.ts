import type { MessageIdentity } from '../payload/identity.js';
import { IDENTITY_SAMPLES } from '../payload/identity.js';
import { planIdentity, sampleBodies, sampleMessages } from '../payload/sources.js';
import { costLines, describePlan, estimatePlanCost, planToJson } from '../scenario/describe-plan.js';
import type { RunPlan } from '../scenario/run-plan.js';
import { checkSamples, checkTarget, shapeOptions } from '../targets/registry.js';
import { systemClock } from '../util/clock.js';

export interface ValidateOptions {
  /** Run the target's checks before the clock (contacts the service; sends nothing). */
  check: boolean;
  /** Generate this many messages in their final shape. */
  sample?: number;
}

/**
 * What `rushhour validate` reports on a plan, as text lines and as JSON: the plan, and with
 * `check` what the target's checks found (and the cost estimate made whole by them: a stream's
 * shards and mode), and with `sample` messages in their final shape.
 */
export async function validatePlan(plan: RunPlan, o: ValidateOptions): Promise<{ lines: string[]; json: Record<string, unknown> }> {
  const checked = o.check ? await checkTarget(plan.target, { clock: systemClock, signal: new AbortController().signal }) : undefined;
  const samples = o.sample ? await sampleMessages(plan, o.sample, shapeOptions(plan.target)) : undefined;
  // A code hook is always tried: one message it built is shown even without --sample.
  const hookSample = !samples && plan.payload?.module ? (await sampleMessages(plan, 1, shapeOptions(plan.target)))[0] : undefined;
  const identity = await planIdentity(plan, shapeOptions(plan.target));
  const pipeline = checkSamples(plan.target, await sampleBodies(plan, IDENTITY_SAMPLES, shapeOptions(plan.target)));
  const lines = [
    ...describePlan(plan),
    identityLine(identity),
    ...identity.warnings.map((w) => `WARNING: ${w}`),
    ...pipeline.lines,
    ...pipeline.warnings.map((w) => `WARNING: ${w}`),
    ...(checked?.lines ?? []),
    ...(checked?.facts ? costLines(plan, checked.facts) : []),
    ...(samples ? ['samples', ...samples.map((m) => `  ${m}`)] : []),
    ...(hookSample !== undefined ? [`sample      ${hookSample}   (built by payload.module; --sample N for more)`] : []),
  ];
  const json = {
    valid: true,
    plan: planToJson(plan),
    ...(checked ? { checked: checked.lines } : {}),
    ...(checked?.facts ? { costEstimate: estimatePlanCost(plan, checked.facts) } : {}),
    ...(samples ? { samples } : {}),
    ...(hookSample !== undefined ? { samples: [hookSample] } : {}),
    identity,
    ...(pipeline.lines.length ? { pipeline: [...pipeline.lines, ...pipeline.warnings] } : {}),
  };
  return { lines, json };
}

/** Where the probes will find a message again. */
export function identityLine(i: MessageIdentity): string {
  const at = (p: string | undefined) => (p === undefined ? 'in no field' : `at ${p}`);
  return `identity    message id ${at(i.idPath)}, seq ${at(i.seqPath)}`;
}
