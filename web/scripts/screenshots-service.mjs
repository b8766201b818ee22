// Screenshots of the service-loop pages (issue 4) as the people who use them: community staff on the desktop, the
// unit party organisation, a registered member and a resident on a phone. Saves to docs/screenshots/.
// Usage: npm start (demo data), then node web/scripts/screenshots-service.mjs [baseUrl]   (default http://127.0.0.1:3000)
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

/** A fresh browser context logged in as `username`, desktop or phone sized. */
async function as(username, phone = false) {
  const context = await browser.newContext(phone
    ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' }
    : { viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.log(`[pageerror ${username}]`, err.message));
  const res = await page.request.post(`${base}/api/v1/auth/login`, { data: { username, password, client: 'web' } });
  if (!res.ok()) throw new Error(`login ${username}: ${res.status()} ${await res.text()}`);
  return page;
}

async function shot(page, path, name) {
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(1000);
  await page.screenshot({ path: `${outDir}${name}.png` });
  console.log('saved', name);
}

const staff = await as('community.330108001001');
for (const [path, name] of [
  ['/service/orders', 'service-orders'], ['/service/registrations', 'service-registrations'], ['/service/rates', 'service-rates'],
  ['/forces', 'forces'], ['/forces/contacts', 'forces-contacts'], ['/service/lists', 'service-lists'], ['/service/tasks', 'service-tasks'],
  ['/service/records', 'service-records'], ['/service/honours', 'service-honours'], ['/service/registration-qr', 'service-registration-qr'],
]) await shot(staff, path, name);

// An emergency call with two tasks, and its live counters
const soon = new Date(Date.now() + 3_600_000).toISOString();
const later = new Date(Date.now() + 4 * 3_600_000).toISOString();
const call = await staff.request.post(`${base}/api/v1/service/calls`, { data: {
  title: '暴雨应急：低洼小区转移与值守', message: '请就近认领，带好雨具。', scopeCode: '330108001001',
  tasks: [{ title: '协助独居老人转移', capacity: 20, startsAt: soon, endsAt: later }, { title: '地下车库入口值守', capacity: 10, startsAt: soon, endsAt: later }],
} });
if (call.ok()) {
  const { id, tasks } = await call.json();
  for (const n of ['0001', '0002', '0003', '0004', '0005', '0006', '0007']) {
    const member = await as(`member.${n}`, true);
    await member.request.post(`${base}/api/v1/service/tasks/${(tasks?.[0]?.id ?? tasks?.[0])}/claims`, { data: {} });
    await member.context().close();
  }
  await shot(staff, `/service/tasks/calls/${id}`, 'service-call');
} else console.log('call not created:', call.status(), await call.text());

const unit = await as('unit.demo');
await shot(unit, '/service/unit', 'service-unit');

const member = await as('member.0001', true);
await shot(member, '/m', 'h5-member-home');
const resident = await as('resident.demo', true);
await shot(resident, '/m', 'h5-resident-home');
const newcomer = await as('member.demo', true);
await shot(newcomer, '/m/register?community=330108001001', 'h5-register');

await browser.close();
