// A case from a resident's phone to its rated closure, in Chromium as people use it: the resident (phone, position
// from the phone at 观澜新村 1幢 in 西陵社区第一网格) photographs and reports a problem (随手拍); the grid worker
// sees it in 待办 on the phone, accepts it and feeds back with a photo; the community staff verify it (核查通过)
// on the desktop case page; the resident opens the notification, rates 满意 and the case reads 已结案 with its whole
// timeline on Beijing time; then a wish on the 心愿墙. H5 screenshots (390×844) go to test-results/screenshots/
// (or LINLI_SCREENSHOTS_DIR).
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
const SHOTS = process.env.LINLI_SCREENSHOTS_DIR ?? 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };
const GRID = '330108001001001';
/** 观澜新村 1幢: a building in 西陵社区第一网格's first micro-grid. */
const BUILDING = '330108001001C001B001';
/** A 1×1 PNG: the photo the phone "takes". */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0);
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/${name}`, fullPage });
}

async function api<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`);
  if (!response.ok()) throw new Error(`GET ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

/** 'YYYY-MM-DD HH:mm' on Beijing time, computed here (not by the page). */
function beijing(iso: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** A deadline as people say it: 24:00 Beijing of its last working day reads '…-01 24:00', not '…-02 00:00'. */
function beijingDeadline(iso: string): string {
  const at = beijing(iso);
  return at.endsWith(' 00:00') ? `${beijing(new Date(new Date(iso).getTime() - 60_000).toISOString()).slice(0, 10)} 24:00` : at;
}

/** Attaches a photo to an antd-mobile ImageUploader and waits for the upload to finish. */
async function attachPhoto(page: Page, uploaderTestId: string): Promise<void> {
  const uploader = page.getByTestId(uploaderTestId);
  await uploader.locator('input[type=file]').setInputFiles({ name: 'scene.png', mimeType: 'image/png', buffer: PNG });
  await uploader.locator('.adm-image-uploader-cell img').first().waitFor();
  await expect.poll(() => uploader.locator('.adm-image-uploader-cell-loading').count()).toBe(0);
}

interface CaseDetail {
  case: { id: number; serviceNo: string; state: string; channel: string; deadline: string; gridCode: string; microGridCode: string; lng: number; lat: number;
    photos: unknown[]; resultPhotos: unknown[]; satisfaction: string | null };
  steps: { action: string; actionName: string; at: string }[];
}

describe('a case from an H5 report to the rated closure', () => {
  let browser: Browser;
  let resident: Page;
  let grid: Page;
  let staff: Page;
  let point = { lng: 0, lat: 0 };
  let caseId = 0;
  let serviceNo = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    [resident, grid, staff] = await Promise.all([
      logIn(browser, baseUrl, 'resident.demo', PHONE),
      logIn(browser, baseUrl, `grid.${GRID}`, PHONE),
      logIn(browser, baseUrl, 'community.330108001001'),
    ]);
    const building = await api<{ location: { coordinates: [number, number] } }>(staff, `/territory/nodes/${BUILDING}`);
    point = { lng: building.location.coordinates[0], lat: building.location.coordinates[1] };
    // the resident's phone stands at the building and lets the page use its position
    await resident.context().grantPermissions(['geolocation'], { origin: baseUrl });
    await resident.context().setGeolocation({ longitude: point.lng, latitude: point.lat, accuracy: 12 });
  });
  afterAll(async () => browser?.close());

  it('the resident reports a problem with a photo and the phone position (随手拍)', async () => {
    await resident.goto(`${baseUrl}/m`);
    await resident.getByTestId('h5-tile-report').click();
    await resident.getByTestId('h5-case-report').waitFor();
    await expect.poll(() => resident.getByTestId('h5-case-position-text').innerText()).toContain('已定位');
    expect(await resident.getByTestId('h5-case-position-text').innerText()).toContain(point.lng.toFixed(6));

    // the required items carry the asterisk (position, category, description); the photo is optional
    expect(await resident.getByTestId('h5-case-report').locator('.adm-form-item-required-asterisk').count()).toBe(3);
    // nothing chosen yet: the form says what is missing (a category; a photo is optional) and files nothing
    await resident.getByTestId('h5-case-submit').click();
    await resident.getByText('请选择问题类别').waitFor();

    await attachPhoto(resident, 'h5-case-photos');
    await resident.getByTestId('h5-case-category').click();
    await resident.getByTestId('h5-case-category-search').locator('input').fill('电动车');
    await resident.getByTestId('h5-case-category-sheet').getByText('非机动车乱停放').click();
    await expect.poll(() => resident.getByTestId('h5-case-category').innerText()).toContain('市容环境 / 非机动车乱停放');
    await resident.getByTestId('h5-case-description').locator('textarea').fill('单元门口电动车乱停，堵住了消防通道');
    await resident.getByTestId('h5-case-address').locator('input').fill('观澜新村1幢单元门口');
    await resident.evaluate(() => window.scrollTo(0, 0));
    await shot(resident, 'cases-h5-report.png');
    await resident.getByTestId('h5-case-submit').click();

    await resident.getByTestId('h5-case-created').waitFor();
    serviceNo = await resident.getByTestId('h5-case-created-no').innerText();
    expect(serviceNo).toMatch(/^AJ\d{14}$/);
    expect(await resident.getByTestId('h5-case-created-grid').innerText()).toContain('西陵社区第一网格');
    await shot(resident, 'cases-h5-created.png');

    const mine = await api<{ items: { id: number; serviceNo: string }[] }>(resident, '/cases/mine');
    caseId = mine.items.find((c) => c.serviceNo === serviceNo)!.id;
    const detail = await api<CaseDetail>(resident, `/cases/${caseId}`);
    expect(detail.case).toMatchObject({ state: 'reported', channel: 'h5', gridCode: GRID, microGridCode: `${GRID}001` });
    expect(detail.case.lng).toBeCloseTo(point.lng, 5); // the phone's position, to the sixth decimal (~0.1 m)
    expect(detail.case.lat).toBeCloseTo(point.lat, 5);
    expect(detail.case.photos).toHaveLength(1);
    expect(await resident.getByTestId('h5-case-created-deadline').innerText()).toContain(beijingDeadline(detail.case.deadline)); // 受理期限

    // 我的上报 lists it 待受理, and it can still be withdrawn there
    await resident.getByTestId('h5-case-open').click();
    await expect.poll(() => resident.getByTestId('h5-case-state').innerText()).toBe('待受理');
    await resident.getByTestId('h5-case-withdraw').waitFor();
    await resident.goto(`${baseUrl}/m/cases`);
    const row = resident.getByTestId('h5-case-row').filter({ hasText: serviceNo });
    await expect.poll(() => row.getByTestId('h5-case-state').innerText()).toBe('待受理');
  });

  it('the grid worker sees it in 待办 on the phone, accepts it and feeds back with a photo', async () => {
    await grid.goto(`${baseUrl}/m`);
    await expect.poll(async () => Number((await grid.getByTestId('h5-todo-count').innerText()).replace(/\D/g, ''))).toBeGreaterThanOrEqual(1);
    await grid.getByTestId('h5-todo-link').click();
    const row = grid.getByTestId('h5-case-todo-list').getByTestId('h5-case-row').filter({ hasText: serviceNo });
    await row.waitFor();
    expect(await row.getByTestId('h5-case-clock').innerText()).toMatch(/剩余/);
    await shot(grid, 'cases-h5-todo.png');

    await row.click();
    await expect.poll(() => grid.getByTestId('h5-case-state').innerText()).toBe('待受理');
    await grid.getByTestId('h5-case-act-accept').click();
    await grid.locator('.adm-dialog').getByText('确定').click();
    await expect.poll(() => grid.getByTestId('h5-case-state').innerText()).toBe('处置中');

    await grid.getByTestId('h5-case-act-resolve').click();
    const sheet = grid.getByTestId('h5-case-sheet-resolve');
    await sheet.waitFor();
    await sheet.getByTestId('h5-case-sheet-submit').click(); // no note yet: refused by the form
    await sheet.getByText('请写明怎么处置的').waitFor();
    await grid.getByTestId('h5-case-resolve-note').locator('textarea').fill('已联系车主挪走电动车，通道恢复畅通');
    await attachPhoto(grid, 'h5-case-resolve-photos');
    await shot(grid, 'cases-h5-resolve.png');
    await sheet.getByTestId('h5-case-sheet-submit').click();
    await expect.poll(() => grid.getByTestId('h5-case-state').innerText()).toBe('待核查');
    const detail = await api<CaseDetail>(grid, `/cases/${caseId}`);
    expect(detail.case.resultPhotos).toHaveLength(1);
  });

  it('the community staff verify it on the desktop case page (核查通过)', async () => {
    await staff.goto(`${baseUrl}/cases/${caseId}`);
    await staff.getByTestId('case-action-verify').click();
    await staff.getByTestId('case-action-ok').click();
    await expect.poll(async () => (await api<CaseDetail>(staff, `/cases/${caseId}`)).case.state).toBe('rating');
  });

  it('the resident opens the notification, rates 满意 on the phone and the case is closed with its whole timeline', async () => {
    await resident.goto(`${baseUrl}/m/inbox`);
    const note = resident.getByTestId('h5-inbox-item').filter({ hasText: '请评价' }).first();
    await note.click();
    await resident.waitForURL(`**/m/cases/${caseId}`);
    await resident.getByTestId('h5-case-rate').waitFor();

    // 不满意 needs a reason: nothing is sent without one
    await resident.getByTestId('h5-case-rate-choice').getByText('不满意').click();
    await resident.getByTestId('h5-case-rate-submit').click();
    await expect.poll(() => resident.getByTestId('h5-case-rate-hint').innerText()).toContain('不满意请写明原因');
    expect((await api<CaseDetail>(resident, `/cases/${caseId}`)).case.state).toBe('rating');

    await resident.getByTestId('h5-case-rate-choice').getByText('满意', { exact: true }).click();
    await resident.getByTestId('h5-case-rate-note').locator('textarea').fill('处理得很快，谢谢网格员');
    await resident.getByTestId('h5-case-rate-submit').click();
    await expect.poll(() => resident.getByTestId('h5-case-state').innerText()).toBe('已结案');
    await expect.poll(() => resident.getByTestId('h5-case-satisfaction').innerText()).toBe('满意');

    const detail = await api<CaseDetail>(resident, `/cases/${caseId}`);
    expect(detail.case).toMatchObject({ state: 'closed', satisfaction: 'satisfied' });
    expect(detail.steps.map((s) => s.action)).toEqual(['report', 'accept', 'resolve', 'verify', 'rate']);
    const timeline = resident.getByTestId('h5-case-timeline');
    for (const s of detail.steps) {
      expect(await timeline.innerText()).toContain(s.actionName);
      expect(await timeline.innerText()).toContain(beijing(s.at)); // on Beijing time whatever the phone's zone
    }
    await resident.locator('.adm-toast-mask').waitFor({ state: 'detached' });
    await resident.evaluate(() => window.scrollTo(0, 0));
    await shot(resident, 'cases-h5-detail.png', true);
  });

  it('the resident posts a wish to the 心愿墙 from the phone', async () => {
    const wish = `希望小区增设几张休息长椅 ${Date.now() % 100000}`;
    await resident.goto(`${baseUrl}/m`);
    await resident.getByTestId('h5-tile-wishes').click();
    await resident.getByTestId('h5-wish-new').click();
    await expect.poll(() => resident.getByTestId('h5-case-position-text').innerText()).toContain('已定位');
    await resident.getByTestId('h5-case-description').locator('textarea').fill(wish);
    await resident.getByTestId('h5-case-submit').click(); // a wish needs no photo
    await resident.getByTestId('h5-case-created').waitFor();
    await resident.goto(`${baseUrl}/m/wishes`);
    const card = resident.getByTestId('h5-wish').filter({ hasText: wish });
    await expect.poll(() => card.innerText()).toContain('我的');
    const wall = await api<{ items: { description: string; categoryCode: string; communityCode: string; mine: boolean }[] }>(resident, '/cases/wishes');
    expect(wall.items.find((w) => w.description === wish)).toMatchObject({ categoryCode: '0601', communityCode: '330108001001', mine: true });
    await shot(resident, 'cases-h5-wishes.png');
  });
});
