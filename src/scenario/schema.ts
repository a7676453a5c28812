import { z } from 'zod';
import { sandboxParamsSchema } from '../sandbox/params.js';
import { DEFAULT_SEED } from './defaults.js';
import { fleetSchema } from './fleet-schema.js';
import { MAX_PHASE_MS, nameField, phasesSchema } from './phase-schema.js';
import type { EngineSettings, Scenario } from './scenario.js';
import { defaultTarget, targetSchema } from '../targets/registry.js';
import { costSchema } from './cost-schema.js';
import { payloadSchema } from './payload-schema.js';
import { faultsSchema } from './faults-schema.js';
import { probesSchema } from './probes-schema.js';
import { parseThreshold, thresholdFromEntry } from './thresholds.js';
import { durationField, intField } from '../util/unit-fields.js';

/**
 * The scenario file format. Input side: what a user writes in YAML (durations, rates and sizes
 * as text with units); output side: a Scenario (ms, arrivals per second, bytes, defaults filled in).
 * Every object is strict: an unknown key is an error. schemas/scenario.schema.json is generated
 * from this schema (scripts/gen-schema.ts).
 */

const THRESHOLD_TEXT =
  '"<metric> <op> <value>" with an optional sliding window "over <duration>". Latency of every due arrival (p50 p75 p90 p95 p99 p999 max mean), service_*, lag_*, e2e_* take a duration; ok_rate, error_rate, drop_rate, unfinished_rate, answered_rate (shares of the due arrivals) and achieved_rate take 1% or 0.01; lost, unexpected, dlq_depth a whole number. Ops < <= > >= ==. A lower-bound latency (arrivals still waiting) proves only > and >=.';

const thresholdText = z
  .string()
  .transform((text, ctx) => {
    const t = parseThreshold(text);
    if ('error' in t) {
      ctx.issues.push({ code: 'custom', message: t.error, input: text, params: { quoted: true } });
      return z.NEVER;
    }
    return t;
  });

const thresholdSchema = z
  .union([
    thresholdText.meta({ title: 'Threshold', description: THRESHOLD_TEXT, examples: ['p99 < 250ms', 'error_rate < 1%', 'p99 < 300ms over 30s', 'lost == 0'] }),
    z
      .strictObject({
        check: thresholdText.meta({ title: 'Check', description: THRESHOLD_TEXT, examples: ['p99 < 300ms over 30s'] }),
        abortOnFail: z.boolean().meta({ title: 'Abort on fail', description: 'A guardrail: when the check breaks during the run, the run stops (faults reverted, in-flight drained, everything written), verdict ABORTED, exit code 3.' }).optional(),
        delay: durationField({ title: 'Delay', description: 'Grace from the start of the run before a breach may abort it.', examples: ['10s'] }, { min: 0 }).optional(),
      })
      .transform((o) => thresholdFromEntry(o.check, { ...(o.abortOnFail !== undefined ? { abortOnFail: o.abortOnFail } : {}), ...(o.delay !== undefined ? { delayMs: o.delay } : {}) }))
      .meta({ title: 'Guardrail', description: 'A threshold with options: { check, abortOnFail, delay } (k6\'s shape).' }),
  ], { error: 'expected text such as "p99 < 250ms", or { check, abortOnFail, delay }' })
  .meta({ title: 'Threshold', description: 'A threshold as text, or { check, abortOnFail, delay }.' });

const engineSchema = z
  .strictObject({
    maxInFlight: intField(
      { title: 'In-flight cap', description: 'Most requests in flight; arrivals over it count as dropped. Default: max(100, 5 s of arrivals at the peak rate).' },
      1,
      10_000_000,
    ).optional(),
    warmup: intField(
      { title: 'Warm-up requests', description: 'Sent before the clock starts, reported apart. Default: a quarter second at the peak rate, 50..2000.' },
      0,
      1_000_000,
    ).optional(),
    drainTimeout: durationField(
      { title: 'Drain timeout', description: 'Wait for in-flight requests after the last arrival. Default: request timeout + 5s.', examples: ['15s'] },
      { min: 0, max: 3_600_000 },
    ).optional(),
    interval: durationField(
      { title: 'Snapshot interval', description: 'Histograms are cut per interval. Default 1s.', examples: ['1s'], default: '1s' },
      { min: 100, max: 60_000 },
    ).optional(),
  })
  .transform((e): Partial<EngineSettings> => {
    const out: Partial<EngineSettings> = {};
    if (e.maxInFlight !== undefined) out.maxInFlight = e.maxInFlight;
    if (e.warmup !== undefined) out.warmupRequests = e.warmup;
    if (e.drainTimeout !== undefined) out.drainTimeoutMs = e.drainTimeout;
    if (e.interval !== undefined) out.intervalMs = e.interval;
    return out;
  })
  .meta({ title: 'Engine settings', description: 'In-flight cap, warm-up and drain. Defaults follow the peak rate.' });

