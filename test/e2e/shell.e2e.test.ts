import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { clickForAnswer, DEMO_PASSWORD, launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');

/** Opens `title` in the tree until `child` shows. The page may expand the root by itself while we look, so the
 * switcher is clicked only while it is closed, and the state is read again after each wait. */
async function expand(page: Page, title: string, child: string): Promise<void> {
  const tree = page.getByTestId('territory-tree');
  const node = tree.locator('.ant-tree-treenode', { hasText: title }).first();
  await node.waitFor();
  for (let i = 0; i < 20; i++) {
    if (await tree.getByText(child, { exact: true }).count()) return;
    if (await node.locator('.ant-tree-switcher_close').count()) await node.locator('.ant-tree-switcher').click();
    await page.waitForTimeout(500);
  }
  throw new Error(`${child} did not appear under ${title}`);
}

describe('web shell in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => { browser = await launchBrowser(); });
  afterAll(async () => browser?.close());

  it('refuses a wrong password with a message a person can act on', async () => {
    const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('Wrong-pass-1');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').innerText()).resolves.toContain('用户名或密码错误');
    await page.context().close();
  });

  it('an administrator browses the territory tree down to a community and sees it on the map; locate finds the grid', async () => {
    const page = await logIn(browser, baseUrl, 'admin');
    await page.goto(`${baseUrl}/territory`);
    await expand(page, '滨江区', '西兴街道');
    await expand(page, '西兴街道', '西陵社区');
    await page.getByTestId('territory-tree').getByText('西陵社区', { exact: true }).click();
    await expect.poll(() => page.getByTestId('node-code').innerText()).toBe('330108001001');
    await expect(page.getByTestId('node-kind').innerText()).resolves.toBe('社区');
    // the community's boundary and its children's polygons are drawn, without any tile server
    await expect.poll(() => page.getByTestId('territory-map').locator('path.leaflet-interactive').count()).toBeGreaterThan(2);
    expect(await page.locator('.leaflet-tile').count()).toBe(0);

    await page.getByTestId('locate-toggle').click();
    const map = page.getByTestId('territory-map');
    const box = (await map.boundingBox())!;
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.getByTestId('locate-street').innerText(), { timeout: 10_000 }).toContain('西兴街道');
    await expect(page.getByTestId('locate-community').innerText()).resolves.toContain('西陵社区');
    await page.screenshot({ path: 'test-results/e2e-territory.png' });
    await page.context().close();
  });

  it('a community worker sees only their community; another community is not found', async () => {
    const page = await logIn(browser, baseUrl, 'community.330108001001');
    await page.goto(`${baseUrl}/territory`);
    const tree = page.getByTestId('territory-tree');
    await tree.getByText('西陵社区', { exact: true }).waitFor();
    expect(await tree.getByText('西兴街道', { exact: true }).count()).toBe(0);
    expect(await tree.getByText('滨江区', { exact: true }).count()).toBe(0);
    await page.goto(`${baseUrl}/territory?code=330108002001`);
    await expect.poll(() => page.getByTestId('node-detail').innerText(), { timeout: 10_000 }).toContain('不存在或不在您的数据范围内');
    await page.context().close();
  });

  it('shows the party-organisation tree and hides administration from a grid worker', async () => {
    const admin = await logIn(browser, baseUrl, 'admin');
    await admin.goto(`${baseUrl}/org`);
    await expect.poll(() => admin.getByTestId('org-tree').innerText(), { timeout: 10_000 }).toContain('西兴街道');
    await admin.context().close();

    const grid = await logIn(browser, baseUrl, 'grid.330108001001001');
    expect(await grid.getByTestId('side-menu').getByText('用户管理').count()).toBe(0);
    await grid.goto(`${baseUrl}/users`);
    await grid.getByText('您没有访问此页面的权限').waitFor({ timeout: 10_000 });
    await grid.context().close();
  });

  it('lands each role on its home by device: the H5 on a phone for residents, members and grid workers; never a page it may not open', async () => {
    const phone = { width: 390, height: 844 };
    const desk = { width: 1440, height: 900 };
    const cases: [string, { width: number; height: number }, string, string][] = [
      ['resident.demo', phone, '/', '/m'],
      ['member.demo', phone, '/cases', '/m'], // a desktop page asked for is not followed on a phone-only role
      ['member.demo', desk, '/', '/m'],
      ['grid.330108001001001', phone, '/', '/m'],
      ['grid.330108001001001', desk, '/', '/'],
      ['grid.330108001001001', desk, '/users', '/'], // asked for a page it may not open: its home instead
      ['unit.demo', desk, '/', '/'], // its 工作台: its members' registration as to-dos
      ['community.330108001001', desk, '/cases', '/cases'],
    ];
    for (const [username, viewport, start, home] of cases) {
      const context = await browser.newContext({ viewport, locale: 'zh-CN', isMobile: viewport.width < 500, hasTouch: viewport.width < 500 });
      const page = await context.newPage();
      await page.goto(`${baseUrl}${start}`);
      await page.waitForURL(/\/login/);
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 20_000 });
      await expect.poll(() => new URL(page.url()).pathname, { message: `${username} at ${viewport.width}px from ${start}` }).toBe(home);
      expect(await page.getByText('没有访问此页面的权限').count(), username).toBe(0);
      await context.close();
    }
  });

  it('an administrator adds and renames a grid, and creates a user who is shown the initial password once', async () => {
    const page = await logIn(browser, baseUrl, 'admin');
    await page.goto(`${baseUrl}/territory?code=330108001002`);
    await expect.poll(() => page.getByTestId('node-code').innerText()).toBe('330108001002');
    await page.getByTestId('node-create').click();
    await page.getByTestId('create-node-form').getByLabel('名称').fill('浏览器测试网格');
    const madeAnswer = await clickForAnswer(page, page.getByRole('button', { name: '保 存' }), 'POST', '/api/v1/territory/nodes');
    expect(madeAnswer.status(), await madeAnswer.text()).toBe(201);
    // the tree and the panel reload after the answer; on a busy machine with the embedded engine that takes a while
    await expect.poll(() => page.getByTestId('node-name').innerText(), { timeout: 30_000 }).toBe('浏览器测试网格');
    expect(await page.getByTestId('node-code').innerText()).toMatch(/^330108001002\d{3}$/);
    await page.getByTestId('node-edit').click();
    await page.getByTestId('edit-node-form').getByLabel('名称').fill('');
    await page.getByRole('button', { name: '保 存' }).click();
    await page.getByText('请输入名称').waitFor({ timeout: 5_000 });
    await page.getByTestId('edit-node-form').getByLabel('名称').fill('浏览器测试网格（改）');
    await page.getByRole('button', { name: '保 存' }).click();
    await expect.poll(() => page.getByTestId('node-name').innerText(), { timeout: 30_000 }).toBe('浏览器测试网格（改）');

    await page.goto(`${baseUrl}/users`);
    await page.getByTestId('user-create').click();
    const form = page.getByTestId('user-form');
    await form.getByLabel('用户名').fill('browser.user');
    await form.getByLabel('姓名').fill('浏览器测试');
    // each option list is opened, its option chosen, the choice read back, and the list closed by clicking a field
    // above it — not with Escape, which closes the whole dialog when the list has already closed
    const openList = page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden)');
    await form.getByLabel('角色').click();
    await openList.getByTitle('网格员').click();
    await form.locator('.ant-select-selection-item[title="网格员"]').waitFor();
    await form.getByLabel('用户名').click();
    await expect.poll(() => openList.count()).toBe(0);
    await form.getByLabel('数据范围').click();
    await openList.getByTitle('全部').click();
    await form.locator('.ant-select-content[title="全部"]').waitFor();
    await form.getByLabel('用户名').click();
    await expect.poll(() => openList.count()).toBe(0);
    const answer = await clickForAnswer(page, page.getByRole('button', { name: '保 存' }), 'POST', '/api/v1/users');
    expect(answer.status(), await answer.text()).toBe(201);
    await page.getByTestId('initial-password').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('initial-password').innerText()).toMatch(/^\S{12}$/);
    await page.context().close();
  });
});
