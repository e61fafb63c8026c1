import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsDir, ensureBuiltSite, serveStatic } from './built-site.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`SKIPPED the docs site browser test: ${CHROMIUM} is missing (apt-get install chromium)`);

const artifacts = join(docsDir, '.artifacts');
let server: Awaited<ReturnType<typeof serveStatic>>;
let context: BrowserContext;
let profile: string;

/** Opens `path` and returns the page with the console errors and failed requests it produced. */
async function visit(path: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(`console: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`));
  const missingBefore = server.missing.length;
  await page.goto(`${server.url}${path}`, { waitUntil: 'networkidle' });
  // Requests the page events do not report (the favicon) still reach the server.
  errors.push(...server.missing.slice(missingBefore).map((p) => `not found on the server: ${p}`));
  return { page, errors };
}

describe.skipIf(!hasChromium)('the built docs site in Chromium', () => {
  beforeAll(async () => {
    server = await serveStatic(ensureBuiltSite());
    profile = mkdtempSync(join(tmpdir(), 'frugal-docs-chromium-'));
    mkdirSync(artifacts, { recursive: true });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1280, height: 900 },
    });
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('renders the home page without console errors', async () => {
    const { page, errors } = await visit('/');
    expect(await page.title()).toContain('Frugal');
    await expect(page.locator('.VPHero .name').textContent()).resolves.toContain('Frugal');
    expect(await page.locator('.VPFeature').count()).toBe(6);
    const file = join(artifacts, 'home.png');
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    expect(errors).toEqual([]);
  });

  it('renders a guide page with its example included from docs/examples', async () => {
    const { page, errors } = await visit('/guide/transfer.html');
    await expect(page.locator('h1').first().textContent()).resolves.toContain('Transfer learning');
    const code = await page.locator('.vp-doc div[class*="language-"]').allTextContents();
    expect(code.some((c) => c.includes('export async function transferDigits'))).toBe(true);
    expect(await page.locator('.VPSidebar a', { hasText: 'Knowledge distillation' }).count()).toBeGreaterThan(0);
    const file = join(artifacts, 'guide-transfer.png');
    await page.screenshot({ path: file, fullPage: false });
    console.log(`screenshot: ${file}`);
    expect(errors).toEqual([]);
  });

  it("renders the few-labels page with the best path's ladder included from the benchmarks", async () => {
    const { page, errors } = await visit('/guide/few-labels.html');
    await expect(page.locator('h1').first().textContent()).resolves.toContain('What 100 labels buy');
    const code = await page.locator('.vp-doc div[class*="language-"]').allTextContents();
    expect(code.some((c) => c.includes('name: fixmatch') && c.includes('weakViews: 2'))).toBe(true);
    expect(errors).toEqual([]);
  });

  it('navigates from the home page to the recipes reference', async () => {
    const { page, errors } = await visit('/');
    await page.locator('.VPNavBar a', { hasText: 'Recipes' }).first().click();
    await page.waitForURL(/reference\/recipes/);
    // The client-side router changes the URL before it renders the new page: wait for its heading.
    await page.locator('.vp-doc h1', { hasText: 'Recipes reference' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('h3#resnet20').count()).toBe(1);
    expect(errors).toEqual([]);
  });
});
