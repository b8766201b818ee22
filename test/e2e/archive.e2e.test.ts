// Archive, imports, unmasking and the grid worker H5 in Chromium, against the real server and the test-scale seed.
// Also takes screenshots (desktop 1440×900, H5 390×844) into test-results/screenshots/; to refresh the ones in the
// README: LINLI_SCREENSHOTS_DIR=docs/screenshots npm run test:e2e
import { mkdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn } from './browser.js';

const baseUrl = inject('baseUrl');
const XILING = '330108001001';
const SHOTS = process.env.LINLI_SCREENSHOTS_DIR ?? 'test-results/screenshots';
const PHONE = { width: 390, height: 844 };

/** GB 11643 check digit of the first 17 digits. */
function checkDigit(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * weights[i]!, 0);
  return '10X98765432'[sum % 11]!;
}

function idNumber(birth: string, sequence: number): string {
  const first17 = `330108${birth}${String(sequence).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

async function getJson<T>(page: Page, path: string): Promise<T> {
  const response = await page.request.get(`${baseUrl}/api/v1${path}`);
  if (!response.ok()) throw new Error(`${path}: ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

interface Room { code: string; label: string }
interface Building { code: string; number: number | string | null; name: string; units: { code: string; name: string; rooms: Room[] }[] }

/** A compound of 西陵社区 with buildings, as the signed-in user sees it. */
async function xilingCompound(page: Page): Promise<{ code: string; name: string; buildings: { code: string; number: number | string | null }[] }> {
  const children = await getJson<{ items: { code: string; kind: string }[] }>(page, `/territory/nodes/${XILING}/children?limit=200`);
  for (const node of children.items.filter((n) => n.kind === 'compound')) {
    const compound = await getJson<{ code: string; name: string; buildings: { code: string; number: number | string | null }[] }>(page, `/archive/compounds/${node.code}`);
    if (compound.buildings.length > 0) return compound;
  }
  throw new Error('no compound with buildings in 西陵社区');
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.mouse.move(0, 0); // no hover highlight in the picture
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(400); // let the last paint settle (maps, drawers)
  await page.screenshot({ path: `${SHOTS}/${name}` });
}

describe('archive, imports and the grid worker H5 in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => browser?.close());

  it('the compound page of a 西陵社区 compound draws its buildings and shows the counts; a building opens its rooms', async () => {
    const page = await logIn(browser, baseUrl, 'community.330108001001');
    const compound = await xilingCompound(page);

    // the archive overview: the community's counts and its compounds
    await page.goto(`${baseUrl}/archive`);
    await expect.poll(() => page.getByTestId('compound-list').innerText(), { timeout: 15_000 }).toContain(compound.name);
    await page.getByTestId('archive-counts').getByTestId('count-residents').waitFor();
    await page.getByTestId('archive-tree').getByText(compound.name).waitFor();
    await page.screenshot({ path: 'test-results/e2e-archive.png' });

    // reached from the territory page's 档案 button
    await page.goto(`${baseUrl}/territory?code=${compound.code}`);
    await page.getByTestId('node-archive').click();
    await page.waitForURL(`**/archive/compounds/${compound.code}`);
    await expect.poll(() => page.getByTestId('compound-name').innerText(), { timeout: 15_000 }).toBe(compound.name);

    const map = page.getByTestId('compound-map');
    await expect.poll(() => map.locator('.linli-building-label').count(), { timeout: 10_000 }).toBe(compound.buildings.length);
    expect(await map.locator('path.leaflet-interactive').count()).toBeGreaterThanOrEqual(compound.buildings.length);
    expect(await map.innerText()).toMatch(/\d+幢/);
    expect(Number(await page.getByTestId('count-buildings').innerText())).toBe(compound.buildings.length);
    expect(Number((await page.getByTestId('count-households').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    expect(Number((await page.getByTestId('count-residents').innerText()).replace(/,/g, ''))).toBeGreaterThan(0);
    await page.getByTestId('map-legend').getByText('无党员').waitFor();

    // the attention-tag layer has its own legend
    await page.getByTestId('layer-switch').getByText('关注人群').click();
    await page.getByTestId('map-legend').getByText('无关注人员').waitFor();
    await page.getByTestId('layer-switch').getByText('党员分布').click();
    await shot(page, 'archive-compound.png');

    // building → rooms grid → a room's residents, masked
    await page.getByTestId('building-table').locator('tbody tr').first().click();
    const drawer = page.getByTestId('building-drawer');
    await expect.poll(() => drawer.getByTestId('room-cell').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    const occupied = drawer.locator('[data-testid="room-cell"]:not(.empty)').first();
    await occupied.click();
    const room = page.getByTestId('room-detail');
    await room.getByTestId('resident-name').first().waitFor({ timeout: 10_000 });
    expect(await room.getByTestId('resident-name').first().innerText()).toContain('*');
    expect(await room.getByTestId('resident-table').first().innerText()).toMatch(/\d{6}\*+\d{3}[\dX]/);
    await shot(page, 'archive-building.png');
    await page.context().close();
  });

  it('a community worker finds a person and unmasks the ID number with a reason; the district admin sees it in the unmask log', async () => {
    const page = await logIn(browser, baseUrl, 'community.330108001001');
    await page.goto(`${baseUrl}/archive/persons`);
    const table = page.getByTestId('persons-table');
    await table.getByTestId('person-id').first().waitFor({ timeout: 15_000 });
    const masked = await table.getByTestId('person-id').first().innerText();
    expect(masked).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
    await shot(page, 'archive-persons.png');

    await table.getByTestId('unmask-open').first().click();
    // a reason is required
    await page.getByTestId('unmask-submit').click();
    await page.getByText('请填写查看理由').waitFor();
    await page.getByTestId('unmask-reason').fill('浏览器测试：核实困难补助材料');
    await page.getByTestId('unmask-submit').click();
    const raw = page.getByTestId('unmask-idNumber');
    await raw.waitFor({ timeout: 10_000 });
    const value = await raw.innerText();
    expect(value).toMatch(/^\d{17}[\dX]$/);
    expect(value.slice(-4)).toBe(masked.slice(-4));
    expect(await page.getByTestId('unmask-result').innerText()).toContain('已记录');
    await page.screenshot({ path: 'test-results/e2e-unmask.png' });
    await page.getByTestId('unmask-close').click();
    await page.getByTestId('unmask-result').waitFor({ state: 'detached', timeout: 5_000 });
    // the unmask modal's clicks did not open the person drawer
    expect(await page.getByTestId('person-drawer').count()).toBe(0);

    // a row opens the person's detail drawer, masked, with 查看明文
    await table.locator('tbody tr.ant-table-row').first().locator('td').nth(2).click();
    const drawer = page.getByTestId('person-drawer');
    await drawer.getByTestId('person-detail-id').waitFor({ timeout: 10_000 });
    expect(await drawer.getByTestId('person-detail-id').innerText()).toBe(masked);
    expect(await drawer.getByTestId('person-detail-name').innerText()).toContain('*');
    await expect.poll(() => drawer.getByTestId('person-residences').locator('tbody tr.ant-table-row').count()).toBeGreaterThan(0);
    expect(await drawer.getByTestId('unmask-open').count()).toBe(1);
    await shot(page, 'archive-person.png');
    await page.context().close();

    const admin = await logIn(browser, baseUrl, 'admin');
    await admin.goto(`${baseUrl}/audit/unmask`);
    await expect.poll(() => admin.getByTestId('unmask-log-table').innerText(), { timeout: 10_000 }).toContain('核实困难补助材料');
    expect(await admin.getByTestId('unmask-log-table').innerText()).toContain('community.330108001001');
    await shot(admin, 'audit-unmask.png');
    await admin.context().close();
  });

  it('imports residents from a CSV with broken rows, shows the counts and downloads the error report with the row numbers', async () => {
    const page = await logIn(browser, baseUrl, 'community.330108001001');
    const compound = await xilingCompound(page);
    const building = await getJson<Building>(page, `/archive/buildings/${compound.buildings[0]!.code}`);
    const rooms = building.units.flatMap((unit) => unit.rooms.map((room) => ({ unit, room }))).slice(0, 3);
    expect(rooms.length).toBe(3);
    const number = String(building.number ?? building.code.slice(-3)).replace(/\D/g, '').replace(/^0+/, '');
    const address = ({ unit, room }: (typeof rooms)[number]) => `${number}幢${Number(unit.code.slice(-2))}单元${room.label}室`;

    await page.goto(`${baseUrl}/imports`);
    // the residents template, in both formats
    await page.getByTestId('import-kind').getByText('居民户籍').click();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-xlsx').click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const template = new ExcelJS.Workbook();
    await template.xlsx.readFile((await xlsx.path())!);
    const headerRow = template.worksheets[0]!.getRow(1).values as unknown[];
    expect(headerRow).toContain('身份证号');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('template-csv').click()]);
    expect(csv.suggestedFilename()).toMatch(/\.csv$/);
    const header = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/)[0]!;
    expect(header).toContain('身份证号');

    // three valid rows on real rooms, then a bad checksum, a bad mobile and an unknown address
    const stamp = String(Date.now() % 900 + 100);
    const good = (i: number) => idNumber(`1985030${i + 1}`, Number(stamp));
    const badChecksum = (() => {
      const id = idNumber('19900101', Number(stamp));
      return id.slice(0, 17) + (id[17] === '1' ? '2' : '1');
    })();
    const lines = [
      '姓名,身份证号,手机号,小区,地址,与房屋关系,迁入日期,关注标签',
      `导入甲,${good(0)},13800001111,${compound.name},${address(rooms[0]!)},租客,2024-03-01,`,
      `导入乙,${good(1)},13800002222,${compound.name},${address(rooms[1]!)},家庭成员,2024-03-01,独居老人`,
      `导入丙,${good(2)},,${compound.name},${address(rooms[2]!)},流动人口,,`,
      `校验错,${badChecksum},13800003333,${compound.name},${address(rooms[0]!)},租客,,`,
      `手机错,${idNumber('19910202', Number(stamp))},1234,${compound.name},${address(rooms[1]!)},租客,,`,
      `地址错,${idNumber('19920303', Number(stamp))},13800004444,${compound.name},99幢9单元999室,租客,,`,
    ];
    // the header must match the template's columns
    expect(lines[0]!.split(',')).toEqual(header.split(','));

    await page.locator('input[type=file]').setInputFiles({ name: '居民导入测试.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8') });
    await page.getByTestId('import-mode').getByText('仅导入正确的行').click();
    await page.getByTestId('import-start').click();
    await expect.poll(() => page.getByTestId('import-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('succeeded');
    expect(await page.getByTestId('import-imported').innerText()).toBe('3');
    expect(await page.getByTestId('import-rejected').innerText()).toBe('3');
    await shot(page, 'imports.png');

    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-error-report').click()]);
    expect(report.suggestedFilename()).toMatch(/\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await report.path())!);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).getCell(1).value).toBe('行号');
    const rows: { line: number; column: string; reason: string }[] = [];
    sheet.eachRow((row, index) => {
      if (index === 1) return;
      rows.push({ line: Number(row.getCell(1).value), column: String(row.getCell(2).value), reason: String(row.getCell(3).value) });
    });
    expect([...new Set(rows.map((r) => r.line))].sort()).toEqual([5, 6, 7]);
    expect(rows.find((r) => r.line === 5)?.column).toBe('身份证号');
    expect(rows.find((r) => r.line === 6)?.column).toBe('手机号');
    expect(rows.find((r) => r.line === 7)?.column).toBe('地址');

    // the history lists the job
    await expect.poll(() => page.getByTestId('import-history').innerText()).toContain('居民导入测试.csv');
    await page.context().close();
  });

  it('a grid worker on a phone lands on the H5, looks up a household and logs a visit', async () => {
    const page = await logIn(browser, baseUrl, 'grid.330108001001001', PHONE);
    await page.waitForURL('**/m', { timeout: 10_000 });
    const list = page.getByTestId('h5-households');
    await list.getByTestId('h5-household').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('.ant-layout-sider').count()).toBe(0); // no desktop chrome
    await shot(page, 'h5-households.png');

    // search by the first household's address form (…3幢2单元501 → 3-2-501)
    const label = await list.getByTestId('h5-household').first().innerText();
    const match = /(\d+)幢(\d+)单元(\d+)/.exec(label);
    if (match) {
      await page.getByTestId('h5-search').locator('input').fill(`${match[1]}-${match[2]}-${match[3]}`);
      await page.getByTestId('h5-search').locator('input').press('Enter');
      await expect.poll(() => list.getByTestId('h5-household').first().innerText(), { timeout: 10_000 }).toContain(`${match[1]}幢${match[2]}单元${match[3]}`);
    }
    await list.getByTestId('h5-household').first().click();
    await page.getByTestId('h5-address').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('h5-residents').first().innerText()).toContain('*');

    const note = `浏览器测试走访 ${Date.now()}`;
    await page.getByTestId('h5-visit-form').locator('textarea').fill(note);
    await page.getByTestId('h5-visit-submit').click();
    await expect.poll(() => page.getByTestId('h5-visits').innerText(), { timeout: 10_000 }).toContain(note);
    await page.locator('.adm-toast-mask').waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
    await shot(page, 'h5-household.png');
    await page.context().close();
  });
});
