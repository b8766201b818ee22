// The four-order loop in Chromium, as people use it: a resident orders on the phone (H5), the community dispatches
// on the desktop order desk, the member — registered at the community first — accepts and completes on the phone
// with a photo, the resident rates on the phone, and the desk shows the order rated with its whole timeline.
// Screenshots (desktop 1440×900, H5 390×844) go to test-results/screenshots/ (or LINLI_SCREENSHOTS_DIR).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD, launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
const XILING = '330108001001';
const SHOTS = process.env.LINLI_SCREENSHOTS_DIR ?? 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
/** A 1×1 PNG: the evidence photo the member "takes". */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/${name}` });
}

/** Logs in from a browser whose clock runs in another zone: service times must still read on Beijing time. */
async function logInFrom(browser: Browser, username: string, timezoneId: string, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
  return page;
}

/** 'YYYY-MM-DD HH:mm' on Beijing time, computed here (not by the page) to check what the page shows. */
function beijing(iso: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

async function api<T>(page: Page, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const response = method === 'GET' ? await page.request.get(`${baseUrl}/api/v1${path}`) : await page.request.post(`${baseUrl}/api/v1${path}`, { data: data ?? {} });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('the four-order loop (四单) through H5 and the desktop', () => {
  let browser: Browser;
  let resident: Page;
  let staff: Page;
  let member: Page;
  const title = `帮忙修理水龙头 ${Date.now() % 100000}`;
  let orderId = 0;

  beforeAll(async () => {
    browser = await launchBrowser();
    // staff in New York and a resident in London: every time of the loop still reads on Beijing time
    [resident, staff, member] = await Promise.all([
      logInFrom(browser, 'resident.demo', 'Europe/London', PHONE),
      logInFrom(browser, `community.${XILING}`, 'America/New_York'),
      logIn(browser, baseUrl, 'member.demo', PHONE),
    ]);
  });
  afterAll(async () => browser?.close());

  it('a resident orders a service on the phone', async () => {
    await resident.goto(`${baseUrl}/m`);
    // submitting with nothing filled in: the page brings the first field back with its label below the sticky top bar
    await resident.setViewportSize({ width: PHONE.width, height: 560 }); // a small phone: the field is off screen when the button is tapped
    await resident.getByTestId('h5-order-submit').waitFor();
    await resident.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await resident.getByTestId('h5-order-submit').click();
    await resident.getByText('请填写需要什么服务').waitFor();
    const label = resident.locator('.adm-form-item-label', { hasText: '需要什么服务' });
    const bar = (await resident.locator('.linli-m-navbar').boundingBox())!;
    await expect.poll(async () => (await label.boundingBox())!.y).toBeGreaterThanOrEqual(bar.y + bar.height);
    expect((await label.boundingBox())!.y).toBeLessThan(200);
    await shot(resident, 'h5-resident-order-required.png');
    await resident.setViewportSize(PHONE);
    await resident.getByTestId('h5-order-title-input').locator('input').fill(title);
    await resident.locator('textarea').first().fill('厨房水龙头一直滴水，周末在家');
    await resident.getByTestId('h5-order-skill').getByText('水电维修').click();
    await shot(resident, 'h5-resident-order.png');
    await resident.getByTestId('h5-order-submit').click();
    const mine = resident.getByTestId('h5-my-orders');
    await mine.getByText(title).waitFor();
    await expect.poll(() => mine.locator('.adm-list-item', { hasText: title }).getByTestId('h5-order-state').innerText()).toBe('待派单');
    await shot(resident, 'h5-resident-orders.png');
    const orders = await api<{ items: { id: number; title: string; communityCode: string }[] }>(resident, 'GET', '/service/orders/mine');
    const order = orders.items.find((o) => o.title === title)!;
    expect(order.communityCode).toBe(XILING);
    orderId = order.id;
  });

  it('the member registers at the community and is approved', async () => {
    const before = await api<{ registered: boolean }>(member, 'GET', '/service/members/me');
    if (!before.registered) { // always, on the fresh test-scale data
      const form = await api<{ compounds: { code: string }[] }>(member, 'GET', `/service/communities/${XILING}/registration-form`);
      const registration = await api<{ id: number }>(member, 'POST', '/service/registrations', {
        communityCode: XILING, homeCode: form.compounds[0]!.code, unitOrgName: '滨江区某机关党支部', workUnit: '滨江区某机关', skills: ['plumbing'], wishes: [],
      });
      await api(staff, 'POST', `/service/registrations/${registration.id}/approve`, {});
    }
    const me = await api<{ registered: boolean; communityCode: string }>(member, 'GET', '/service/members/me');
    expect(me).toMatchObject({ registered: true, communityCode: XILING });
  });

  it('the community dispatches it to the member on the order desk', async () => {
    await staff.goto(`${baseUrl}/service/orders`);
    const row = staff.getByTestId('orders-table').locator('tr', { hasText: title });
    await row.waitFor();
    const { order: placed } = await api<{ order: { createdAt: string } }>(staff, 'GET', `/service/orders/${orderId}`);
    expect(await row.innerText()).toContain(beijing(placed.createdAt)); // 下单时间 on Beijing time in New York
    await shot(staff, 'service-orders.png');
    await row.getByTestId(`order-dispatch-${orderId}`).click();
    const modal = staff.locator('.ant-modal', { hasText: '派单' });
    await modal.waitFor();
    const memberName = (await api<{ user: { displayName: string } }>(member, 'GET', '/auth/me')).user.displayName;
    await modal.getByRole('combobox').last().click();
    // the list first shows the whole register; the option is picked once the answer to the whole name has come back
    const searched = staff.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/forces/persons'
      && new URL(r.url()).searchParams.get('q') === memberName, { timeout: 15_000 });
    await staff.keyboard.type(memberName);
    await searched;
    const option = staff.locator('.ant-select-item-option').first();
    await option.waitFor({ timeout: 15_000 });
    await expect.poll(() => staff.locator('.ant-select-item-option').count()).toBeLessThan(20);
    await shot(staff, 'service-dispatch.png');
    await option.click();
    await modal.getByRole('button', { name: '确定派单' }).click();
    await staff.getByText('已派单').waitFor();
    await staff.getByTestId('order-state-tabs').getByText('待接单').click();
    await expect.poll(() => staff.getByTestId(`order-state-${orderId}`).innerText()).toBe('待接单');
  });

  it('the member accepts and completes it on the phone with hours and a photo', async () => {
    await member.goto(`${baseUrl}/m/orders`);
    await member.getByTestId('h5-assigned').getByText(title).click();
    await member.getByTestId('h5-order-title').waitFor();
    await shot(member, 'h5-member-order.png');
    await member.getByTestId('h5-accept').click();
    await expect.poll(() => member.getByTestId('h5-order-state').innerText()).toBe('服务中');
    await member.getByTestId('h5-hours').locator('button').last().click(); // 1 → 1.5 h
    await member.getByTestId('h5-photos').locator('input[type=file]').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PNG });
    await member.getByTestId('h5-photos').locator('.adm-image-uploader-cell img').first().waitFor();
    await expect.poll(() => member.getByTestId('h5-photos').locator('.adm-image-uploader-cell-loading').count()).toBe(0);
    await member.locator('[data-testid="h5-complete"] textarea').fill('已更换阀芯，不再漏水');
    await shot(member, 'h5-member-complete.png');
    await member.getByTestId('h5-complete-submit').click();
    await expect.poll(() => member.getByTestId('h5-order-state').innerText()).toBe('待评价');
  });

  it('the resident rates the finished service on the phone', async () => {
    await resident.goto(`${baseUrl}/m/orders/${orderId}`);
    await resident.getByTestId('h5-rate').waitFor();
    await resident.locator('[data-testid="h5-rate"] textarea').fill('师傅很专业，谢谢社区');
    // no stars chosen yet: 提交评价 asks for them and records nothing
    expect(await resident.getByTestId('h5-stars').locator('.adm-rate-star-active').count()).toBe(0);
    await resident.getByTestId('h5-rate-submit').click();
    await expect.poll(() => resident.getByTestId('h5-rate-hint').innerText()).toBe('请先点星星给这次服务打分');
    await shot(resident, 'h5-resident-rate-required.png');
    expect((await api<{ ratings: unknown[]; order: { state: string } }>(resident, 'GET', `/service/orders/${orderId}`))).toMatchObject({ ratings: [], order: { state: 'done' } });
    await resident.getByTestId('h5-stars').locator('[role=radio][aria-label="4"]').click();
    await expect.poll(() => resident.getByTestId('h5-rate-hint').innerText()).toBe('满意');
    await shot(resident, 'h5-resident-rate.png');
    await resident.getByTestId('h5-rate-submit').click();
    await expect.poll(() => resident.getByTestId('h5-order-state').innerText()).toBe('已评价');
    await expect.poll(() => resident.getByTestId('h5-order-timeline').innerText()).toContain('评价完成');
    const rated = await api<{ ratings: { raterKind: string; score: number }[]; events: { at: string }[] }>(resident, 'GET', `/service/orders/${orderId}`);
    expect(rated.ratings).toEqual([expect.objectContaining({ raterKind: 'resident', score: 4 })]);
    // the H5 timeline reads on Beijing time in a London browser
    for (const e of rated.events) expect(await resident.getByTestId('h5-order-timeline').innerText()).toContain(beijing(e.at));
  });

  it('the desk shows the order rated, with every step on its timeline', async () => {
    await staff.goto(`${baseUrl}/service/orders`);
    await staff.getByTestId('order-state-tabs').getByText('已评价').click();
    await expect.poll(() => staff.getByTestId(`order-state-${orderId}`).innerText()).toBe('已评价');
    await staff.getByTestId(`order-open-${orderId}`).click();
    const timeline = staff.getByTestId('order-timeline');
    await timeline.waitFor();
    for (const step of ['居民点单', '社区派单', '接单', '完成服务', '评价完成']) await expect.poll(() => timeline.innerText()).toContain(step);
    await staff.getByTestId('rating-resident').waitFor();
    // the drawer reads on Beijing time in a New York browser
    const detail = await api<{ events: { at: string }[] }>(staff, 'GET', `/service/orders/${orderId}`);
    for (const e of detail.events) expect(await timeline.innerText()).toContain(beijing(e.at));
    await shot(staff, 'service-order-timeline.png');
    // the hours are the member's, confirmed by the resident who was served
    const record = await api<{ status: string; hours: number; confirmedAs: string }>(staff, 'GET', `/service/records/${(await api<{ order: { recordId: number } }>(staff, 'GET', `/service/orders/${orderId}`)).order.recordId}`);
    expect(record).toMatchObject({ status: 'confirmed', hours: 1.5, confirmedAs: 'resident' });
    // the member sees the confirmed hours on the phone and prints the certificate
    await member.goto(`${baseUrl}/m/records`);
    const mine = member.getByTestId('h5-my-records').locator('.adm-list-item', { hasText: title });
    await mine.waitFor();
    await expect.poll(() => mine.innerText()).toContain('已确认');
    await shot(member, 'h5-member-records.png');
    const certificate = await member.request.get(`${baseUrl}/api/v1/service/members/me/certificate`);
    expect(certificate.headers()['content-type']).toMatch(/text\/html/);
    const html = await certificate.text();
    expect(html).toContain(title);
    expect(html).toContain('服务证明');
    await staff.goto(`${baseUrl}/service/records?status=all`);
    await staff.getByTestId('records-table').waitFor();
    await shot(staff, 'service-records.png');
  });

  it('the member may check in and out of a claimed task on the phone — optional, offered, never asked for', async () => {
    const soon = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
    const task = await api<{ id: number }>(staff, 'POST', '/service/tasks', { title: `楼道杂物清理 ${Date.now() % 100000}`, size: 'micro', scopeCode: XILING,
      capacity: 3, startsAt: soon(30), endsAt: soon(150), hourCap: 2 });
    await api(member, 'POST', `/service/tasks/${task.id}/claims`, {});
    await member.goto(`${baseUrl}/m/tasks/${task.id}`);
    const card = member.getByTestId('h5-task-attendance');
    await expect.poll(() => card.innerText()).toContain('不签也可以报告完成');
    await member.getByTestId('h5-task-check-in').click();
    await expect.poll(() => member.getByTestId('h5-task-checked-in').innerText()).toContain('签到');
    await member.getByTestId('h5-task-check-out').click();
    await expect.poll(() => member.getByTestId('h5-task-checked-in').innerText()).toContain('签退');
    await shot(member, 'h5-member-task-attendance.png');
    // the span (a few seconds) suggests the least hours as the form's starting value; the member still states them
    await expect.poll(() => member.getByTestId('h5-task-hours').locator('input').inputValue()).toBe('0.5');
    const seen = await api<{ myClaim: { checkedInAt: string | null; checkedOutAt: string | null; suggestedHours: number } }>(member, 'GET', `/service/tasks/${task.id}`);
    expect(seen.myClaim).toMatchObject({ checkedInAt: expect.any(String), checkedOutAt: expect.any(String), suggestedHours: 0.5 });
  });
});
