import type { Summary } from '../results/summary.js';
import { thresholdActual } from '../results/verdict.js';
import { formatMs } from '../util/units.js';
import { detectionLines } from './detection.js';
import type { Finding } from './findings.js';
import { impactRows } from './impact.js';
import type { ReportModel } from './report-model.js';
import { rerunCommand } from './narrative.js';
import { budgetText } from './slo-model.js';

/**
 * The postmortem sections both the Markdown and the HTML report hold, as plain blocks (text, a
 * list, a table) each renderer formats its own way — so the two say the same thing. Pure.
 */
export interface Block {
  title: string;
  level: 2 | 3;
  paragraphs: string[];
  list?: string[];
  /** `numeric`: the columns that are right-aligned figures. */
  table?: { head: string[]; rows: string[][]; numeric: number[] };
}

const CHART_TITLES: Record<NonNullable<Finding['chart']>, string> = {
  throughput: 'Target vs achieved throughput', latency: 'Latency percentiles over time', errors: 'Errors by class', dlq: 'DLQ depth', 'consumer-lag': 'Consumer lag', shards: 'Per-shard rate',
};

export function sloBlock(m: ReportModel): Block {
  if (m.slos.length === 0) {
    return { title: 'Hypothesis and SLOs', level: 2, paragraphs: ['No SLOs were set, so the run tested no hypothesis: its figures are measurements only. Add `thresholds:` (e.g. `p99 < 300ms over 30s`, `error_rate < 1%`) to make the run pass or fail.'] };
  }
  const faults = (m.summary.faults ?? []).length;
  return {
    title: 'Hypothesis and SLOs', level: 2,
    paragraphs: [
      `Hypothesis: under this load${faults > 0 ? ` and ${faults === 1 ? 'this fault' : `these ${faults} faults`}` : ''} the pipeline holds every SLO below. ${m.slos.every((r) => r.result.pass) ? 'It held.' : `${m.slos.filter((r) => !r.result.pass).length} of ${m.slos.length} did not hold.`}`,
      'A windowed SLO is judged at each interval close over the intervals inside its window, and at the end over its worst window; the others over the whole run. Error budget: what the SLO allows to go wrong over the run (e.g. `p99 < 300ms` lets 1 % of the arrivals be slower), and how much of it the run spent.',
    ],
    table: {
      head: ['SLO', 'judged over', 'guardrail', 'actual', 'result', 'first breach (s)', 'error budget'],
      rows: m.slos.map((r) => [r.source, r.judgedOver, r.guardrail ?? '–', thresholdActual(r.result), r.result.pass ? 'held' : 'BROKEN', r.firstBreach ? `${(r.firstBreach.tMs / 1000).toFixed(1)}${r.firstBreach.aborts ? ' (aborted the run)' : ''}` : '–', budgetText(r.budget)]),
      numeric: [5],
    },
  };
}

/** "## Experiment": the load, the fleet, the target, the faults, the probes, the guardrails, the seed and how to rerun it. */
export function experimentBlock(m: ReportModel): Block {
  const { summary: s, journal } = m;
  const plan = journal.start.plan;
  const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const list = [
    `Target: ${s.target}`,
    `Fleet: ${plan.fleet.vehicles.toLocaleString('en-US')} vehicles, each reporting every ${secs(plan.fleet.cadence.minMs)}–${secs(plan.fleet.cadence.maxMs)}`,
    ...journal.phases.map((p) => `Load, phase ${p.index + 1} \`${p.name}\` (${p.kind}) from ${secs(p.tMs)}${plan.phases[p.index]?.kind === 'constant' ? ` at ${(plan.phases[p.index] as { rate?: number }).rate ?? '?'}/s` : ''}`),
    ...(m.timeline.length > 0 ? ['Load profile: the chart "Target vs achieved throughput" (chart-throughput.svg) draws the target rate against what went on the wire'] : []),
    ...(s.faults ?? []).map((f) => `Fault ${f.name} (${f.kind}): ${f.windows.length === 0 ? 'never started' : f.windows.map((w) => `${secs(w.startMs)}–${w.stoppedMs === null ? 'the end' : secs(w.stoppedMs)} (${w.startedBy})`).join(', ')}`),
    `Probes: output ${s.delivery ? `read by ${s.delivery.consumer}` : 'not read'}; ${(s.queues ?? []).length > 0 ? `queues sampled: ${(s.queues ?? []).map((q) => `${q.name} (${q.role})`).join(', ')}` : 'no queue sampled'}`,
    ...m.slos.filter((r) => r.guardrail).map((r) => `Guardrail \`${r.source}\`: ${r.guardrail}`),
    `Seed: ${s.seed}${s.scenario ? `; scenario \`${s.scenario}\`` : ''}`,
    `Rerun: \`${rerunCommand(s)}\``,
    `Started ${s.startedAt}, ended ${s.endedAt}`,
    `Warm-up before the clock: ${s.warmup.requests} request(s), ${s.warmup.failed} failed, ${s.warmup.unanswered} unanswered when it stopped waiting, ${formatMs(s.warmup.durationMs)} (not in the figures below)`,
  ];
  return { title: 'Experiment', level: 2, paragraphs: [], list };
}

export function impactBlock(m: ReportModel): Block {
  return {
    title: 'Impact', level: 2, paragraphs: ['Every due arrival ends in exactly one of ok, failed, dropped or unfinished; shares are of the due arrivals unless the row says otherwise.'],
    table: { head: ['what', 'figure', 'share / note'], rows: impactRows(m.summary, m.slos), numeric: [1] },
  };
}

export function detectionBlock(m: ReportModel): Block {
  return { title: 'Detection', level: 2, paragraphs: detectionLines(m.detection) };
}