const scenarioObjectSchema = z.strictObject({
  name: nameField('Scenario name'),
  description: z.string().meta({ title: 'Description', description: 'One line shown in reports.' }).optional(),
  seed: intField({ title: 'PRNG seed', description: 'Same seed, same fleet, payloads and jitter. Default 1.', default: 1 }, 0, 0xffff_ffff).optional(),
  duration: durationField(
    { title: 'Run duration', description: 'Only without `phases`: one constant phase of this length at the fleet rate.', examples: ['30s'] },
    { min: 0, exclusiveMin: true, max: MAX_PHASE_MS },
  ).optional(),
  fleet: fleetSchema.optional(),
  target: targetSchema.optional(),
  sandbox: sandboxParamsSchema.meta({ title: 'Sandbox model parameters', description: 'Only with the sandbox target.' }).optional(),
  phases: phasesSchema.optional(),
  thresholds: z.array(thresholdSchema).meta({ title: 'Pass/fail thresholds', description: 'All must hold for exit code 0.' }).optional(),
  engine: engineSchema.optional(),
  cost: costSchema.optional(),
  payload: payloadSchema.optional(),
  probes: probesSchema.optional(),
  faults: faultsSchema.optional(),
});

/** Checks that involve several top-level fields; they run once every field is valid on its own. */
function crossCheck(s: z.output<typeof scenarioObjectSchema>, ctx: z.core.$RefinementCtx): void {
  if (s.duration !== undefined && s.phases !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['duration'], message: 'expected either duration or phases, not both: with phases the run lasts as long as they do', params: { quoted: true } });
  }
  if (s.sandbox !== undefined && s.target !== undefined && s.target.kind !== 'sandbox') {
    ctx.addIssue({ code: 'custom', path: ['sandbox'], message: `expected no sandbox: block with an ${s.target.kind} target (it configures the embedded sandbox only)`, params: { quoted: true } });
  }
  const target = s.target?.kind ?? 'sandbox';
  (s.faults ?? []).forEach((f, i) => {
    if (f.kind === 'connection-storm' && f.endpoint.kind === 'sandbox-db' && target !== 'sandbox') {
      ctx.addIssue({ code: 'custom', path: ['faults', i, 'sandbox'], message: `expected http: URL or postgres: URL: sandbox: db storms the embedded sandbox's database, and the target is ${target}`, params: { quoted: true } });
    }
  });
}

export const scenarioSchema = scenarioObjectSchema
  .superRefine(crossCheck)
  .transform(
    (s): Scenario => ({
      name: s.name,
      description: s.description ?? '',
      seed: s.seed ?? DEFAULT_SEED,
      ...(s.duration !== undefined ? { durationMs: s.duration } : {}),
      fleet: s.fleet ?? fleetSchema.parse({}),
      target: s.target ?? defaultTarget(),
      ...(s.sandbox !== undefined ? { sandbox: s.sandbox as Record<string, unknown> } : {}),
      ...(s.phases !== undefined ? { phases: s.phases } : {}),
      thresholds: s.thresholds ?? [],
      engine: s.engine ?? {},
      ...(s.cost !== undefined ? { cost: s.cost } : {}),
      ...(s.payload !== undefined ? { payload: s.payload } : {}),
      ...(s.probes !== undefined ? { probes: s.probes } : {}),
      ...(s.faults !== undefined ? { faults: s.faults } : {}),
    }),
  )
  .meta({
    title: 'rushhour scenario',
    description: 'A load/chaos test scenario for rushhour. See the scenario reference in the README.',
  });
