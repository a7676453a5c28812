/// <reference lib="dom" />
// (the page-side callbacks run in the browser: their elements are DOM types)
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCharts } from '../../src/reports/charts/render-charts.js';
import { renderHtmlReport } from '../../src/reports/html-report.js';
import { buildReportModel } from '../../src/reports/report-model.js';
import { chartFile, resultPath } from '../../src/results/results-dir.js';
import { finalizeResults } from '../../src/run/finalize-results.js';
import { launchBrowser, pagesOfLine, pdfPages, type Browser } from '../support/browser.js';
import { ROOT } from '../support/cli.js';
import { chartRun, withPipelineData } from './chart-fixture.js';

/** What a person sees: report.html opened and printed by a real chromium; pictures and PDFs land in test-results/. */
const OUT = join(ROOT, 'test-results');
/** A4 with 10 mm margins: the page's content box in CSS px (96 per inch). */
const MARGIN = '10mm';
const PAGE_PX = { width: Math.floor((190 / 25.4) * 96), height: Math.floor((277 / 25.4) * 96) };
const PRINT = { format: 'A4', printBackground: true, margin: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN } } as const;

interface Figure { id: string; width: number; height: number; title: string; caption: string; marks: string[] }

/** Each figure.chart: its inline svg's box, its vega title, its caption, and the data marks drawn (not the phase bands). */
function figures(page: Page): Promise<Figure[]> {
  return page.locator('figure.chart').evaluateAll((figs: HTMLElement[]) => figs.map((f) => {
    const svg = f.querySelector(':scope > svg');
    const box = svg?.getBoundingClientRect() ?? { width: 0, height: 0 };
    const drawn = Array.from(svg?.querySelectorAll<SVGGraphicsElement>('g.role-mark:not(.mark-text) > path') ?? []).filter((p) => {
      const b = p.getBBox();
      return (p.getAttribute('d') ?? '').trim() !== '' && b.width + b.height > 0 && p.getAttribute('aria-roledescription') !== 'rect mark';
    });
    return {
      id: String(f.id), width: Number(box.width), height: Number(box.height),
      title: String(svg?.querySelector('g.role-title-text text')?.textContent ?? ''),
      caption: String(f.querySelector(':scope > figcaption')?.textContent ?? ''),
      marks: drawn.map((p) => String(p.getAttribute('aria-roledescription'))),
    };
  }));
}

/**
 * For each chart, the pages of its top text (the vega title) and of its caption (below the svg), by
 * pdftotext: the first and the last line holding the title (an axis title may repeat it between).
 * A chart is cut when they differ.
 */
function chartPages(pages: readonly string[], titles: readonly string[]): { title: string; svgPage: number; captionPage: number; cut: boolean }[] {
  return titles.map((title) => {
    const found = pagesOfLine(pages, title);
    expect(found.length, `"${title}" in the PDF text, atop the svg and as its caption`).toBeGreaterThanOrEqual(2);
    const [svgPage, captionPage] = [found[0], found[found.length - 1]];
    return { title, svgPage, captionPage, cut: svgPage !== captionPage };
  });
}

/** A results dir holding report.html and its chart-*.svg: the fake run's own, or with pipeline data (DLQ, lag, shards). */
async function reportDir(pipeline: boolean): Promise<string> {
  const dir = await chartRun();
  if (!pipeline) {
    await finalizeResults(dir, 'fake');
    return dir;
  }
  const model = withPipelineData(await buildReportModel(dir, 'fake'));
  const charts = await renderCharts(model);
  for (const c of charts) writeFileSync(join(dir, chartFile(c.id)), c.svg);
  writeFileSync(resultPath(dir, 'html'), renderHtmlReport(model, charts));
  return dir;
}

