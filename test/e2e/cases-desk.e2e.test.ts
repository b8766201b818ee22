// The desktop case pages as community staff, a department and the street use them: the community files a case on the
// map (登记案件), sees where it was routed, accepts it and blows the whistle (吹哨) to the district's 城管 from the case
// drawer of its desk; the department finds it in its 吹哨 queue and reports in (报到); the street's three rates count
// it and the count opens the case. Every figure asserted is the one the page shows.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
const XILING = '330108001001';

interface Detail {
  case: { id: number; serviceNo: string; state: string; handlerTier: string; handlerName: string };
  steps: { action: string; actionName: string }[];
  whistles: { departmentName: string; reportedInAt: string | null }[];
}

async function api<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`);
  if (!response.ok()) throw new Error(`GET ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('the desktop case desk: file on the map, accept, whistle, report in, count in the rates', () => {
  let browser: Browser;
  let staff: Page;
  let department: Page;
  let street: Page;
  const description = `沿街商铺把货架摆到人行道上 ${Date.now() % 100000}`;
  let caseId = 0;
  let serviceNo = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    [staff, department, street] = await Promise.all([
      logIn(browser, baseUrl, `community.${XILING}`),
      logIn(browser, baseUrl, 'dept.chengguan'),
      logIn(browser, baseUrl, 'street.330108001'),
    ]);
  });
  afterAll(async () => browser?.close());

  it('the community files a case on the map and sees where it was routed', async () => {
    await staff.goto(`${baseUrl}/cases/new`);
    const map = staff.getByTestId('case-place-picker').locator('.leaflet-container');
    await map.waitFor();
    // nothing filled in: the form names what is missing and nothing is sent
    await staff.getByTestId('case-submit').click();
    await staff.getByText('请选择案件类别').waitFor();
    await staff.getByText('请在地图上点击问题所在位置').first().waitFor();

    await staff.getByTestId('case-category').click();
    await staff.locator('.ant-select-tree-title', { hasText: '跨门经营' }).click();
    await staff.getByText('默认由社区办理').waitFor();
    await staff.getByTestId('case-description').fill(description);
    // the community's outline is fitted to the map: its middle lies inside one of its grids
    await staff.waitForTimeout(800);
    const box = (await map.boundingBox())!;
    await staff.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => staff.getByTestId('case-place-located').innerText(), { timeout: 10_000 }).toContain('西陵社区');
    await staff.getByTestId('case-submit').click();

    const created = staff.getByTestId('case-created');
    await created.waitFor({ timeout: 20_000 });
    const text = await created.innerText();
    serviceNo = /AJ\d{14}/.exec(text)?.[0] ?? '';
    expect(serviceNo).not.toBe('');
    expect(text).toContain('西陵社区');
    expect(text).toContain('24:00'); // 受理期限: 24:00 of its last working day
    const list = await api<{ items: { id: number; serviceNo: string }[] }>(staff, `/cases?q=${serviceNo}`);
    caseId = list.items[0]!.id;
    const detail = await api<Detail>(staff, `/cases/${caseId}`);
    expect(detail.case).toMatchObject({ state: 'reported', handlerTier: 'community' });
  });

  it('the desk lists it under 待受理; the community accepts and blows the whistle to 城管 from the drawer', async () => {
    await staff.goto(`${baseUrl}/cases?queue=reported`);
    await staff.getByTestId(`case-open-${caseId}`).click();
    const drawer = staff.getByTestId('case-drawer');
    await drawer.getByTestId('case-action-accept').click();
    await staff.getByTestId('case-action-ok').click();
    await drawer.getByTestId('case-action-whistle').waitFor();

    await drawer.getByTestId('case-action-whistle').click();
    await staff.getByTestId('case-action-ok').click(); // nothing chosen: refused by the form
    await staff.getByText('请至少选择一个部门').waitFor();
    await staff.getByTestId('department-select').click();
    await staff.locator('.ant-select-item-option', { hasText: '城市管理局' }).click();
    await staff.keyboard.press('Escape');
    await staff.getByTestId('case-action-note').fill('多次劝导无效，请城管到场处置');
    await staff.getByTestId('case-action-ok').click();

    const whistles = drawer.getByTestId('case-whistles');
    await expect.poll(() => whistles.innerText(), { timeout: 10_000 }).toContain('待报到');
    expect(await whistles.innerText()).toContain('城市管理局');
    const timeline = await drawer.getByTestId('case-timeline').innerText();
    for (const step of ['上报', '受理立案', '吹哨']) expect(timeline).toContain(step);
    expect(timeline).toContain('多次劝导无效，请城管到场处置');
    const detail = await api<Detail>(staff, `/cases/${caseId}`);
    expect(detail.steps.map((s) => s.action)).toEqual(['report', 'accept', 'whistle']);
  });

  it('城管 finds it in its 吹哨 queue and reports in', async () => {
    await department.goto(`${baseUrl}/cases?queue=department`);
    await department.getByTestId(`case-open-${caseId}`).click();
    const drawer = department.getByTestId('case-drawer');
    await drawer.getByTestId('case-action-report_in').click();
    await department.getByTestId('case-action-note').fill('已安排西兴中队负责');
    await department.getByTestId('case-action-ok').click();
    await expect.poll(() => drawer.getByTestId('case-whistles').innerText(), { timeout: 10_000 }).toContain('已报到');
    const detail = await api<Detail>(department, `/cases/${caseId}`);
    expect(detail.whistles[0]!.reportedInAt).not.toBeNull();
  });

  it('the street\'s rates count it, and the count of 西陵社区 opens its cases', async () => {
    await street.goto(`${baseUrl}/cases/rates`);
    const row = street.getByTestId('rates-breakdown-children').locator('tr', { hasText: '西陵社区' });
    await row.waitFor({ timeout: 20_000 });
    const reported = row.locator('td').nth(1);
    expect(Number(await reported.innerText())).toBeGreaterThanOrEqual(1);
    await reported.locator('a').click();
    const drill = street.getByTestId('case-drill-table');
    await expect.poll(() => drill.innerText(), { timeout: 10_000 }).toContain(serviceNo);
  });
});
