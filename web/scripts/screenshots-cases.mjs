// Screenshots of the case pages (issue 5) as the people who use them: the community desk, a case with its timeline
// after a whistle to a department, the street's three rates and the case map. Saves to docs/screenshots/.
// Usage: npm start (demo data), then node web/scripts/screenshots-cases.mjs [baseUrl]   (default http://127.0.0.1:3000)
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const password = process.env.LINLI_PASSWORD ?? 'Linli@2026';
const outDir = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});

/** A fresh desktop browser context logged in as `username`. */
async function as(username) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[pageerror ${username}]`, err.message));
  const res = await page.request.post(`${base}/api/v1/auth/login`, { data: { username, password, client: 'web' } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return page;
}

async function call(page, method, path, data) {
  const res = await page.request.fetch(`${base}/api/v1${path}`, { method, data });
  if (!res.ok()) throw new Error(`${method} ${path}: ${res.status()} ${await res.text()}`);
  return res.json();
}

async function shot(page, path, name, { wait, fullPage = false } = {}) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  if (wait) await page.waitForSelector(wait, { timeout: 15_000 });
  await page.waitForTimeout(1200);
  await page.screenshot({ path: `${outDir}${name}.png`, fullPage });
  console.log('saved', name);
}

const staff = await as('community.330108001001');

// A case the community desk handles itself (跨门经营 goes to the community): filed at the community's centre,
// accepted, whistled to the district's 城管 and 市场监管, the 城管 reporting in, an extension asked.
const community = await call(staff, 'GET', '/territory/nodes/330108001001');
const [lng, lat] = community.location?.coordinates ?? [120.2, 30.2];
const created = await call(staff, 'POST', '/cases', {
  categoryCode: '0104', lng, lat, channel: 'web', address: '西陵社区沿街商铺 3 号门前',
  description: '沿街水果店把货架摆到人行道上，占了一半通道，推婴儿车和轮椅过不去，已劝说多次未改。',
});
console.log('created', created.serviceNo, '→', created.handlerName);
let detail = await call(staff, 'POST', `/cases/${created.id}/actions`, { action: 'accept', note: '已受理，社区先上门劝导。' });
const departments = (await call(staff, 'GET', '/cases/departments')).items;
const pick = (kind) => departments.find((d) => d.kind === kind)?.code;
const whistled = [pick('chengguan'), pick('market')].filter(Boolean);
if (detail.allowedActions.some((a) => a.action === 'whistle') && whistled.length) {
  detail = await call(staff, 'POST', `/cases/${created.id}/actions`, {
    action: 'whistle', targetOrg: whistled, note: '多次劝导无效，请城管依法处置、市场监管核查经营许可。',
  });
  const dept = await as('dept.chengguan');
  const d = await call(dept, 'GET', `/cases/${created.id}`);
  if (d.allowedActions.some((a) => a.action === 'report_in')) {
    await call(dept, 'POST', `/cases/${created.id}/actions`, { action: 'report_in', note: '已安排西兴中队王队长负责。' });
  }
  await dept.context().close();
}
// a request for more time while the department comes (会商 is the grid leader's, not the community's)
detail = await call(staff, 'GET', `/cases/${created.id}`);
if (detail.allowedActions.some((a) => a.action === 'extend')) {
  detail = await call(staff, 'POST', `/cases/${created.id}/actions`, { action: 'extend', days: 2, note: '等待城管执法中队排期到场。' });
}

await shot(staff, '/cases?queue=scope', 'cases-desk', { wait: '[data-testid="cases-table"] .ant-table-row' });
await shot(staff, `/cases/${created.id}`, 'cases-detail', { wait: '[data-testid="case-timeline"]', fullPage: true });

const street = await as('street.330108001');
await shot(street, '/cases/rates', 'cases-rates', { wait: '[data-testid="rates-breakdown-children"]', fullPage: true });
await shot(street, '/cases/map', 'cases-map', { wait: '.leaflet-marker-icon' });

await browser.close();
