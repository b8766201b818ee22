// Logs in through the real app in Chromium and saves screenshots of the main pages to docs/screenshots/.
// Usage: npm start, then node web/scripts/screenshots.mjs [baseUrl]   (default http://127.0.0.1:3000)
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const username = process.env.LINLI_USER ?? 'admin';
const password = process.env.LINLI_PASSWORD ?? 'Linli@2026';
const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });

// Chinese text needs a CJK font on the machine: apt-get install fonts-noto-cjk
page.on('console', (msg) => {
  if (msg.type() === 'error' || msg.type() === 'warning') console.log(`[console.${msg.type()}]`, msg.text());
});
page.on('pageerror', (err) => console.log('[pageerror]', err.message));

const shot = async (name) => {
  await page.waitForTimeout(800);
  await page.screenshot({ path: `${outDir}${name}.png`, fullPage: false });
  console.log('saved', name);
};

await page.goto(`${base}/login`);
await page.getByTestId('login-username').waitFor();
await shot('login');

// Wrong password shows the server's message.
await page.getByTestId('login-username').fill(username);
await page.getByTestId('login-password').fill('wrong-password');
await page.getByTestId('login-submit').click();
await page.getByTestId('login-error').waitFor({ timeout: 10000 });
console.log('login error text:', await page.getByTestId('login-error').innerText());

await page.getByTestId('login-password').fill(password);
await page.getByTestId('login-submit').click();
await page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 15000 });
console.log('after login:', page.url());
if (page.url().includes('/account/password')) await shot('password');

await page.goto(`${base}/`);
await page.getByTestId('dashboard').waitFor();
await page.waitForLoadState('networkidle');
await shot('dashboard');

await page.goto(`${base}/territory${process.env.LINLI_TERRITORY_CODE ? `?code=${process.env.LINLI_TERRITORY_CODE}` : ''}`);
await page.getByTestId('territory-map').waitFor();
await page.getByTestId('node-code').waitFor({ timeout: 15000 });
await page.waitForLoadState('networkidle');
// Locate: click the centre of the map.
await page.getByTestId('locate-toggle').click();
const box = await page.getByTestId('territory-map').boundingBox();
if (box) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
await page.waitForTimeout(1500);
console.log('locate result:', (await page.getByTestId('locate-result').innerText()).replace(/\s+/g, ' '));
await shot('territory');

await page.goto(`${base}/org`);
await page.getByTestId('org-tree').waitFor();
await page.waitForLoadState('networkidle');
await shot('org');

await page.goto(`${base}/users`);
await page.getByTestId('users-table').waitFor();
await page.waitForLoadState('networkidle');
await shot('users');

for (const [path, name] of [['/roles', 'roles'], ['/audit', 'audit'], ['/login-log', 'login-log'], ['/account/password', 'password']]) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  await shot(name);
}

await browser.close();
