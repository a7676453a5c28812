import type { Chart } from './charts/render-charts.js';
import { renderHtmlReport } from './html-report.js';
import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import type { ReportModel } from './report-model.js';

/** The formats a run writes, each a pure renderer of the report model into one file of the results directory. */
export const REPORT_FORMATS = ['md', 'json', 'junit', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Renderer {
  /** The results directory's file it writes (RESULT_FILES key). */
  file: 'report' | 'summary' | 'junit' | 'html';
  /** Whether it shows the run's charts: they are rendered (async, vega loaded on demand) only when a format asks for them. */
  charts: boolean;
  render(model: ReportModel, charts: readonly Chart[]): string;
}

export const RENDERERS: Readonly<Record<ReportFormat, Renderer>> = {
  md: { file: 'report', charts: true, render: renderMarkdownReport },
  json: { file: 'summary', charts: false, render: (m) => JSON.stringify(m.summary, null, 2) + '\n' },
  junit: { file: 'junit', charts: false, render: renderJunitReport },
  html: { file: 'html', charts: true, render: renderHtmlReport },
};
