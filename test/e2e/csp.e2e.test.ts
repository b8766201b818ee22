/**
 * The Content-Security-Policy (platform/http-protections.ts) must not break the built web app: every page below is
 * opened in Chromium and any CSP violation the browser reports fails the test. Maps (Leaflet), charts (ECharts),
 * antd's injected styles, the QR image, the H5 pages and Swagger UI are all on the list.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');

/** Collects the CSP violations a page reports (Chromium logs each as a console error, and fires securitypolicyviolation). */
function watch(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (msg) => { if (/Content Security Policy/i.test(msg.text())) violations.push(`${page.url()}: ${msg.text()}`); });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.error(`Content Security Policy violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return violations;
}

async function visit(page: Page, path: string): Promise<void> {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForLoadState('networkidle').catch(() => undefined);
  await page.waitForTimeout(300);
}

describe('the web app under its Content-Security-Policy', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => { await browser.close(); });

  it('staff pages (maps, charts, tables, forms, the QR page) and Swagger UI report no violation', async () => {
    const page = await logIn(browser, baseUrl, 'admin');
    const violations = watch(page);
    const header = (await page.request.get(`${baseUrl}/`)).headers()['content-security-policy'] ?? '';
    expect(header).toContain("script-src 'self'");
    for (const path of ['/territory', '/territory?code=330108001001', '/archive', '/archive/persons', '/cases', '/cases/new', '/cases/map', '/cases/rates',
      '/service/orders', '/service/overview', '/service/registration-qr', '/service/rates', '/forces', '/imports', '/audit', '/docs/']) {
      await visit(page, path);
    }
    expect(await page.locator('.swagger-ui').count()).toBeGreaterThan(0);
    expect(violations).toEqual([]);
  });

  it('the H5 pages of a resident and a grid worker report no violation', async () => {
    for (const user of ['resident.demo', 'grid.330108001001001']) {
      const page = await logIn(browser, baseUrl, user, { width: 390, height: 844 });
      const violations = watch(page);
      for (const path of ['/m', '/m/cases', '/m/cases/report', '/m/inbox', '/m/wishes']) await visit(page, path);
      expect(violations, user).toEqual([]);
    }
  });
});
