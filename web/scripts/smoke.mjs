// Browser smoke test of the main flows against a running app (server + built web).
// Usage: node web/scripts/smoke.mjs [baseUrl]   — writes nothing outside the database it talks to.
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:4173';
const password = process.env.LINLI_PASSWORD ?? 'Linli@2026';
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

async function login(username) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log('[pageerror]', err.message));
  await page.goto(`${base}/login`);
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15000 });
  return page;
}

// Administrator: territory create + edit, user create + reset password.
{
  const page = await login('admin');
  await page.goto(`${base}/territory?code=330108001001`);
  await page.getByTestId('node-code').waitFor();
  check((await page.getByTestId('node-code').innerText()) === '330108001001', 'territory detail shows the selected code');
  check(await page.getByTestId('territory-map').locator('path.leaflet-interactive').count() > 1, 'map draws the node and its children');
  await page.getByTestId('node-create').click();
  const name = `测试网格${Date.now() % 100000}`;
  await page.getByTestId('create-node-form').getByLabel('名称').fill(name);
  await page.getByRole('button', { name: '保 存' }).click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="node-name"]')?.textContent === n, name, { timeout: 10000 });
  check(true, `created child node ${name}`);
  await page.getByTestId('node-edit').click();
  await page.getByTestId('edit-node-form').getByLabel('名称').fill('');
  await page.getByRole('button', { name: '保 存' }).click();
  const invalid = await page.getByText('请输入名称').waitFor({ timeout: 5000 }).then(() => true, () => false);
  check(invalid, 'edit shows validation for an empty name');
  await page.getByTestId('edit-node-form').getByLabel('名称').fill(`${name}改`);
  await page.getByRole('button', { name: '保 存' }).click();
  await page.waitForFunction((n) => document.querySelector('[data-testid="node-name"]')?.textContent === n, `${name}改`, { timeout: 10000 });
  check(true, 'renamed node');

  await page.goto(`${base}/users`);
  await page.getByTestId('user-create').click();
  const username = `smoke.${Date.now() % 1000000}`;
  const form = page.getByTestId('user-form');
  await form.getByLabel('用户名').fill(username);
  await form.getByLabel('姓名').fill('冒烟测试');
  await form.getByLabel('角色').click();
  await page.getByTitle('网格员').click();
  await page.keyboard.press('Escape');
  await form.getByLabel('数据范围').click();
  await page.getByTitle('全部').click();
  await page.getByRole('button', { name: '保 存' }).click();
  await page.getByTestId('initial-password').waitFor({ timeout: 10000 });
  check((await page.getByTestId('initial-password').innerText()).length >= 8, 'new user shows an initial password once');
  await page.screenshot({ path: '/tmp/smoke-user-created.png' });
  await page.context().close();
}

// Grid worker: no user management in the menu, 403 when visited directly.
{
  const page = await login('grid.330108001001001');
  check(!(await page.getByTestId('side-menu').getByText('用户管理').count()), 'grid worker menu hides 用户管理');
  await page.goto(`${base}/users`);
  const denied = await page.getByText('您没有访问此页面的权限').waitFor({ timeout: 10000 }).then(() => true, () => false);
  check(denied, 'grid worker gets 403 on /users');
  await page.goto(`${base}/territory`);
  await page.getByTestId('node-code').waitFor();
  check(!(await page.getByTestId('node-create').count()), 'grid worker has no 新增下级');
  await page.screenshot({ path: '/tmp/smoke-grid-territory.png' });
  await page.context().close();
}

await browser.close();
console.log(failures ? `${failures} failure(s)` : 'all passed');
process.exit(failures ? 1 : 0);
