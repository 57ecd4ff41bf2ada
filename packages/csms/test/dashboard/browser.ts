/**
 * A real Chromium (the Debian package) for the dashboard tests: pages that record every console
 * error and uncaught exception, screenshots under test-output/dashboard/ at the repository root.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { DASHBOARD_DIR } from '../../src/api/routes/dashboard.js';

const CHROMIUM = '/usr/bin/chromium';
/** packages/csms/dist/test/dashboard/ → the repository root. */
export const SCREENSHOT_DIR = fileURLToPath(
  new URL('../../../../../test-output/dashboard/', import.meta.url),
);

export const PHONE = { width: 390, height: 844 };
export const LAPTOP = { width: 1366, height: 900 };

/** Why a dashboard test cannot run here, or undefined when it can. */
export function missingPrerequisite(): string | undefined {
  if (!existsSync(CHROMIUM)) return `no browser at ${CHROMIUM}`;
  if (!existsSync(`${DASHBOARD_DIR}index.html`)) return 'the dashboard is not built (npm run build)';
  return undefined;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export interface DashboardPage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and page errors so far, except the ones a step declared as expected. */
  readonly errors: string[];
  /** Runs `step` allowing console errors that match `pattern` (e.g. the 401 of a wrong token). */
  expectingErrors<T>(pattern: RegExp, step: () => Promise<T>): Promise<T>;
  screenshot(name: string): Promise<void>;
  assertNoErrors(): void;
}

export async function openDashboard(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number }; token?: string; mobile?: boolean } = {},
): Promise<DashboardPage> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? LAPTOP,
    isMobile: options.mobile ?? false,
    hasTouch: options.mobile ?? false,
    acceptDownloads: true,
  });
  if (options.token) {
    // A string script: this file is type-checked for Node, without the DOM's globals.
    await context.addInitScript(`localStorage.setItem('csms.apiToken', ${JSON.stringify(options.token)})`);
  }
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  let allowed: RegExp | undefined;
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (allowed?.test(message.text())) return;
    errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return {
    page,
    context,
    errors,
    async expectingErrors(pattern, step) {
      allowed = pattern;
      try {
        return await step();
      } finally {
        allowed = undefined;
      }
    },
    async screenshot(name) {
      // From the top: a sticky header would otherwise be painted where the page was scrolled to.
      await page.evaluate('window.scrollTo(0, 0)');
      await page.screenshot({ path: `${SCREENSHOT_DIR}${name}.png`, fullPage: true });
    },
    assertNoErrors() {
      assert.deepEqual(errors, [], 'the browser console stayed free of errors');
    },
  };
}

/** The page does not scroll sideways (everything fits the viewport's width). */
export async function assertFitsWidth(page: Page, what: string): Promise<void> {
  const { scrollWidth, innerWidth } = await page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
  assert.ok(scrollWidth <= innerWidth, `${what}: ${scrollWidth}px of content in a ${innerWidth}px viewport`);
}

/** Polls `check` until it holds; fails with `what` after the timeout. */
export async function eventually(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Waits until the element's trimmed text is `expected`. */
export async function textBecomes(locator: Locator, expected: string, what: string): Promise<void> {
  await eventually(async () => (await locator.textContent())?.trim() === expected, `${what} = ${expected}`);
}
