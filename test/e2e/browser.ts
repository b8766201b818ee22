/** Debian's Chromium through playwright-core, with the flags this machine needs. */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page, type Response } from 'playwright-core';

export const DEMO_PASSWORD = 'Linli@2026';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export async function logIn(browser: Browser, baseUrl: string, username: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
  return page;
}

/**
 * Clicks `button` and waits for the answer to `method path`. When none comes, the error says what the page showed
 * instead — the form's field messages, alerts and open option lists — and a screenshot is kept in the temp folder.
 */
export async function clickForAnswer(page: Page, button: Locator, method: string, path: string, timeout = 15_000): Promise<Response> {
  const answer = page.waitForResponse((r) => r.request().method() === method && new URL(r.url()).pathname === path, { timeout });
  await button.click();
  try {
    return await answer;
  } catch (err) {
    const shown = await page.locator('.ant-form-item-explain-error, .ant-alert, .ant-message, .ant-select-dropdown:not(.ant-select-dropdown-hidden)')
      .allInnerTexts().catch(() => []);
    const shot = join(tmpdir(), `linli-e2e-${Date.now()}.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => undefined);
    throw new Error(`no answer to ${method} ${path} in ${timeout} ms; the page showed: ${JSON.stringify(shown)}; screenshot ${shot}`, { cause: err });
  }
}
