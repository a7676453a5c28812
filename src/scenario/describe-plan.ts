import { createPacer, createSchedule } from '../load/pacers.js';
import type { PhaseSpec } from '../load/phase.js';
import { costLine, formatUsd, LIST_PRICES, type CostEstimate, type CostFacts } from '../targets/cost.js';
import { maskUrl } from '../targets/mask.js';
import { describeTarget, estimateCost, maskTarget } from '../targets/registry.js';
import { MIX_KINDS } from '../telemetry/fleet-config.js';
import { fleetRate, meanCadenceMs } from '../telemetry/fleet-rate.js';
import { formatDuration } from '../util/units.js';
import { meanBodyBytes, totalDurationMs } from './plan-math.js';
import { describeFault } from './faults-schema.js';
import { maskProbes, type ProbesConfig } from './probes-schema.js';
import type { RunPlan, TargetConfig } from './run-plan.js';

/**
 * What `rushhour validate` prints for a plan, and its `--json` form. Pure: nothing is sent or
 * resolved. Header values are never shown (only their names): they may hold secrets, and
 * `${ENV}` references stay unresolved anyway. A password in the target URL is masked too.
 */

/** Figures of a plan: arrivals and peak from its pacers, bytes estimated (see plan-math.ts). */
export interface PlanEstimate {
  durationMs: number;
  /** Arrivals the pacers will offer over all phases. */
  messages: number;
  /** Arrivals per second. */
  peakRate: number;
  /** vehicles / mean cadence, arrivals per second. */
  fleetRate: number;
  /** Estimated mean JSON body size over the mix, bytes. */
  meanBodyBytes: number;
  /** messages × meanBodyBytes. */
  bytes: number;
}

/** The plan for `--json`: header values replaced by `***`, plus the estimate. */
export type PlanJson = Omit<RunPlan, 'target'> & { target: TargetConfig; estimate: PlanEstimate; costEstimate?: CostEstimate };

export function estimatePlan(plan: RunPlan): PlanEstimate {
  const schedule = createSchedule(plan.phases);
  const messages = schedule.count;
  const body = meanBodyBytes(plan.fleet);
  return {
    durationMs: schedule.durationMs,
    messages,
    peakRate: schedule.peakRate(),
    fleetRate: fleetRate(plan.fleet),
    meanBodyBytes: body,
    bytes: messages * body,
  };
}

/** What the run itself would cost on the target's service (undefined for targets not billed per use); the warm-up's messages count too. */
export function estimatePlanCost(plan: RunPlan, facts?: CostFacts): CostEstimate | undefined {
  const est = estimatePlan(plan);
  const messages = est.messages + plan.engine.warmupRequests;
  return estimateCost(plan.target, { messages, meanBytes: est.meanBodyBytes, durationMs: est.durationMs }, plan.cost?.prices ?? LIST_PRICES, facts);
}

/** The cost lines of `validate`: the estimate and the budget, when the target is billed per use. */
export function costLines(plan: RunPlan, facts?: CostFacts): string[] {
  const c = estimatePlanCost(plan, facts);
  if (!c) return [];
  const budget = plan.cost?.budgetUsd;
  const verdict = budget === undefined ? 'no budget set (cost.budget)' : c.usd > budget ? `OVER the budget of ${formatUsd(budget)}: run refuses to start without --yes` : `within the budget of ${formatUsd(budget)}`;
  return [`cost        ${costLine(c, plan.cost?.prices ?? LIST_PRICES)}`, `budget      ${verdict}`];
}

/** A deep copy of the plan safe to print or store: no header values, no URL password. */
export function planToJson(plan: RunPlan): PlanJson {
  const copy = structuredClone(plan);
  const cost = estimatePlanCost(plan);
  return { ...copy, target: maskTarget(copy.target), probes: maskProbes(copy.probes), estimate: estimatePlan(plan), ...(cost ? { costEstimate: cost } : {}) };
}


const num = (n: number, digits = 2) => n.toLocaleString('en-US', { maximumFractionDigits: digits });
const rate = (perS: number) => `${num(perS)}/s`;

