import type { ThresholdResult } from '../metrics/thresholds.js';
import type { ReportModel } from './report-model.js';

/**
 * junit.xml for CI (the JUnit XML format Jenkins, GitHub and GitLab read): one test suite per run
 * with one test case per threshold (a failure carries the figure against the bound) and one per
 * finding (a `problem` finding is a failure, a `note` passes with its figure in system-out).
 * A run that did not end (incomplete) or was interrupted adds an `error` case: its figures are
 * partial. Pure: same model, same text.
 */
export function renderJunitReport(model: ReportModel): string {
  const s = model.summary;
  const cases: string[] = [];
  for (const t of s.thresholds) cases.push(thresholdCase(t));
  for (const f of model.findings) {
    const body = f.severity === 'problem'
      ? `      <failure message="${esc(f.figure)}" type="finding">${esc(`${f.title}: ${f.figure}${f.action ? `\nAction: ${f.action}` : ''}`)}</failure>\n`
      : `      <system-out>${esc(`${f.figure}${f.action ? `\nAction: ${f.action}` : ''}`)}</system-out>\n`;
    cases.push(`    <testcase classname="rushhour.findings" name="${esc(f.title)}" time="0">\n${body}    </testcase>`);
  }
  if (s.status !== 'completed') {
    cases.push(`    <testcase classname="rushhour.run" name="the run ended" time="0">\n      <error message="${esc(s.status)}" type="${esc(s.status)}">${esc(s.headline)}</error>\n    </testcase>`);
  }
  const failures = s.thresholds.filter((t) => !t.pass).length + model.findings.filter((f) => f.severity === 'problem').length;
  const errors = s.status === 'completed' ? 0 : 1;
  const secs = (s.durationMs / 1000).toFixed(3);
  const suite = `  <testsuite name="${esc(s.name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="0" time="${secs}" timestamp="${esc(localTimestamp(s.startedAt))}">`;
  const props = [`    <properties>`, `      <property name="verdict" value="${esc(s.verdict)}"/>`, `      <property name="seed" value="${s.seed}"/>`, `      <property name="target" value="${esc(s.target)}"/>`, `    </properties>`];
  return ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="rushhour" tests="${cases.length}" failures="${failures}" errors="${errors}" time="${secs}">`, suite, ...props, ...cases, '  </testsuite>', '</testsuites>', ''].join('\n');
}

function thresholdCase(t: ThresholdResult): string {
  const head = `    <testcase classname="rushhour.thresholds" name="${esc(t.source)}" time="0">`;
  if (t.pass) return `${head}\n      <system-out>${esc(`actual ${figure(t)}`)}</system-out>\n    </testcase>`;
  return `${head}\n      <failure message="${esc(`${t.source}: actual ${figure(t)}`)}" type="threshold">${esc(`${t.metric} ${t.op} ${t.value} failed: actual ${figure(t)}`)}</failure>\n    </testcase>`;
}

function figure(t: ThresholdResult): string {
  if (t.actual === null) return t.bound === 'never' ? 'never answered' : 'no data';
  return `${t.bound === 'atLeast' ? '≥ ' : ''}${t.actual}`;
}

/**
 * The suite's start as JUnit's timestamp: date and time to the second, no zone (the format Ant
 * writes and the JUnit schemas' pattern allows; fractional seconds and a zone are rejected).
 * The time stays UTC.
 */
function localTimestamp(iso: string): string {
  return iso.replace(/(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, '');
}

/**
 * XML text and attribute escaping; characters XML 1.0 forbids are dropped: control characters
 * other than tab, LF and CR, U+FFFE, U+FFFF and unpaired surrogates (the `u` flag keeps pairs).
 */
function esc(x: string): string {
  return x
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
