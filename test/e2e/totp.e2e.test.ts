import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { Secret, TOTP } from 'otpauth';
import { DEMO_PASSWORD, launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
// a user no other browser test logs in as: once enrolled, every login asks for a code
const USERNAME = 'street.330108002';

function code(secret: string, stepsAhead = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' })
    .generate({ timestamp: Date.now() + stepsAhead * 30_000 });
}

describe('two-step verification in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());

  it('a user sets it up from the user menu, then logs in with the code from the app, and once with a recovery code', async () => {
    const page = await logIn(browser, baseUrl, USERNAME);
    await page.getByTestId('current-user').hover();
    await page.locator('.ant-dropdown').getByRole('menuitem', { name: '两步验证' }).click(); // the user menu, not the side menu
    await page.waitForURL(`${baseUrl}/account/totp`);
    await page.getByTestId('totp-start').click();
    await expect.poll(() => page.getByTestId('totp-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const secret = (await page.getByTestId('totp-secret').innerText()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    await page.screenshot({ path: 'test-results/e2e-totp-enrol.png' });
    await page.getByTestId('totp-code').fill(code(secret));
    await page.getByTestId('totp-confirm').click();
    const codes = page.getByTestId('totp-recovery-codes').locator('code');
    await expect.poll(() => codes.count()).toBe(10);
    const recovery = await codes.first().innerText();
    await expect(page.getByText('恢复码只显示这一次').count()).resolves.toBe(1);
    await page.screenshot({ path: 'test-results/e2e-totp-recovery.png' });
    await expect(page.getByTestId('totp-finish').isDisabled()).resolves.toBe(true);
    await page.getByTestId('totp-saved').click();
    await page.getByTestId('totp-finish').click();
    await page.waitForURL(`${baseUrl}/`);

    const logInWith = async (fill: () => Promise<void>) => {
      await page.getByTestId('logout').click();
      await page.waitForURL(/\/login/);
      await page.getByTestId('login-username').fill(USERNAME);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('totp-form').waitFor();
      await fill();
      await page.getByTestId('login-totp-submit').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
    };
    await logInWith(async () => {
      const input = page.getByTestId('login-totp');
      await expect(input.getAttribute('autocomplete')).resolves.toBe('one-time-code');
      await expect(input.getAttribute('inputmode')).resolves.toBe('numeric');
      await page.screenshot({ path: 'test-results/e2e-totp-login.png' });
      // the enrolment used the current step: the app's next code is the one to type
      await input.fill(code(secret, 1));
    });
    await expect(page.getByTestId('current-user').innerText()).resolves.toContain(USERNAME);

    await logInWith(async () => {
      await page.getByTestId('login-use-recovery').click();
      await page.getByTestId('login-recovery').fill(recovery);
    });
    await expect(page.getByTestId('current-user').innerText()).resolves.toContain(USERNAME);
    await page.context().close();
  });
});