/** Binary units, as sizes are written in scenarios: `512 B`, `64 KiB`, `1.5 MiB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? Math.round(v) : num(v, 1)} ${units[i]}`;
}

/** A length of time in h/m/s parts: `14m30s`, `1h`, `750ms`. */
export function formatSpan(ms: number): string {
  if (ms < 1000 || !Number.isInteger(ms / 1000)) return formatDuration(ms);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const sec = (ms % 60_000) / 1000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}${sec ? `${sec}s` : ''}`;
}

/** The rates of one phase in words: `100/s → 2000/s`, `1000/s ± 500/s, period 5m`. */
export function phaseRates(p: PhaseSpec): string {
  switch (p.kind) {
    case 'constant':
      return rate(p.rate);
    case 'ramp':
      return `${rate(p.from)} → ${rate(p.to)}`;
    case 'step':
      return `${rate(p.from)} → ${rate(p.to)} in ${p.steps} steps`;
    case 'spike':
      return `${rate(p.base)}, ${rate(p.peak)} at ${formatDuration(p.atMs)} for ${formatDuration(p.forMs)}`;
    case 'sine':
      return `${rate(p.mean)} ± ${rate(p.amplitude)}, period ${formatDuration(p.periodMs)}`;
    case 'idle':
      return 'no traffic';
  }
}

function pad(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

function phaseLines(phases: PhaseSpec[]): string[] {
  const rows = phases.map((p, i) => [
    `  ${i + 1}.`,
    p.name,
    p.kind,
    phaseRates(p),
    formatSpan(p.durationMs),
    `~${num(createPacer(p).count, 0)} msgs`,
  ]);
  return [`phases      ${phases.length}, ${formatSpan(totalDurationMs(phases))} in all`, ...pad(rows)];
}

function fleetLines(plan: RunPlan, est: PlanEstimate): string[] {
  const f = plan.fleet;
  const c = f.cadence;
  const source = plan.rateSource === 'fleet' ? 'rate source: fleet (phases without a rate run at the fleet rate)' : 'rate source: phases';
  const total = Object.values(f.mix).reduce((a, b) => a + b, 0);
  const mix = MIX_KINDS.filter(([key]) => f.mix[key] > 0)
    .map(([key, kind]) => `${kind} ${num((100 * f.mix[key]) / total, 2)}%`)
    .join(', ');
  const pk = f.partitionKey;
  return [
    `fleet       ${num(f.vehicles)} vehicles reporting every ${formatDuration(c.minMs)}..${formatDuration(c.maxMs)} (mean ${formatDuration(meanCadenceMs(f))}) → fleet rate ${rate(est.fleetRate)}; ${source}`,
    `mix         ${mix}; diagnostic dumps ${formatBytes(f.diagnosticBytes)}`,
    `partitions  by ${pk.strategy}, skew ${pk.skew} (${num(pk.fleets)} fleets, ${num(pk.tenants)} tenants)`,
  ];
}

/** The lines `rushhour validate` prints, in order. */
export function describePlan(plan: RunPlan): string[] {
  const est = estimatePlan(plan);
  const e = plan.engine;
  return [
    `scenario    ${plan.name}${plan.description ? ` — ${plan.description}` : ''}`,
    `source      ${plan.source ?? 'command-line flags (quick mode)'}`,
    `seed        ${plan.seed}`,
    ...describeTarget(plan.target),
    ...phaseLines(plan.phases),
    `messages    ~${num(est.messages, 0)} in ${formatSpan(est.durationMs)}, peak ${rate(est.peakRate)}`,
    `bytes       ~${formatBytes(est.bytes)} (mean body ~${formatBytes(est.meanBodyBytes)}, estimated from the mix)`,
    ...fleetLines(plan, est),
    `thresholds  ${plan.thresholds.length ? plan.thresholds.map((t) => t.source).join('; ') : 'none'}`,
    `engine      max in flight ${num(e.maxInFlight)}, warm-up ${num(e.warmupRequests)} requests, drain timeout ${formatDuration(e.drainTimeoutMs)}, interval ${formatDuration(e.intervalMs)}`,
    probesLine(plan.probes),
    ...faultLines(plan),
    ...costLines(plan),
  ];
}

/** The fault timeline: one line a fault, or none without faults. */
function faultLines(plan: RunPlan): string[] {
  return plan.faults.map((f, i) => `${i === 0 ? 'faults     ' : '           '} ${describeFault(f)}`);
}

/** What the probes will read: the output consumer, the queues sampled, the drain and the matcher's window. */
export function probesLine(p: ProbesConfig): string {
  const auto = (what: string) => `auto (the sandbox's ${what} when the target is the sandbox)`;
  const out = p.output;
  const output = out === 'auto' ? auto('/output') : out === 'none' ? 'none' : out === 'sandbox' ? "the sandbox's /output"
    : out.kind === 'sqs' ? `sqs ${maskUrl(out.queue)} (${out.pollers} pollers)` : out.kind === 'kinesis' ? `kinesis ${out.stream}` : `webhook http://${out.host}:${out.port}${out.path}`;
  const dlq = p.dlq === 'auto' ? auto('DLQ') : p.dlq === 'none' ? 'none' : p.dlq === 'sandbox' ? "the sandbox's DLQ" : p.dlq.map((q) => `sqs ${maskUrl(q.queue)}`).join(', ');
  const id = typeof out === 'object' && out.idField ? `, id at ${out.idField}` : '';
  return `probes      output ${output}${id}; dlq ${dlq}; drain up to ${formatDuration(p.drainMs)}; matcher window ${p.window} messages a vehicle`;
}
