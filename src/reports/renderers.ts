import { renderJunitReport } from './junit-report.js';
import { renderMarkdownReport } from './markdown-report.js';
import type { ReportModel } from './report-model.js';

/** The formats a run writes, each a pure renderer of the report model into one file of the results directory. */
export const REPORT_FORMATS = ['md', 'json', 'junit'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface Renderer {
  /** The results directory's file it writes (RESULT_FILES key). */
  file: 'report' | 'summary' | 'junit';
  render(model: ReportModel): string;
}

export const RENDERERS: Readonly<Record<ReportFormat, Renderer>> = {
  md: { file: 'report', render: renderMarkdownReport },
  json: { file: 'summary', render: (m) => JSON.stringify(m.summary, null, 2) + '\n' },
  junit: { file: 'junit', render: renderJunitReport },
};
