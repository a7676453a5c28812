import type { ReactElement } from 'react';
import { Box, Static, Text } from 'ink';
import type { HistoryLine, LiveState } from './live-state.js';
import { formatHistoryLine } from './live-history.js';
import { generatorLines } from './components/GeneratorHealth.js';
import { headerLines } from './components/Header.js';
import { ratesLines } from './components/Rates.js';
import { latencyLines } from './components/Latency.js';
import { loadLines } from './components/Load.js';
import { activeFaultLines, libraryLines, upcomingFaultLines } from './components/Faults.js';
import { pipelineLines, shardLines } from './components/Pipeline.js';
import { sloLines } from './components/Slos.js';
import { HELP_ROWS, HelpBox, keysLines, noticeLines } from './components/Keys.js';

/** One pane's rows, in display order; `height` overrides the row count (the bordered help box). */
interface Part { key: string; lines: ReactElement[]; height?: number }

const heightOf = (p: Part): number => p.height ?? p.lines.length;
const total = (parts: Part[]): number => parts.reduce((a, p) => a + heightOf(p), 0);

/** SLO rows kept (besides the summary) before the pipeline and load rows go. */
const SLO_ROWS_KEPT = 3;

/**
 * What a short terminal gives up, first to last, until the frame fits `rows`: the fault library
 * (outside mode 'faults'), the p99 sparkline, the achieved-rate sparkline, the shard heat, the
 * coming-up faults, SLO rows past the first SLO_ROWS_KEPT (breached and at-risk ones sort first),
 * the pipeline row, the load row, every SLO row but the summary, the library's rows in mode
 * 'faults'. Never given up: the saturation warning, the header, rates, latency, active faults,
 * the SLO summary, the notice and the keys; past that, rows are cut from the bottom (keys kept).
 */
const GIVE_UP: readonly { key: string; keep: number }[] = [
  { key: 'library-main', keep: 0 }, { key: 'p99-spark', keep: 0 }, { key: 'rate-spark', keep: 0 }, { key: 'shards', keep: 0 },
  { key: 'upcoming', keep: 0 }, { key: 'slos', keep: 1 + SLO_ROWS_KEPT }, { key: 'pipeline', keep: 0 }, { key: 'load', keep: 0 },
  { key: 'slos', keep: 1 }, { key: 'library', keep: 2 },
];

function parts(s: LiveState, columns: number): Part[] {
  const [rates, ...rateSpark] = ratesLines(s);
  const [latency, ...p99Spark] = latencyLines(s);
  const focus = s.mode === 'faults';
  return [
    { key: 'generator', lines: generatorLines(s) },
    { key: 'header', lines: headerLines(s) },
    ...(s.mode === 'help' ? [{ key: 'help', lines: [<HelpBox key="help" width={columns} />], height: HELP_ROWS }] : []),
    { key: 'rates', lines: [rates] }, { key: 'rate-spark', lines: rateSpark },
    { key: 'latency', lines: [latency] }, { key: 'p99-spark', lines: p99Spark },
    { key: 'load', lines: loadLines(s) },
    { key: 'faults', lines: activeFaultLines(s) }, { key: 'upcoming', lines: upcomingFaultLines(s) },
    { key: focus ? 'library' : 'library-main', lines: libraryLines(s, focus) },
    { key: 'pipeline', lines: pipelineLines(s) }, { key: 'shards', lines: shardLines(s) },
    { key: 'slos', lines: sloLines(s) },
    { key: 'notice', lines: noticeLines(s) },
    { key: 'keys', lines: keysLines(s) },
  ].filter((p) => p.lines.length > 0);
}

/** The parts that fit `rows`: GIVE_UP applied in order, then a cut from the bottom that keeps the keys row. */
export function fitParts(all: Part[], rows: number): Part[] {
  let kept = all;
  for (const step of GIVE_UP) {
    if (total(kept) <= rows) return kept;
    kept = kept.flatMap((p) => (p.key !== step.key ? [p] : step.keep === 0 ? [] : [{ ...p, lines: p.lines.slice(0, step.keep) }]));
  }
  if (total(kept) <= rows) return kept;
  const keys = kept.filter((p) => p.key === 'keys');
  let budget = rows - total(keys);
  const out: Part[] = [];
  for (const p of kept) {
    if (p.key === 'keys' || budget <= 0) continue;
    if (p.height !== undefined) {
      if (p.height <= budget) { out.push(p); budget -= p.height; }
      continue;
    }
    const lines = p.lines.slice(0, budget);
    budget -= lines.length;
    out.push({ ...p, lines });
  }
  return [...out, ...keys];
}

/**
 * The live frame: at most `columns` wide (every row truncated, never wrapped) and `rows` high
 * (see GIVE_UP). `columns` / `rows` default to the state's last ui-size.
 */
export function LiveView({ state, columns = state.size.columns, rows = state.size.rows }: { state: LiveState; columns?: number; rows?: number }): ReactElement {
  const fitted = fitParts(parts(state, columns), rows);
  return (
    <Box flexDirection="column" width={columns}>
      {fitted.flatMap((p) => p.lines)}
    </Box>
  );
}

/** One history row: "  12.0 s  fault poison-0 started (manual)". */
export function HistoryRow({ line }: { line: HistoryLine }): ReactElement {
  const color = line.tone === 'bad' ? 'red' : line.tone === 'warn' ? 'yellow' : line.tone === 'good' ? 'green' : undefined;
  return <Text wrap="truncate" color={color}>{formatHistoryLine(line)}</Text>;
}

/**
 * The history, printed once above the live frame by ink's <Static>. Static prints the items past
 * the count it printed before, so `lines` must only grow, as a new array each time it does (Static memoizes on it): the state keeps the last 200, so the
 * facade appends `historyAfter(state, lastSeq)` to its own list rather than passing state.history.
 */
export function HistoryLines({ lines, columns }: { lines: readonly HistoryLine[]; columns?: number }): ReactElement {
  return (
    <Static items={lines as HistoryLine[]} style={columns ? { width: columns } : undefined}>
      {(l) => <HistoryRow key={l.seq} line={l} />}
    </Static>
  );
}
