import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { PhaseSpec } from '../../src/load/phase.js';
import type { ThresholdSpec } from '../../src/metrics/thresholds.js';
import { deriveFindings } from '../../src/reports/findings.js';
import { renderJunitReport } from '../../src/reports/junit-report.js';
import { buildReportModel, type ReportModel } from '../../src/reports/report-model.js';
import { resultPath } from '../../src/results/results-dir.js';
import type { RunPlan } from '../../src/scenario/run-plan.js';
import { recordedRun } from '../support/recorded-run.js';

/** The JUnit XML schema (the project's own rendering of the format CI servers read). */
const XSD = readFileSync(fileURLToPath(new URL('../fixtures/junit.xsd', import.meta.url)), 'utf8');

async function validate(xml: string) {
  const r = await validateXML({ xml: [{ fileName: 'junit.xml', contents: xml }], schema: [{ fileName: 'junit.xsd', contents: XSD }] });
  return { valid: r.valid, errors: r.errors.map((e) => e.rawMessage) };
}

async function expectValid(xml: string) {
  const r = await validate(xml);
  expect(r.errors, xml).toEqual([]);
  expect(r.valid).toBe(true);
}

/** `p99 < 50ms`, `error_rate < 5%` → a ThresholdSpec (the subset of the grammar these tests use). */
function threshold(source: string): ThresholdSpec {
  const [metric, op, value] = source.split(' ');
  return { source, metric, op: op as ThresholdSpec['op'], value: value.endsWith('ms') ? Number(value.slice(0, -2)) : Number(value.replace('%', '')) / 100 };
}

/** A fake-clock run at 200/s for 4 s; requests written in [2 s, 3 s) stall until 3 s; every 50th answers 5xx (error rate 2 %). */
async function run(thresholds: string[], plan: Partial<RunPlan> = {}): Promise<string> {
  const phases: PhaseSpec[] = [{ kind: 'constant', name: 'steady', durationMs: 4000, rate: 200 }];
  return recordedRun(phases, (n, t) => ({ atMs: t >= 2000 && t < 3000 ? 3000 : t + 4, outcome: n % 50 === 0 ? '5xx' : '2xx' }), { thresholds: thresholds.map(threshold), ...plan });
}