/** The findings as contributing factors, each with its figure and the chart that shows it. */
export function factorLines(findings: readonly Finding[]): { severity: Finding['severity']; title: string; rest: string }[] {
  return findings.map((f) => ({ severity: f.severity, title: `${f.severity === 'problem' ? 'Problem' : 'Note'}: ${f.title}.`, rest: `${f.figure}.${f.chart ? ` Chart: ${CHART_TITLES[f.chart]} (chart-${f.chart}.svg).` : ''}` }));
}

/** What went well and what went wrong, from the thresholds and findings, and the questions a review should answer. */
export function reviewBlock(m: ReportModel): Block {
  const s = m.summary;
  const well: string[] = [];
  const wrong: string[] = [];
  for (const r of m.slos) (r.result.pass ? well : wrong).push(`SLO \`${r.source}\` ${r.result.pass ? 'held' : 'broke'} (${thresholdActual(r.result)})`);
  if (s.delivery && s.delivery.lost === 0) well.push(`nothing accepted was lost (${s.delivery.seen.toLocaleString('en-US')} seen in the output)`);
  if (s.counts.due > 0 && s.counts.dropped === 0 && s.counts.unfinished === 0) well.push('every due arrival was sent and got an answer or a timeout');
  for (const f of m.findings.filter((x) => x.severity === 'problem')) wrong.push(`${f.title} (${f.figure})`);
  const prompts = ['Did an alarm fire before the SLO broke — and who would have been paged?'];
  if (m.detection.signals.some((g) => g.movedAtMs !== null)) prompts.push('The pipeline\'s own signals moved (see Detection): is there an alarm on each?');
  if ((s.faults ?? []).length > 0) prompts.push('How long until someone would have noticed this fault in production, and how long to recover?');
  if (m.findings.some((f) => f.severity === 'problem')) prompts.push('Which action item below would have prevented the worst of it?');
  return {
    title: 'What went well, what went wrong', level: 2, paragraphs: [],
    list: [...well.map((x) => `Went well: ${x}.`), ...wrong.map((x) => `Went wrong: ${x}.`), ...prompts.map((x) => `Ask: ${x}`)],
  };
}

export function spectrumBlock(m: ReportModel): Block {
  const sp = m.spectrum;
  const f = (v: number | null) => (v === null ? '–' : formatMs(v));
  const e2e = sp.counts.e2e > 0;
  return {
    title: 'Percentile spectrum', level: 3,
    paragraphs: [`The run's merged histograms (HdrHistogram, 3 significant digits) read at each percentile: latency from the intended time of the ${sp.counts.latency.toLocaleString('en-US')} recorded arrivals (answered or timed out), service time of ${sp.counts.service.toLocaleString('en-US')} requests${e2e ? `, end-to-end of ${sp.counts.e2e.toLocaleString('en-US')} messages` : ''}. – : too few samples for that percentile.`],
    table: {
      head: ['percentile', 'latency', 'service time', ...(e2e ? ['end-to-end'] : [])],
      rows: sp.rows.map((r) => [r.percentile === 100 ? '100 (max)' : String(r.percentile), f(r.latencyMs), f(r.serviceMs), ...(e2e ? [f(r.e2eMs)] : [])]),
      numeric: [0, 1, 2, 3],
    },
  };
}

export function slowestBlock(m: ReportModel): Block | null {
  const rows = m.summary.slowest;
  if (rows.length === 0) return null;
  return {
    title: 'Slowest requests (trace ids)', level: 3, paragraphs: ['The trace id is the W3C traceparent sent with the request: look it up in the pipeline\'s own tracing.'],
    table: { head: ['trace id', 'latency', 'intended at (s)', 'outcome'], rows: rows.map((r) => [r.traceId, formatMs(r.latencyMs), (r.dueMs / 1000).toFixed(3), r.outcome]), numeric: [1, 2] },
  };
}

export function filesBlock(m: ReportModel): Block {
  const skipped = m.skipped.journal + m.skipped.hlog;
  return {
    title: 'Files of the run', level: 3, paragraphs: [],
    list: [
      'journal.jsonl — every run event and interval snapshot, one JSON object a line; read by `rushhour report DIR` (which rebuilds every file below from it and the hlog) and by jq',
      'latency.hlog — HdrHistogram interval log, values in µs, tags latency, service, lag, waiting, e2e; read by HdrHistogram\'s HistogramLogProcessor (`-csv`, `-tag latency`) and any HdrHistogram log reader',
      'summary.json — the figures of this report, machine-readable (schema in the README); read by CI scripts and `rushhour report --baseline`',
      'junit.xml — one test case per SLO and per finding; read by CI test reporters (GitHub, GitLab, Jenkins)',
      'report.md and report.html — this report (the HTML is one self-contained file, charts inline); chart-*.svg — its charts',
      ...(skipped > 0 ? [`${skipped} unreadable line(s) skipped (${m.skipped.journal} in the journal, ${m.skipped.hlog} in the hlog): a process killed mid-write`] : []),
    ],
  };
}

/** Says which latency figures are not exact, and how much of the run got an answer (both reports, under the headline). */
export function censoredNote(s: Summary): string {
  const parts: string[] = [];
  if (s.latency.atLeast.length > 0) parts.push(`lower bounds (≥), decided by arrivals still waiting at the end: ${s.latency.atLeast.join(', ')}`);
  if (s.latency.never.length > 0) parts.push(`never answered, decided by arrivals dropped or failed before any answer: ${s.latency.never.join(', ')}`);
  return `Latency figures are censored — ${parts.join('; ')}. ${(s.latency.answeredFraction * 100).toFixed(2)}% of the due arrivals got an answer.`;
}
