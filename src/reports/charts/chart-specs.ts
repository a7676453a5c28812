import type { TopLevelSpec } from 'vega-lite';
import type { ReportModel } from '../report-model.js';
import { bands, consumerLagPoints, dlqPoints, errorPoints, latencyPoints, shardPoints, throughputPoints, timeDomain, type Band, type SeriesPoint } from './chart-data.js';

/** A chart to draw: its id (the file is `chart-<id>.svg`), its title, and its vega-lite spec. */
export interface ChartSpec {
  id: string;
  title: string;
  spec: TopLevelSpec;
}

const WIDTH = 760;
const HEIGHT = 220;
const FAULT_COLOR = '#d62728';
const PHASE_SHADES = ['#f2f2f2', '#e4e4e4'];

/**
 * The charts of a run as vega-lite specs, built from its report model: target vs achieved
 * throughput, latency percentiles over time (from the intended time, and the service time),
 * errors by class, DLQ depth, consumer lag and per-shard rate. Every time chart carries the
 * run's phase bands and fault bands behind its data. Charts without data are left out.
 */
export function chartSpecs(model: ReportModel): ChartSpec[] {
  const domain = timeDomain(model);
  const b = bands(model);
  const out: ChartSpec[] = [];
  const add = (id: string, title: string, points: SeriesPoint[], y: string, opts: { mark?: 'line' | 'bar'; legend?: string; barWidth?: number } = {}) => {
    if (points.length > 0) out.push({ id, title, spec: timeChart(title, points, y, domain, b, opts) });
  };
  if (model.timeline.length > 0) add('throughput', 'Target vs achieved throughput', throughputPoints(model), 'requests / s', { legend: 'rate' });
  add('latency', 'Latency percentiles over time', latencyPoints(model), 'latency (ms)', { legend: 'percentile' });
  add('errors', 'Errors by class', errorPoints(model), 'failed arrivals', { mark: 'bar', legend: 'class', barWidth: Math.max(2, (WIDTH / Math.max(1, model.timeline.length)) * 0.8) });
  add('dlq', 'DLQ depth', dlqPoints(model), 'messages visible', { legend: 'queue' });
  add('consumer-lag', 'Consumer lag', consumerLagPoints(model), 'lag (ms)', { legend: 'reading' });
  add('shards', 'Per-shard rate', shardPoints(model), 'records / s', { legend: 'shard' });
  return out;
}

/** A chart over the run's time: phase bands, fault bands (with their names), then the data as lines or stacked bars. */
function timeChart(title: string, points: SeriesPoint[], yTitle: string, domain: [number, number], allBands: Band[], opts: { mark?: 'line' | 'bar'; legend?: string; barWidth?: number }): TopLevelSpec {
  const x = { field: 't', type: 'quantitative' as const, title: 't (s)', scale: { domain, nice: false, zero: false } };
  const phases = allBands.filter((b) => b.kind === 'phase');
  const faults = allBands.filter((b) => b.kind === 'fault');
  const layers: unknown[] = [];
  if (phases.length > 0) {
    layers.push({
      data: { values: phases },
      mark: { type: 'rect', opacity: 0.6 },
      encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' }, color: { field: 'row', type: 'nominal', scale: { domain: [0, 1], range: PHASE_SHADES }, legend: null } },
    });
    layers.push({
      data: { values: phases },
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, dy: 3, fontSize: 10, color: '#555' },
      encoding: { x: { ...x, field: 'from' }, y: { value: 0 }, text: { field: 'label' } },
    });
  }
  if (faults.length > 0) {
    layers.push({
      data: { values: faults },
      mark: { type: 'rect', color: FAULT_COLOR, opacity: 0.18 },
      encoding: { x: { ...x, field: 'from' }, x2: { field: 'to' } },
    });
    layers.push({
      data: { values: faults },
      transform: [{ calculate: '16 + datum.row * 12', as: 'ypx' }],
      mark: { type: 'text', align: 'left', baseline: 'top', dx: 3, fontSize: 10, color: FAULT_COLOR },
      encoding: { x: { ...x, field: 'from' }, y: { field: 'ypx', type: 'quantitative', scale: null }, text: { field: 'label' } },
    });
  }
  const color = { field: 'series', type: 'nominal', title: opts.legend ?? null, legend: { orient: 'bottom' } };
  if (opts.mark === 'bar') {
    layers.push({
      data: { values: points },
      mark: { type: 'bar', width: opts.barWidth ?? 4 },
      encoding: { x: { ...x, bin: false }, y: { field: 'value', type: 'quantitative', aggregate: 'sum', stack: 'zero', title: yTitle }, color },
    });
  } else {
    layers.push({
      data: { values: points },
      mark: { type: 'line', point: points.length <= 240, strokeWidth: 1.6, interpolate: 'linear' },
      encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle }, color },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, anchor: 'start' },
    width: WIDTH,
    height: HEIGHT,
    background: 'white',
    config: { font: 'sans-serif', view: { stroke: '#ccc' }, axis: { labelFontSize: 10, titleFontSize: 11 }, legend: { labelFontSize: 10, labelLimit: 0 } },
    resolve: { scale: { color: 'independent' } },
    layer: layers,
  } as TopLevelSpec;
}
