// The property company (物业) at work on the desktop: a resident reports water leaking in its compound; the company
// logs in, lands on 物业案件 with only what it may open in its menu, finds the case waiting, accepts it and feeds back
// with a note; the case then waits for the community's 核查. Every state asserted is the one the page shows.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { clickForAnswer, launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
const PROPERTY = 'property.330108001001c001';

async function api<T>(page: Page, method: 'GET' | 'POST', path: string, data?: unknown): Promise<T> {
  const response = method === 'GET' ? await page.request.get(`${baseUrl}/api/v1${path}`) : await page.request.post(`${baseUrl}/api/v1${path}`, { data: data ?? {} });
  if (!response.ok()) throw new Error(`${method} ${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

describe('the property company accepts and feeds back a property case', () => {
  let browser: Browser;
  let property: Page;
  let resident: Page;
  const description = `楼顶水箱漏水，顺着楼道往下渗 ${Date.now() % 100000}`;
  let caseId = 0;
  let serviceNo = '';

  beforeAll(async () => {
    browser = await launchBrowser();
    [property, resident] = await Promise.all([logIn(browser, baseUrl, PROPERTY), logIn(browser, baseUrl, 'resident.demo')]);
    // the resident reports at a building of the company's compound (as the phone's 随手拍 would)
    const summary = await api<{ compounds: { code: string }[] }>(property, 'GET', '/cases/property/summary');
    const compound = await api<{ buildings: { location: { coordinates: [number, number] } | null }[] }>(property, 'GET', `/archive/compounds/${summary.compounds[0]!.code}`);
    const [lng, lat] = compound.buildings.find((b) => b.location)!.location!.coordinates;
    const made = await api<{ id: number; serviceNo: string; handlerTier: string }>(resident, 'POST', '/cases', { categoryCode: '0303', lng, lat, description });
    expect(made.handlerTier).toBe('property');
    caseId = made.id;
    serviceNo = made.serviceNo;
  });
  afterAll(async () => browser?.close());

  it('lands on its 工作台 with the case waiting, opens its cases from there; only the pages it may open in its menu', async () => {
    await property.waitForURL((url) => url.pathname === '/');
    // it logged in before the resident reported: it opens its home again, as a person coming back to it would
    await property.goto(`${baseUrl}/`);
    const todo = property.getByTestId('todo-property.reported');
    await expect.poll(() => todo.innerText(), { timeout: 15_000 }).toMatch(/待受理的物业案件\s*[1-9]/);
    await todo.click();
    await property.waitForURL((url) => url.pathname === '/cases/property' && url.searchParams.get('state') === 'reported');
    const menu = await property.getByTestId('side-menu').innerText();
    expect(menu).toContain('物业案件');
    for (const hidden of ['案件台', '三率统计', '案件地图', '案件设置', '小区档案', '居民查询', '用户管理', '角色']) expect(menu).not.toContain(hidden);
    await property.getByTestId('property-compounds').getByRole('link').first().waitFor();
  });

  it('finds the case waiting, accepts it and feeds back; the case then waits for the community', async () => {
    const row = property.getByTestId('property-cases').getByText(serviceNo);
    await row.waitFor({ timeout: 15_000 });
    expect(await property.getByTestId('property-tab-reported').innerText()).toMatch(/待受理\s*[1-9]/);
    await row.click();
    const drawer = property.getByTestId('case-drawer');
    await drawer.getByTestId('case-detail').waitFor();
    expect(await drawer.innerText()).toContain(description);
    // only the company's own actions: 受理 and 退回社区, nothing a community does
    expect(await drawer.getByTestId('case-actions').getByRole('button').allInnerTexts()).toEqual(expect.arrayContaining(['物业受理', expect.stringContaining('退回社区')]));
    expect(await drawer.getByTestId('case-action-void').count()).toBe(0);

    await drawer.getByTestId('case-action-accept').click();
    await clickForAnswer(property, property.getByTestId('case-action-ok'), 'POST', `/api/v1/cases/${caseId}/actions`);
    await drawer.getByTestId('case-action-resolve').waitFor();

    // feedback without words is refused on the form and nothing is sent
    await drawer.getByTestId('case-action-resolve').click();
    await property.getByTestId('case-action-ok').click();
    await property.getByText('请填写处置情况').waitFor();
    await property.getByTestId('case-action-note').fill('已更换水箱进水阀，楼道积水已清理');
    const answer = await clickForAnswer(property, property.getByTestId('case-action-ok'), 'POST', `/api/v1/cases/${caseId}/actions`);
    expect(answer.status()).toBe(200);
    await expect.poll(() => drawer.innerText(), { timeout: 10_000 }).toContain('待核查');

    const detail = await api<{ case: { state: string }; steps: { action: string; actorKind: string }[] }>(property, 'GET', `/cases/${caseId}`);
    expect(detail.case.state).toBe('resolved');
    expect(detail.steps.filter((s) => s.actorKind === 'property').map((s) => s.action)).toEqual(['accept', 'resolve']);
  });
});
