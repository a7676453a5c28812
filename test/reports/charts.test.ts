import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bands } from '../../src/reports/charts/chart-data.js';
import { chartSpecs } from '../../src/reports/charts/chart-specs.js';
import { renderCharts } from '../../src/reports/charts/render-charts.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { resultPath } from '../../src/results/results-dir.js';
import { finalizeResults } from '../../src/run/finalize-results.js';
import { ROOT } from '../support/cli.js';
import { chartRun, withPipelineData } from './chart-fixture.js';

describe('charts (vega-lite specs from the report model, rendered headless to SVG)', () => {
  it('draws throughput, latency and errors for a plain run, with a phase band per phase; charts without data are left out', async () => {
    const model = await buildReportModel(await chartRun(), 'fake');
    const charts = await renderCharts(model);
    expect(charts.map((c) => c.id)).toEqual(['throughput', 'latency', 'errors']);
    for (const c of charts) {
      expect(c.svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      expect(c.svg).toContain('</svg>');
      expect(c.svg).toContain(`>${c.title}</text>`);
    }
    const [throughput, latency, errors] = charts;
    expect(throughput.svg).toContain('mark-line role-mark');
    for (const s of ['target', 'on the wire', 'answered', 'requests / s', 't (s)']) expect(throughput.svg).toContain(`>${s}</text>`);
    for (const s of ['p50 (intended)', 'p99 (intended)', 'p50 (service)', 'p99 (service)', 'latency (ms)']) expect(latency.svg).toContain(`>${s}</text>`);
    expect(errors.svg).toContain('>5xx</text>');
    expect(errors.svg).toMatch(/mark-rect role-mark/);
    // the two phases are bands with their names; no fault, no fault band
    expect(bands(model).map((b) => `${b.kind}:${b.label}:${b.from}-${b.to}`)).toEqual(['phase:warm:0-3', 'phase:steady:3-6']);
    expect(latency.svg).toContain('>warm</text>');
    expect(latency.svg).toContain('>steady</text>');
    expect(latency.svg).not.toContain('#d62728');
  });

  it('a fault is a band (a rect layer, labelled) behind every time chart; DLQ depth, consumer lag and per-shard rate appear when the run has them', async () => {
    const model = withPipelineData(await buildReportModel(await chartRun(), 'fake'));
    expect(bands(model).filter((b) => b.kind === 'fault')).toEqual([{ kind: 'fault', label: 'broker-stall', from: 2, to: 4, row: 0 }]);
    const specs = chartSpecs(model);
    expect(specs.map((s) => s.id)).toEqual(['throughput', 'latency', 'errors', 'dlq', 'consumer-lag', 'shards']);
    for (const s of specs) {
      const layers = (s.spec as { layer: { mark: { type: string; color?: string } }[] }).layer;
      expect(layers.some((l) => l.mark.type === 'rect' && l.mark.color === '#d62728'), s.id).toBe(true);
    }
    const charts = await renderCharts(model);
    for (const c of charts) {
      expect(c.svg, c.id).toContain('>broker-stall</text>');
      expect(c.svg, c.id).toMatch(/aria-roledescription="rect mark" d="M[\d.]+,0h[\d.]+v220h-[\d.]+Z" fill="#d62728" opacity="0\.18"/);
    }
    const byId = new Map(charts.map((c) => [c.id, c.svg]));
    expect(byId.get('dlq')).toContain('>messages visible</text>');
    expect(byId.get('consumer-lag')).toContain('>consumer lag</text>');
    for (const s of ['shardId-000', 'shardId-001', 'throttled (all shards)', 'records / s']) expect(byId.get('shards')).toContain(`>${s}</text>`);
  });

  it('the run writes each chart as chart-<id>.svg, and report.md links them in a Charts section', async () => {
    const dir = await chartRun();
    await finalizeResults(dir, 'fake');
    const files = readdirSync(dir).filter((f) => f.startsWith('chart-')).sort();
    expect(files).toEqual(['chart-errors.svg', 'chart-latency.svg', 'chart-throughput.svg']);
    const md = readFileSync(resultPath(dir, 'report'), 'utf8');
    expect(md).toContain('## Charts\n\n![Target vs achieved throughput](chart-throughput.svg)\n\n![Latency percentiles over time](chart-latency.svg)\n\n![Errors by class](chart-errors.svg)\n');
    expect(md.indexOf('## What happened')).toBeLessThan(md.indexOf('## Charts'));
    expect(md.indexOf('## Charts')).toBeLessThan(md.indexOf('## Timeline'));
    expect(readFileSync(join(dir, 'chart-latency.svg'), 'utf8')).toMatch(/^<svg /);
    // only the formats that show charts render them
    const dir2 = await chartRun();
    await finalizeResults(dir2, 'fake', ['json', 'junit']);
    expect(readdirSync(dir2).filter((f) => f.startsWith('chart-'))).toEqual([]);
    // a chart an earlier rendering drew (here a stale per-shard chart) is removed when this one has no data for it
    writeFileSync(join(dir, 'chart-shards.svg'), '<svg/>');
    await finalizeResults(dir, 'fake');
    expect(readdirSync(dir).filter((f) => f.startsWith('chart-')).sort()).toEqual(files);
  });
});

describe('the chart library is loaded only when a report is written', () => {
  const SRC = join(ROOT, 'src');

  /** Bare modules reached from `entry` by static (value) imports, following relative imports through src. */
  function staticBareImports(entry: string): Set<string> {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?'([^']+)'/gm)) {
        const spec = m[1];
        if (!spec.startsWith('.')) {
          bare.add(spec);
          continue;
        }
        const base = resolve(dirname(file), spec).replace(/\.js$/, '');
        const next = ['.ts', '.tsx'].map((x) => base + x).find((p) => existsSync(p));
        if (next) visit(next);
      }
    };
    visit(entry);
    return bare;
  }

  it('no static import from the run command (nor from anything in src) reaches vega or vega-lite', () => {
    const bare = staticBareImports(join(SRC, 'commands', 'run.ts'));
    expect(bare.size).toBeGreaterThan(3);
    expect([...bare].filter((b) => b.startsWith('vega'))).toEqual([]);
    // the live view's ink and React load the same way: only when the view is shown (src/cli/run-output.ts)
    expect([...bare].filter((b) => b === 'ink' || b === 'react' || b.startsWith('react/'))).toEqual([]);
    const mentions: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name)) {
          const text = readFileSync(p, 'utf8');
          for (const m of text.matchAll(/^.*['"]vega(?:-lite)?['"].*$/gm)) mentions.push(`${relative(SRC, p)}: ${m[0].trim()}`);
        }
      }
    };
    walk(SRC);
    // the one value import is dynamic, inside renderCharts; the specs module imports types only (erased)
    expect(mentions).toEqual([
      "reports/charts/chart-specs.ts: import type { TopLevelSpec } from 'vega-lite';",
      "reports/charts/render-charts.ts: const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);",
    ]);
  });
});