/** What the document says about itself, and what it holds, from the rendered text. */
function counts(xml: string) {
  const attrs = (tag: string) => {
    const m = new RegExp(`<${tag} ([^>]*)>`).exec(xml);
    if (!m) throw new Error(`no <${tag}>`);
    return Object.fromEntries([...m[1].matchAll(/([\w-]+)="([^"]*)"/g)].map(([, k, v]) => [k, v]));
  };
  const n = (re: RegExp) => xml.match(re)?.length ?? 0;
  return { suites: attrs('testsuites'), suite: attrs('testsuite'), testcase: n(/<testcase /g), failure: n(/<failure /g), error: n(/<error /g), skipped: n(/<skipped[ />]/g) };
}

function expectCountsMatch(xml: string) {
  const c = counts(xml);
  for (const head of [c.suites, c.suite]) {
    expect(Number(head.tests)).toBe(c.testcase);
    expect(Number(head.failures)).toBe(c.failure);
    expect(Number(head.errors)).toBe(c.error);
  }
  expect(Number(c.suite.skipped)).toBe(c.skipped);
  return c;
}

/** The <testcase> elements of a class, each as its whole text. */
function cases(xml: string, classname: string): string[] {
  return [...xml.matchAll(/<testcase [^>]*>[\s\S]*?<\/testcase>/g)].map((m) => m[0]).filter((c) => c.includes(`classname="${classname}"`));
}

describe('junit.xml is valid JUnit XML (checked against test/fixtures/junit.xsd)', () => {
  it('a passing run with thresholds: valid, no failures, one rushhour.thresholds case per threshold', async () => {
    const dir = await run(['error_rate < 5%', 'p50 < 2000ms', 'ok_rate > 90%']);
    const model = await buildReportModel(dir, 'fake');
    expect(model.summary.status).toBe('completed');
    const xml = renderJunitReport(model);
    await expectValid(xml);
    const c = expectCountsMatch(xml);
    expect(c.suites.failures).toBe('0');
    expect(c.suite.failures).toBe('0');
    expect(c.error).toBe(0);
    const t = cases(xml, 'rushhour.thresholds');
    expect(t.length).toBe(3);
    expect(t.map((x) => / name="([^"]*)"/.exec(x)![1])).toEqual(['error_rate &lt; 5%', 'p50 &lt; 2000ms', 'ok_rate &gt; 90%']);
    for (const x of t) expect(x).not.toContain('<failure');
  });

  it('a failing threshold and a problem finding: valid; each failure names the actual figure and the bound; the counts match the document', async () => {
    const dir = await run(['p99 < 50ms', 'error_rate < 1%', 'ok_rate > 50%']);
    const built = await buildReportModel(dir, 'fake');
    // a fake target has no DLQ: add one to the summary so the data yields a `problem` finding
    const summary = { ...built.summary, queues: [{ name: 'orders-dlq', role: 'dlq', peakDepth: 4, finalDepth: 4 }] } as ReportModel['summary'];
    const model: ReportModel = { ...built, summary, findings: deriveFindings(summary) };
    expect(model.findings.filter((f) => f.severity === 'problem').length).toBe(1);
    const xml = renderJunitReport(model);
    await expectValid(xml);
    const c = expectCountsMatch(xml);
    expect(c.failure).toBe(3);
    const failing = summary.thresholds.filter((t) => !t.pass);
    expect(failing.map((t) => t.source)).toEqual(['p99 < 50ms', 'error_rate < 1%']);
    for (const t of failing) {
      const [tc] = cases(xml, 'rushhour.thresholds').filter((x) => x.includes(`name="${t.source.replace('<', '&lt;')}"`));
      const message = /<failure message="([^"]*)"/.exec(tc)?.[1];
      expect(message).toContain(String(t.actual));
      expect(message).toContain(`${t.op.replace('<', '&lt;')} ${t.source.split(' ')[2]}`);
      expect(tc).toContain(`${t.metric} ${t.op.replace('<', '&lt;')} ${t.value} failed: actual ${t.actual}`);
    }
    const [finding] = cases(xml, 'rushhour.findings');
    expect(finding).toMatch(/<failure message="DLQ depth up to 4" type="finding">/);
  });

  it('an incomplete run (the journal lost its `end` line, as after a SIGKILL): valid, with an error case', async () => {
    const dir = await run(['p99 < 5000ms']);
    const journal = resultPath(dir, 'journal');
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!).type).toBe('end');
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`);
    const model = await buildReportModel(dir, 'fake');
    expect(model.summary.status).toBe('incomplete');
    const xml = renderJunitReport(model);
    await expectValid(xml);
    const c = expectCountsMatch(xml);
    expect(c.error).toBe(1);
    expect(c.suites.errors).toBe('1');
    expect(cases(xml, 'rushhour.run')[0]).toMatch(/<error message="incomplete" type="incomplete">/);
  });

  it('names with characters XML must escape (<, &, quotes) or cannot hold (control characters, U+FFFE, a lone surrogate): valid, the rest kept', async () => {
    const odd = 'a<b & "c" \'d\' >e\u0001\u0008\u000b\u001f\uFFFE\uD800 \u{1F697}';
    const dir = await run(['p99 < 50ms', 'error_rate < 5%'], { name: odd });
    const built = await buildReportModel(dir, `target ${odd}`);
    const summary = { ...built.summary, thresholds: built.summary.thresholds.map((t) => ({ ...t, source: `${t.source} ${odd}` })), queues: [{ name: 'q', role: 'dlq', peakDepth: 1, finalDepth: 1 }] } as ReportModel['summary'];
    const findings = deriveFindings(summary).map((f) => ({ ...f, title: `${f.title} ${odd}`, figure: `${f.figure} ${odd}`, action: `${f.action} ${odd}` }));
    const xml = renderJunitReport({ ...built, summary, findings });
    await expectValid(xml);
    expectCountsMatch(xml);
    const kept = 'a&lt;b &amp; &quot;c&quot; &apos;d&apos; &gt;e \u{1F697}';
    expect(xml).toContain(`<testsuite name="${kept}"`);
    expect(xml).toContain(`<property name="target" value="target ${kept}"/>`);
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE\uFFFF\uD800-\uDFFF]/u);
  });

  it('negative control: the schema rejects documents that are not valid JUnit XML', async () => {
    const dir = await run(['p99 < 50ms']);
    const good = renderJunitReport(await buildReportModel(dir, 'fake'));
    await expectValid(good);
    const sub = (from: string | RegExp, to: string) => good.replace(from, to);
    // each broken document, and what the validator must say about it
    const broken: [string, string, string][] = [
      ['a testcase without a name', sub(/<testcase classname="rushhour.thresholds" name="[^"]*"/, '<testcase classname="rushhour.thresholds"'), "attribute 'name' is required"],
      ['a non-numeric failures count', sub(/<testsuite (.*?)failures="\d+"/, '<testsuite $1failures="x"'), "'x' is not a valid value of the atomic type 'xs:nonNegativeInteger'"],
      ['a timestamp with a time zone', sub(/timestamp="([^"]*)"/, 'timestamp="$1Z"'), "attribute 'timestamp': [facet 'pattern']"],
      ['an unknown attribute', sub('<testsuites ', '<testsuites flaky="1" '), "attribute 'flaky' is not allowed"],
      ['an unknown element', sub('</testsuite>', '<extra/></testsuite>'), "Element 'extra': This element is not expected"],
      ['properties after the test cases', sub(/ {4}<properties>[\s\S]*<\/properties>\n/, '').replace('  </testsuite>', '    <properties/>\n  </testsuite>'), "Element 'properties': This element is not expected"],
      ['not well-formed (an unescaped <)', sub('name="p99 &lt; 50ms"', 'name="p99 < 50ms"'), "Unescaped '<' not allowed in attributes values"],
    ];
    for (const [why, xml, says] of broken) {
      expect(xml, why).not.toBe(good);
      const r = await validate(xml);
      expect(r.valid, why).toBe(false);
      expect(r.errors.join('\n'), why).toContain(says);
    }
  });
});