describe('the HTML report in a real browser (Debian chromium, headless)', () => {
  // launched by the first test that needs it, so that without chromium every test fails (none is skipped)
  let launched: Promise<Browser> | undefined;
  const browser = (): Promise<Browser> => (launched ??= launchBrowser());
  beforeAll(() => {
    mkdirSync(OUT, { recursive: true });
  });
  afterAll(async () => {
    await (await launched?.catch(() => undefined))?.close();
  });

  async function open(file: string) {
    const page = await (await browser()).context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    await page.goto(url, { waitUntil: 'load' });
    return { page, url, errors, requests };
  }

  for (const [name, pipeline] of [['report', false], ['report-pipeline', true]] as const) {
    it(`${name}: loads clean and self-contained, draws every chart, prints with no chart cut in half`, async () => {
      const dir = await reportDir(pipeline);
      const { page, url, errors, requests } = await open(resultPath(dir, 'html'));
      try {
        expect(errors).toEqual([]);
        expect(requests, 'the page fetches nothing but itself').toEqual([url]);

        const svgFiles = readdirSync(dir).filter((f) => /^chart-.+\.svg$/.test(f));
        const figs = await figures(page);
        expect(figs.length).toBeGreaterThan(0);
        expect(figs).toHaveLength(svgFiles.length);
        expect(figs.map((f) => `${f.id}.svg`).sort()).toEqual([...svgFiles].sort());
        for (const f of figs) {
          expect(f.width, f.id).toBeGreaterThan(50);
          expect(f.height, f.id).toBeGreaterThan(50);
          expect(f.marks.length, `${f.id}: data marks drawn`).toBeGreaterThan(0);
          expect(f.title, `${f.id}: vega title`).not.toBe('');
          expect(f.caption, `${f.id}: figcaption`).not.toBe('');
        }

        const png = join(OUT, `${name === 'report' ? 'report-html' : name}.png`);
        await page.screenshot({ path: png, fullPage: true });
        expect(statSync(png).size).toBeGreaterThan(1000);
        expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');

        const pdf = join(OUT, `${name}.pdf`);
        await page.pdf({ ...PRINT, path: pdf });
        const pages = pdfPages(pdf);
        expect(pages.length, 'the printed report has page breaks to cross').toBeGreaterThan(1);
        const placed = chartPages(pages, figs.map((f) => f.title));
        console.info(`${name}: ${pages.length} A4 page(s); charts on pages ${placed.map((p) => `${p.title} ${p.svgPage + 1}`).join(', ')}`);
        expect(placed.filter((p) => p.cut)).toEqual([]);
      } finally {
        await page.close();
      }
    });
  }

  it('the listeners see a console error, a page error and a fetch when a report has them (negative control)', async () => {
    const dir = await reportDir(false);
    const tainted = join(dir, 'tainted.html');
    const img = 'https://example.invalid/pixel.png';
    writeFileSync(tainted, readFileSync(resultPath(dir, 'html'), 'utf8').replace('</main>', `<img src="${img}"><script>console.error('boom'); null.x;</script></main>`));
    const { page, url, errors, requests } = await open(tainted);
    try {
      await expect.poll(() => requests).toContain(img);
      expect(requests[0]).toBe(url);
      expect(errors).toEqual(expect.arrayContaining(['console: boom', expect.stringMatching(/^pageerror: .*null/)]));
    } finally {
      await page.close();
    }
  });

  it('the cut check sees a chart cut across a page break once break-inside: avoid is gone (negative control)', async () => {
    const dir = await reportDir(false);
    const html = readFileSync(resultPath(dir, 'html'), 'utf8');
    const figure = /<figure class="chart"[^>]*>[\s\S]*?<\/figure>/.exec(html)![0];
    const head = html.slice(0, html.indexOf('<body>'));
    const loose = head.replace(/\s*(?:page-)?break-inside:\s*avoid;/g, '');
    expect(loose).not.toMatch(/break-inside/);
    const page = await (await browser()).context.newPage();
    try {
      const result: Record<string, boolean> = {};
      for (const [variant, styles] of [['without', loose], ['with', head]] as const) {
        // chromium never slices an svg shorter than a page, so the cut that break-inside: avoid prevents
        // is the caption torn from its chart: a spacer ends the svg half a caption above the page break
        await page.setContent(`${styles}<body><main><div id="spacer"></div>${figure}</main></body></html>`);
        await page.setViewportSize(PAGE_PX);
        await page.emulateMedia({ media: 'print' });
        const { bottom, height, caption } = await page.locator('figure.chart').evaluate((f: HTMLElement) => {
          const svg = f.querySelector(':scope > svg')!.getBoundingClientRect();
          const cap = f.querySelector(':scope > figcaption')!.getBoundingClientRect();
          return { bottom: Number(svg.bottom), height: Number(svg.height), caption: Number(cap.height) };
        });
        expect(height, 'the chart fits on one page').toBeLessThan(PAGE_PX.height - 100);
        expect(caption).toBeGreaterThan(8);
        const spacer = Math.floor(PAGE_PX.height - bottom - caption / 2);
        await page.locator('#spacer').evaluate((s, h) => { s.style.height = `${h}px`; }, spacer);
        const pdf = join(OUT, `cut-control-${variant}-avoid.pdf`);
        await page.pdf({ ...PRINT, path: pdf });
        const title = await page.locator('figure.chart g.role-title-text text').first().textContent();
        const [placed] = chartPages(pdfPages(pdf), [title ?? '']);
        result[variant] = placed.cut;
      }
      expect(result).toEqual({ without: true, with: false });
    } finally {
      await page.close();
    }
  });
});
