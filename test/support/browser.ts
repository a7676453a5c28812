import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/**
 * A real headless browser for tests that look at what a person would see: Debian's chromium,
 * driven by playwright-core (never a browser download), and Debian's pdftotext to read back what
 * the browser printed. Neither is optional: a machine without them fails these tests, with the
 * way to get them.
 */
export const CHROMIUM = process.env.RUSHHOUR_CHROMIUM ?? '/usr/bin/chromium';
export const PDFTOTEXT = process.env.RUSHHOUR_PDFTOTEXT ?? '/usr/bin/pdftotext';

const INSTALL = 'install Debian\'s chromium and poppler-utils (`apt-get install --no-install-recommends chromium poppler-utils`), or run `bash scripts/test-tools.sh` (as .ci/run does), which installs them when missing';

/** Closed network, root, no GPU: nothing the browser does on its own may reach out or need a sandbox. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Throws, saying how to install it, when `path` (a tool the test needs) is not there. */
export function requireTool(path: string, what: string): void {
  if (!existsSync(path)) throw new Error(`${what} not found at ${path}: ${INSTALL}.`);
}

export interface Browser {
  context: BrowserContext;
  /** Closes the browser and removes its user data dir; safe to call twice. */
  close(): Promise<void>;
}

/** Launches chromium at CHROMIUM with CHROMIUM_ARGS and a fresh, empty user data dir. */
export async function launchBrowser(): Promise<Browser> {
  requireTool(CHROMIUM, 'chromium (set RUSHHOUR_CHROMIUM to use another)');
  const userDataDir = mkdtempSync(join(tmpdir(), 'rushhour-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, timeout: 45_000 });
  } catch (e) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw e;
  }
  let closed = false;
  return {
    context,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await context.close();
      } finally {
        rmSync(userDataDir, { recursive: true, force: true });
      }
    },
  };
}

/** The text of each page of a PDF, by `pdftotext -layout` (pages end with a form feed). */
export function pdfPages(pdfPath: string): string[] {
  requireTool(PDFTOTEXT, 'pdftotext (poppler-utils)');
  const text = execFileSync(PDFTOTEXT, ['-layout', '-enc', 'UTF-8', pdfPath, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const pages = text.split('\f');
  if (pages.length > 1 && pages[pages.length - 1].trim() === '') pages.pop();
  return pages;
}

/**
 * The page (0-based) of each line, in reading order, that holds `text` as a whole column —
 * alone, or set apart from other text on that line by two or more spaces, as -layout does.
 */
export function pagesOfLine(pages: readonly string[], text: string): number[] {
  const found: number[] = [];
  pages.forEach((page, i) => {
    for (const line of page.split('\n')) {
      if (line.split(/\s{2,}/).some((col) => col.trim() === text)) found.push(i);
    }
  });
  return found;
}
