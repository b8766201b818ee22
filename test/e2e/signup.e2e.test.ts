// 码上报到 in Chromium on a phone (390×844): someone without an account opens the page the community QR encodes,
// signs up, is told what happens next; a second sign-up with the same ID number is refused next to the field and
// creates nothing; the community approves on the desktop; the new member logs in with their mobile and password
// and sees the registration approved. A resident and a member who are logged in are told / sent where they belong.
// Screenshots go to test-results/screenshots/ (or LINLI_SCREENSHOTS_DIR).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { clickForAnswer, launchBrowser, logIn } from './browser.js';
import { makeIdNumber } from '../../server/src/platform/idcard.js';

const baseUrl = inject('baseUrl');
const XILING = '330108001001';
const SHOTS = process.env.LINLI_SCREENSHOTS_DIR ?? 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
const PASSWORD = 'Lan7ing#Wq47';

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/${name}` });
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`);
  if (!response.ok()) throw new Error(`GET ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

const masked = (mobile: string) => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

describe('码上报到: from scan to approval on a phone', () => {
  let browser: Browser;
  let staff: Page;
  let compound: { code: string; name: string; building: number };
  const stamp = Date.now() % 10_000;
  const mobile = `1996${String(stamp).padStart(4, '0')}001`;
  const otherMobile = `1996${String(stamp).padStart(4, '0')}002`;
  const idNumber = makeIdNumber({ area: '330108', birthDate: '1987-03-21', sequence: 500 + (stamp % 400) });

  /** A fresh phone with nobody logged in, on the page the QR encodes. */
  async function scan(): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await page.goto(`${baseUrl}/m/signup/${XILING}`);
    await page.getByTestId('signup-form').waitFor({ timeout: 20_000 });
    return page;
  }

  async function fill(page: Page, v: { mobile: string; idNumber: string }): Promise<void> {
    const form = page.getByTestId('signup-form');
    await form.getByPlaceholder('与身份证一致').fill('邱明');
    await form.getByPlaceholder('即登录账号').fill(v.mobile);
    await form.getByPlaceholder('18 位').fill(v.idNumber);
    await form.getByPlaceholder('登录时使用').fill(PASSWORD);
    // the unit's party organisation: searched and picked
    await page.getByTestId('unit-picker').click();
    await page.getByTestId('unit-search').locator('input').fill('西陵实验');
    await page.locator('.adm-popup .adm-list-item').filter({ hasText: '西陵实验' }).first().click();
    await expect.poll(() => page.getByTestId('unit-picker').innerText()).toContain('西陵实验');
    // the compound from the community's list, then building-unit-room as people write it
    await page.getByTestId('compound-item').click();
    await page.locator('.adm-picker-view-column-item').filter({ hasText: compound.name }).first().click();
    await page.waitForTimeout(300);
    await page.locator('.adm-picker-header-button').filter({ hasText: '确定' }).click();
    await expect.poll(() => page.getByTestId('compound-item').innerText()).toContain(compound.name);
    await form.getByPlaceholder('如 3幢2单元501室 或 3-2-501').fill(`${compound.building}幢1单元101室`);
  }

  beforeAll(async () => {
    browser = await launchBrowser();
    staff = await logIn(browser, baseUrl, `community.${XILING}`);
    // a compound of 西陵社区 with a building, as the archive has it
    const info = await getJson<{ compounds: { code: string; name: string }[] }>(staff, `/service/communities/${XILING}/signup`);
    for (const c of info.compounds) {
      const detail = await getJson<{ buildings: { number: number | string | null }[] }>(staff, `/archive/compounds/${c.code}`);
      const numbered = detail.buildings.map((b) => Number(b.number)).find((n) => Number.isInteger(n) && n > 0);
      if (numbered) { compound = { code: c.code, name: c.name, building: numbered }; break; }
    }
    expect(compound, 'a compound with a numbered building in 西陵社区').toBeDefined();
  });
  afterAll(async () => browser?.close());

  it('signs up on the phone, refuses a duplicate with nothing created, and is approved by the community', async () => {
    const phone = await scan();
    expect(await phone.getByTestId('signup-community').innerText()).toBe('西陵社区');
    // short: the whole form, submit button included, fits a 390×844 screen without scrolling
    const submit = phone.getByTestId('signup-submit');
    const box = await submit.boundingBox();
    expect(box, 'the submit button is on the page').not.toBeNull();
    expect(box!.y + box!.height).toBeLessThanOrEqual(PHONE.height);
    await shot(phone, 'signup-form-h5.png');
    await fill(phone, { mobile, idNumber });
    const created = await clickForAnswer(phone, submit, 'POST', `/api/v1/service/communities/${XILING}/signup`);
    expect(created.status(), await created.text()).toBe(201);
    await phone.getByTestId('signup-done').waitFor();
    expect(await phone.getByTestId('signup-done').innerText()).toMatch(/等待社区审核[\s\S]*社区审核[\s\S]*认领岗位/);
    await shot(phone, 'signup-done-h5.png');

    // the same ID number again, from another phone: refused next to the field, and no account for the new mobile
    const second = await scan();
    await fill(second, { mobile: otherMobile, idNumber });
    const refused = await clickForAnswer(second, second.getByTestId('signup-submit'), 'POST', `/api/v1/service/communities/${XILING}/signup`);
    expect(refused.status()).toBe(409);
    expect((await refused.json()).error).toMatchObject({ code: 'DUPLICATE', field: 'idNumber' });
    await expect.poll(() => second.locator('.adm-form-item-feedback-error').allInnerTexts()).toContainEqual(expect.stringContaining('该身份证号已登记'));
    expect(await second.getByTestId('signup-form').innerText()).not.toContain(idNumber.slice(6, 14));
    await shot(second, 'signup-duplicate-h5.png');
    const login = await second.request.post(`${baseUrl}/api/v1/auth/login`, { data: { username: otherMobile, password: PASSWORD, client: 'api' } });
    expect(login.status()).toBe(401);
    const pending = await getJson<{ items: { id: number; mobile: string | null }[] }>(staff, `/service/registrations?communityCode=${XILING}&status=pending&limit=200`);
    expect(pending.items.filter((r) => r.mobile === masked(mobile))).toHaveLength(1);
    expect(pending.items.filter((r) => r.mobile === masked(otherMobile))).toHaveLength(0);

    // the community approves on the desktop, as for any registration
    await staff.goto(`${baseUrl}/service/registrations`);
    const row = staff.getByTestId('registrations-table').locator('tr').filter({ hasText: masked(mobile) });
    await row.waitFor({ timeout: 20_000 });
    expect(await row.innerText()).toContain('邱*');
    await row.getByTestId('approve').click();
    const modal = staff.locator('.ant-modal').filter({ hasText: '审核通过' });
    await modal.waitFor();
    await staff.waitForTimeout(500); // the placement defaults load into the form
    const approved = await clickForAnswer(staff, modal.getByRole('button', { name: /通过并编入/ }), 'POST', `/api/v1/service/registrations/${(await pendingId(staff, mobile))}/approve`);
    expect(approved.status(), await approved.text()).toBe(200);

    // the new member logs in from the page's button with their mobile and own password, and lands on their registration
    await phone.getByTestId('signup-login').click();
    await phone.waitForURL((url) => url.pathname === '/login');
    await phone.getByTestId('login-username').fill(mobile);
    await phone.getByTestId('login-password').fill(PASSWORD);
    await phone.getByTestId('login-submit').click();
    await phone.waitForURL((url) => url.pathname === '/m/register', { timeout: 20_000 });
    await phone.getByTestId('registration-status').waitFor();
    expect(await phone.getByTestId('registration-status').innerText()).toMatch(/报到成功[\s\S]*西陵社区/);
    await shot(phone, 'signup-approved-h5.png');
  });

  it('tells a logged-in resident what the page is for and offers their home; sends a logged-in member to the registration form', async () => {
    const resident = await logIn(browser, baseUrl, 'resident.demo', PHONE);
    await resident.goto(`${baseUrl}/m/signup/${XILING}`);
    await resident.getByTestId('signup-not-member').waitFor();
    expect(await resident.getByTestId('signup-not-member').innerText()).toContain('在职党员报到');
    await shot(resident, 'signup-resident-h5.png');
    await resident.getByTestId('signup-home').click();
    await resident.waitForURL((url) => url.pathname === '/m');

    const member = await logIn(browser, baseUrl, 'member.demo', PHONE);
    await member.goto(`${baseUrl}/m/signup/${XILING}`);
    await member.waitForURL((url) => url.pathname === '/m/register' && url.searchParams.get('community') === XILING);
  });
});

/** The pending registration of a mobile (masked in the list, as staff see it). */
async function pendingId(staff: Page, mobile: string): Promise<number> {
  const list = await getJson<{ items: { id: number; mobile: string | null }[] }>(staff, `/service/registrations?communityCode=${XILING}&status=pending&limit=200`);
  return list.items.find((r) => r.mobile === masked(mobile))!.id;
}
