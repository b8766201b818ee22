// Every role's first hour in Chromium: each demo account lands on its home on the device it uses, sees its to-dos,
// and a to-do opens the list it counts; every entry of every role's menu opens without a refusal (generated from the
// menu definition the shell itself reads).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser } from './browser.js';
import { menuPages } from '../../web/src/menu.js';

const baseUrl = inject('baseUrl');
const PHONE = { width: 390, height: 844 };
const DESK = { width: 1440, height: 900 };

interface HomeItem { key: string; label: string; count: number; href: string }

async function logInOn(browser: Browser, username: string, viewport: { width: number; height: number }): Promise<Page> {
  const phone = viewport.width < 500;
  const context = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: phone, hasTouch: phone });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/`);
  await page.waitForURL(/\/login/);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
  return page;
}

/** Follows the page's API calls: the refused ones (403, 5xx) and whether any is still running. */
function watchApi(page: Page) {
  const running = new Set<Request>();
  const refused: string[] = [];
  let seen = 0;
  const isApi = (r: Request) => new URL(r.url()).pathname.startsWith('/api/') && !r.url().includes('/stream');
  // what the frame asks on every page (who am I, the bell) is not the page's own data
  const isShell = (r: Request) => /^\/api\/v1\/(auth\/me|config|notifications)/.test(new URL(r.url()).pathname);
  page.on('request', (r) => { if (isApi(r)) { running.add(r); if (!isShell(r)) seen += 1; } });
  page.on('requestfinished', async (r) => {
    running.delete(r);
    const res = await r.response().catch(() => null); // the page may close first
    if (res && (res.status() === 403 || res.status() >= 500)) refused.push(`${res.status()} ${r.method()} ${new URL(r.url()).pathname}`);
  });
  page.on('requestfailed', (r) => running.delete(r));
  return {
    refused,
    /**
     * Until the page has asked for its data (its lazy chunk loads first; at most 3 s for pages that ask nothing) and
     * then no API call has run for 400 ms (at most 20 s in all).
     */
    async settle() {
      const started = Date.now();
      const until = started + 20_000;
      let quietSince = Date.now();
      while (Date.now() < until) {
        await page.waitForTimeout(100);
        if (seen === 0 && Date.now() - started < 3_000) { quietSince = Date.now(); continue; }
        if (running.size > 0) quietSince = Date.now();
        else if (Date.now() - quietSince >= 400) return;
      }
    },
  };
}

describe('every role in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());

  const roles: [string, { width: number; height: number }, string][] = [
    ['admin', DESK, '/'],
    ['street.330108001', DESK, '/'],
    ['community.330108001001', DESK, '/'],
    ['parttime.330108001001', DESK, '/'],
    ['dept.chengguan', DESK, '/'],
    ['unit.demo', DESK, '/'],
    ['property.330108001001c001', DESK, '/'],
    ['grid.330108001001001', PHONE, '/m'],
    ['member.demo', PHONE, '/m'],
    ['resident.demo', PHONE, '/m'],
  ];

  it.each(roles)('%s lands on its home, sees its to-dos, and a to-do opens the list it counts', async (username, viewport, home) => {
    const page = await logInOn(browser, username, viewport);
    await expect.poll(() => new URL(page.url()).pathname).toBe(home);
    const phone = home === '/m';
    const strip = page.getByTestId(phone ? 'h5-todos' : 'home-todos');
    await strip.waitFor({ timeout: 20_000 });
    const answer = await page.request.get(`${baseUrl}/api/v1/home`);
    expect(answer.status()).toBe(200);
    const items = (await answer.json()).items as HomeItem[];
    expect(items.length, `${username} has to-dos`).toBeGreaterThan(0);
    // the one with the most waiting (a list with something in it), as a person would pick
    const item = [...items].sort((a, b) => b.count - a.count)[0]!;
    const tile = page.getByTestId(`${phone ? 'h5-todo' : 'todo'}-${item.key}`);
    await expect.poll(() => tile.innerText()).toContain(String(item.count));
    const api = watchApi(page);
    await tile.click();
    await expect.poll(() => { const u = new URL(page.url()); return `${u.pathname}${u.search}${u.hash}`; }).toBe(item.href);
    await api.settle();
    expect(await page.getByText('没有访问此页面的权限').count(), `${username} ${item.href}`).toBe(0);
    expect(api.refused, `${username} ${item.href}`).toEqual([]);
    await page.context().close();
  });

  const desktopRoles = ['admin', 'street.330108001', 'community.330108001001', 'parttime.330108001001', 'dept.chengguan', 'unit.demo',
    'grid.330108001001001', 'property.330108001001c001'];

  it.each(desktopRoles)('every menu entry of %s opens without a refusal', async (username) => {
    const page = await logInOn(browser, username, DESK);
    const me = await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json() as { permissions: string[] };
    const pages = menuPages(me.permissions);
    // the menu on screen is this list
    await page.getByTestId('side-menu').locator('[data-menu-id]').first().waitFor();
    const shown = await page.getByTestId('side-menu').locator('[data-menu-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu-id') ?? ''));
    for (const path of pages.filter((p) => !p.startsWith('/account/'))) {
      expect(shown.some((id) => id.endsWith(path)), `${username}: ${path} in the menu`).toBe(true);
    }
    for (const path of pages) {
      const api = watchApi(page);
      await page.goto(`${baseUrl}${path}`);
      await api.settle();
      expect(await page.getByText('没有访问此页面的权限').count(), `${username} ${path}`).toBe(0);
      expect(await page.getByText('页面出错').count(), `${username} ${path}`).toBe(0);
      expect(api.refused, `${username} ${path}`).toEqual([]);
      page.removeAllListeners('request');
      page.removeAllListeners('requestfinished');
      page.removeAllListeners('requestfailed');
    }
    await page.context().close();
  });
});
