import type { ReportModel } from '../report-model.js';
import { chartSpecs } from './chart-specs.js';

/** A rendered chart: `chart-<id>.svg` in the results directory, inline in report.html. */
export interface Chart {
  id: string;
  title: string;
  svg: string;
}

/**
 * Renders the run's charts to SVG with vega-lite and vega, headless (no DOM, no canvas). Both are
 * loaded here, on first use, by dynamic import: only writing a report pays for them, never the
 * start-up or memory of `run` itself.
 */
export async function renderCharts(model: ReportModel): Promise<Chart[]> {
  const specs = chartSpecs(model);
  if (specs.length === 0) return [];
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const out: Chart[] = [];
  for (const c of specs) {
    const view = new vega.View(vega.parse(vegaLite.compile(c.spec).spec), { renderer: 'none' });
    try {
      out.push({ id: c.id, title: c.title, svg: await view.toSVG() });
    } finally {
      view.finalize();
    }
  }
  return out;
}
