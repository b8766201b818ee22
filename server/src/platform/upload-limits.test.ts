import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers.js';
import { bombSheet, xlsxWith, zip } from '../../../test/zip.js';
import { PNG } from '../modules/orders/test-factory.js';
import { buildTemplate } from '../modules/imports/imports.files.js';
import { waitForImports } from '../modules/imports/imports.service.js';
import { assertSafeXlsx } from './xlsx-guard.js';

function multipart(url: string, file: { name: string; content: Buffer }, fields: Record<string, string> = {}) {
  const boundary = `----linli${Math.random().toString(16).slice(2)}`;
  const parts: Buffer[] = Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { method: 'POST' as const, url, payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const MIB = 1024 * 1024;

/** Issue 10, item 6: per-user upload quotas and the .xlsx decompression-bomb guard. */
describe('upload limits', () => {
  let t: TestContext;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const count = async (sql: string, params: unknown[] = []) => (await q<{ n: number }>(sql, params))[0]!.n;
  const send = (token: string, req: ReturnType<typeof multipart>) =>
    t.app.inject({ ...req, headers: { ...req.headers, authorization: `Bearer ${token}` } });
  const photo = (token: string, tag: string, padding = 0) =>
    send(token, multipart('/api/v1/files', { name: 'p.png', content: Buffer.concat([PNG, Buffer.from(tag), Buffer.alloc(padding)]) }));
  const importFile = (token: string, name: string, content: Buffer) =>
    send(token, multipart('/api/v1/imports', { name, content }, { kind: 'residents', mode: 'all_or_nothing' }));
  const hotline = (token: string, name: string, content: Buffer) => send(token, multipart('/api/v1/cases/intake/hotline', { name, content }));

  beforeAll(async () => {
    t = await createTestContext({
      dataDir: mkdtempSync(join(tmpdir(), 'linli-limits-')),
      uploadFilesPerDay: 4, uploadMbPerDay: 2, xlsxMaxEntries: 50, xlsxMaxUncompressedMb: 8,
    });
  });
  afterAll(async () => { await waitForImports(); await t.close(); });

  describe('daily quotas per user', () => {
    it('the files after the daily count are refused with 429 and nothing is stored; another user is not affected', async () => {
      const token = await t.login('member.demo');
      const mine = () => count(`select count(*)::int as n from stored_file f join app_user u on u.id = f.created_by where u.username = 'member.demo'`);
      for (let i = 0; i < 4; i++) expect((await photo(token, `n${i}`)).statusCode).toBe(201);
      const before = await mine();
      // the same bytes again count too: each upload is received and recorded (stored once on disk, though)
      const over = await photo(token, 'n0');
      expect(over.statusCode).toBe(429);
      expect(over.json().error).toMatchObject({ code: 'RATE_LIMITED', field: 'file' });
      expect(over.json().error.message).toContain('4 个文件');
      expect(await mine()).toBe(before);
      expect((await photo(await t.login('resident.demo'), 'other')).statusCode).toBe(201);
    });

    it('bytes count across every upload route: imports, hotline batches and photos share one quota', async () => {
      const token = await t.login('admin');
      // an import of ~1.5 MiB (refused rows do not matter: the upload happened)
      const csv = Buffer.from(`姓名,身份证号,手机号\n${'张三,110101199001011234,13800000000\n'.repeat(Math.ceil(1.5 * MIB / 40))}`);
      const accepted = await importFile(token, 'big.csv', csv);
      expect(accepted.statusCode, accepted.body).toBe(202);
      await waitForImports();
      // 0.6 MiB more would pass 2 MiB
      const tooMuch = await photo(token, 'pad', 0.6 * MIB);
      expect(tooMuch.statusCode).toBe(429);
      expect(tooMuch.json().error.code).toBe('RATE_LIMITED');
      const jobs = await count(`select count(*)::int as n from import_job j join app_user u on u.id = j.created_by where u.username = 'admin'`);
      const refused = await importFile(token, 'again.csv', csv);
      expect(refused.statusCode).toBe(429);
      expect(await count(`select count(*)::int as n from import_job j join app_user u on u.id = j.created_by where u.username = 'admin'`)).toBe(jobs);
      expect((await photo(token, 'small', 100 * 1024)).statusCode).toBe(201);
    });

    it('a hotline batch is recorded for the quota (upload_log) and counted', async () => {
      const token = await t.login('street.330108001');
      const template = await t.call(token, 'GET', '/api/v1/cases/intake/hotline/template');
      expect(template.statusCode).toBe(200);
      const res = await hotline(token, '热线工单.xlsx', template.rawPayload);
      expect(res.statusCode, res.body).toBe(200);
      const [logged] = await q<{ kind: string; file_name: string; size: number }>(`select l.kind, l.file_name, l.size::int as size from upload_log l
        join app_user u on u.id = l.user_id where u.username = 'street.330108001'`);
      expect(logged).toEqual({ kind: 'hotline', file_name: '热线工单.xlsx', size: template.rawPayload.length });
      for (let i = 0; i < 3; i++) expect((await photo(token, `s${i}`)).statusCode).toBe(201);
      expect((await hotline(token, '热线工单.xlsx', template.rawPayload)).statusCode).toBe(429);
    });
  });

  describe('.xlsx decompression bombs', () => {
    const limits = { maxEntries: 50, maxUncompressedBytes: 8 * MIB };

    it('passes the spreadsheets we and ExcelJS write (buffered and streamed, with data descriptors)', async () => {
      await assertSafeXlsx(await buildTemplate('residents', 'xlsx', ['独居老人']), '模板.xlsx', limits);
      const path = join(mkdtempSync(join(tmpdir(), 'linli-xlsx-')), 'streamed.xlsx');
      const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
      const sheet = writer.addWorksheet('a');
      for (let i = 0; i < 2000; i++) sheet.addRow([i, `第${i}行`, '西陵社区']).commit();
      sheet.commit();
      await writer.commit();
      await assertSafeXlsx(path, 'streamed.xlsx', limits);
      await assertSafeXlsx(xlsxWith(bombSheet(1)), 'small.xlsx', limits);
    });

    it('refuses by the declared size, by the entry count, and by the true size when the headers lie', async () => {
      const bomb = xlsxWith(bombSheet(20));
      expect(bomb.length).toBeLessThan(200 * 1024); // 20 MB inflate from a few dozen KB
      await expect(assertSafeXlsx(bomb, 'bomb.xlsx', limits)).rejects.toMatchObject({ code: 'TOO_LARGE', field: 'file', message: expect.stringContaining('bomb.xlsx') });
      const many = xlsxWith(bombSheet(0), Array.from({ length: 60 }, (_, i) => ({ name: `xl/media/x${i}.xml`, data: Buffer.from('<a/>') })));
      await expect(assertSafeXlsx(many, 'many.xlsx', limits)).rejects.toMatchObject({ code: 'TOO_LARGE', message: expect.stringContaining('50') });
      // declares 1 KB, inflates to 20 MB: caught while inflating, stopped at the declared size
      const liar = xlsxWith(bombSheet(20), [], { declaredSize: 1024 });
      await expect(assertSafeXlsx(liar, 'liar.xlsx', limits)).rejects.toMatchObject({ code: 'VALIDATION', field: 'file', message: expect.stringContaining('liar.xlsx') });
      // an entry left out of the central directory, which a streaming reader would still inflate
      const hidden = xlsxWith(bombSheet(0), [{ name: 'xl/worksheets/sheet2.xml', data: bombSheet(20), hidden: true }]);
      await expect(assertSafeXlsx(hidden, 'hidden.xlsx', limits)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(assertSafeXlsx(Buffer.from('PK not really'), 'junk.xlsx', limits)).rejects.toMatchObject({ code: 'VALIDATION' });
      await expect(assertSafeXlsx(zip([{ name: 'a', data: Buffer.from('x') }]).subarray(0, 40), 'cut.xlsx', limits)).rejects.toMatchObject({ code: 'VALIDATION' });
    });

    it('an archive import of a bomb is refused with 413 naming the file, and no job is created', async () => {
      const token = await t.login('community.330108001001');
      const jobs = () => count(`select count(*)::int as n from import_job`);
      const before = await jobs();
      const res = await importFile(token, '居民名单.xlsx', xlsxWith(bombSheet(20)));
      expect(res.statusCode).toBe(413);
      expect(res.json().error).toMatchObject({ code: 'TOO_LARGE', field: 'file' });
      expect(res.json().error.message).toContain('居民名单.xlsx');
      const liar = await importFile(token, '名单2.xlsx', xlsxWith(bombSheet(20), [], { declaredSize: 1000 }));
      expect(liar.statusCode).toBe(400);
      expect(liar.json().error.message).toContain('名单2.xlsx');
      expect(await jobs()).toBe(before);
    });

    it('a hotline batch that is a bomb is refused before ExcelJS reads it; no case, nothing logged', async () => {
      const token = await t.login('street.330108002');
      const cases = () => count(`select count(*)::int as n from civic_case`);
      const before = await cases();
      const res = await hotline(token, '工单炸弹.xlsx', xlsxWith(bombSheet(20)));
      expect(res.statusCode).toBe(413);
      expect(res.json().error.message).toContain('工单炸弹.xlsx');
      expect(await cases()).toBe(before);
      expect(await count(`select count(*)::int as n from upload_log l join app_user u on u.id = l.user_id where u.username = 'street.330108002'`)).toBe(0);
    });
  });
});
