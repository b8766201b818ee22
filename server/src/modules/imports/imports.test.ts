import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { makeIdNumber } from '../../platform/idcard.js';
import { getJob, waitForImports } from './imports.service.js';
import type { Db } from '../../platform/db/index.js';
import type { AuthContext } from '../../platform/context.js';

function multipart(fields: Record<string, string>, file: { name: string; content: Buffer | string }) {
  const boundary = `----linli${Date.now()}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content));
  parts.push(Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const id = (n: number) => makeIdNumber({ area: '330108', birthDate: '1980-01-01', sequence: 600 + n });

describe('imports', () => {
  let t: TestContext;
  let token: string;
  let rooms: { code: string; compound: string; b: number; u: number; r: number }[];
  let foreign: { compound: string; b: number; u: number; r: number };

  const upload = async (kind: string, mode: string, name: string, content: Buffer | string) => {
    const m = multipart({ kind, mode }, { name, content });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization: `Bearer ${token}`, ...m.headers }, payload: m.body });
    expect(res.statusCode, res.body).toBe(202);
    await waitForImports();
    const job = await t.call(token, 'GET', `/api/v1/imports/${res.json().id}`);
    expect(job.statusCode).toBe(200);
    return job.json();
  };
  const readReport = async (jobId: string) => {
    const res = await t.call(token, 'GET', `/api/v1/imports/${jobId}/error-report`);
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const out: unknown[][] = [];
    ws.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
    return out;
  };
  const count = async (sql: string) => (await t.database.query<{ n: number }>(sql))[0]!.n;
  const parse = (code: string) => ({ b: Number(code.slice(-11, -8)), u: Number(code.slice(-7, -5)), r: Number(code.slice(-4)) });

  beforeAll(async () => {
    t = await createTestContext();
    token = await t.login('community.330108001001');
    const rs = await t.database.query<{ code: string; compound: string }>(`select r.code, c.name as compound from territory_node r
      join territory_node c on c.code = substr(r.code, 1, 16)
      where r.kind = 'room' and r.path <@ '330108.330108001.330108001001' and c.name not in (select name from territory_node where kind = 'compound' and code not like '330108001001%')
      order by r.code limit 6`);
    rooms = rs.map((r) => ({ code: r.code, compound: r.compound, ...parse(r.code) }));
    const f = (await t.database.query<{ code: string; compound: string }>(`select r.code, c.name as compound from territory_node r
      join territory_node c on c.code = substr(r.code, 1, 16) where r.kind = 'room' and r.code like '330108002001%'
      and c.name not in (select name from territory_node where kind = 'compound' and code like '330108001001%') order by r.code limit 1`))[0]!;
    foreign = { compound: f.compound, ...parse(f.code) };
  });
  afterAll(async () => t?.close());

  it('serves an xlsx template with drop-downs and an instructions sheet, and a csv header', async () => {
    const res = await t.call(token, 'GET', '/api/v1/imports/templates/residents');
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual(['姓名', '身份证号', '手机号', '小区', '地址', '与房屋关系', '迁入日期', '关注标签']);
    expect(ws.getCell('F2').dataValidation).toMatchObject({ type: 'list', formulae: ['"业主,租客,家庭成员,户籍人口,流动人口"'] });
    expect(String(ws.getCell('H2').dataValidation?.formulae?.[0])).toContain('独居老人');
    expect(wb.getWorksheet('说明')).toBeTruthy();
    const csv = await t.call(token, 'GET', '/api/v1/imports/templates/party_members?format=csv');
    expect(csv.body.replace(/^\ufeff/, '').trim()).toBe('姓名,身份证号,手机号,小区,地址,与房屋关系,党员类型,工作单位,入党日期,所在党组织');
    expect((await t.call(token, 'GET', '/api/v1/imports/templates/nothing')).statusCode).toBe(400);
  });

  const header = '姓名,身份证号,手机号,小区,地址,与房屋关系,迁入日期,关注标签';
  const goodRows = () => [
    `张三,${id(1)},13800000001,${rooms[0]!.compound},${rooms[0]!.b}幢${rooms[0]!.u}单元${rooms[0]!.r}室,业主,2020-05-01,独居老人`,
    `李四,${id(2)},,${rooms[1]!.compound},${rooms[1]!.b}-${rooms[1]!.u}-${rooms[1]!.r},租客,,`,
    `王五,${id(3)},13800000003,,${rooms[2]!.compound}${rooms[2]!.b}号楼${rooms[2]!.u}单元${rooms[2]!.r},家庭成员,2021/3/4,低保户、独居老人`,
  ];
  const badId = `${id(4).slice(0, 17)}${id(4)[17] === '0' ? '1' : '0'}`;
  const badRows = () => [
    `赵六,${badId},13800000004,${rooms[0]!.compound},${rooms[0]!.b}幢${rooms[0]!.u}单元${rooms[0]!.r},业主,,`,
    `钱七,${id(5)},1380000,${rooms[0]!.compound},${rooms[0]!.b}幢${rooms[0]!.u}单元${rooms[0]!.r},房东,2020-13-01,`,
    `孙八,${id(6)},,${rooms[0]!.compound},${rooms[0]!.b}幢${rooms[0]!.u}单元9901,业主,,`,
    `周九,${id(7)},,${foreign.compound},${foreign.b}幢${foreign.u}单元${foreign.r},业主,,`,
    `张三,${id(1)},13800000001,${rooms[0]!.compound},${rooms[0]!.b}幢${rooms[0]!.u}单元${rooms[0]!.r}室,业主,,`,
  ];

  it('all_or_nothing with broken rows writes nothing and reports every bad row exactly', async () => {
    const persons = await count('select count(*)::int as n from person');
    const residences = await count('select count(*)::int as n from residence');
    const job = await upload('residents', 'all_or_nothing', 'residents.csv', [header, ...goodRows(), ...badRows()].join('\n'));
    expect(job).toMatchObject({ status: 'failed', total: 8, processed: 8, imported: 0, updated: 0, rejected: 5 });
    expect(job.errorReportUrl).toBe(`/api/v1/imports/${job.id}/error-report`);
    expect(await count('select count(*)::int as n from person')).toBe(persons);
    expect(await count('select count(*)::int as n from residence')).toBe(residences);
    const report = await readReport(job.id);
    expect(report[0]!.slice(0, 3)).toEqual(['行号', '列', '原因']);
    expect(report[0]!.slice(3)).toEqual(header.split(','));
    expect(report.slice(1).map((r) => r.slice(0, 3))).toEqual([
      [5, '身份证号', '校验位错误'],
      [6, '手机号', '格式不正确'],
      [6, '与房屋关系', '取值不在字典中（业主/租客/家庭成员/户籍人口/流动人口）'],
      [6, '迁入日期', '日期格式不正确（YYYY-MM-DD）'],
      [8, '地址', '不在您的数据范围内'],
      [9, '身份证号', '与第 2 行重复'],
      [7, '地址', '未找到对应房屋'],
    ]);
    expect(report[1]![3]).toBe('赵六');
  });

  it('valid_rows writes exactly the valid rows; a re-import updates instead of duplicating', async () => {
    const persons = await count('select count(*)::int as n from person');
    const residences = await count('select count(*)::int as n from residence');
    const audits = await count(`select count(*)::int as n from audit_log where action = 'import.run'`);
    const job = await upload('residents', 'valid_rows', 'residents.csv', [header, ...goodRows(), ...badRows()].join('\n'));
    expect(job).toMatchObject({ status: 'succeeded', total: 8, imported: 3, updated: 0, rejected: 5 });
    expect(await count('select count(*)::int as n from person')).toBe(persons + 3);
    expect(await count('select count(*)::int as n from residence')).toBe(residences + 3);
    expect(await count(`select count(*)::int as n from person where id_number in ('${badId}', '${id(5)}', '${id(6)}', '${id(7)}')`)).toBe(0);
    const zhang = (await t.database.query<{ name_pinyin: string; relation: string; moved_in: string; room_code: string; tags: string }>(`select p.name_pinyin, r.relation, r.moved_in, r.room_code,
      (select string_agg(tag_code, ',' order by tag_code) from person_tag where person_id = p.id) as tags
      from person p join residence r on r.person_id = p.id where p.id_number = '${id(1)}'`))[0]!;
    expect(zhang).toEqual({ name_pinyin: 'zhangsan', relation: 'owner', moved_in: '2020-05-01', room_code: rooms[0]!.code, tags: 'elderly_alone' });
    expect(await count(`select count(*)::int as n from audit_log where action = 'import.run'`)).toBe(audits + 1);

    const again = await upload('residents', 'valid_rows', 'residents.csv', [header, ...goodRows()].join('\n'));
    expect(again).toMatchObject({ status: 'succeeded', total: 3, imported: 0, updated: 3, rejected: 0, errorReportUrl: null });
    expect(await count('select count(*)::int as n from person')).toBe(persons + 3);
    expect(await count('select count(*)::int as n from residence')).toBe(residences + 3);
  });

  it('rejects an address outside the importer\'s scope', async () => {
    const job = await upload('owners', 'valid_rows', 'owners.csv',
      `小区,房屋地址,业主姓名,身份证号,手机号\n${foreign.compound},${foreign.b}-${foreign.u}-${foreign.r},吴十,${id(8)},\n`);
    expect(job).toMatchObject({ status: 'succeeded', imported: 0, rejected: 1 });
    expect((await readReport(job.id))[1]!.slice(0, 3)).toEqual([2, '房屋地址', '不在您的数据范围内']);
    expect(await count(`select count(*)::int as n from person where id_number = '${id(8)}'`)).toBe(0);
  });

  it('imports an xlsx file (party members) and reports progress to succeeded', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('党员');
    ws.addRow(['姓名', '身份证号', '手机号', '小区', '地址', '与房屋关系', '党员类型', '工作单位', '入党日期', '所在党组织']);
    ws.addRow(['郑一', id(9), '13900000009', rooms[3]!.compound, `${rooms[3]!.b}栋${rooms[3]!.u}单元${rooms[3]!.r}`, '业主', '在职', '某公司', new Date('2010-07-01'), '']);
    ws.addRow(['冯二', id(10), '', rooms[4]!.compound, `${rooms[4]!.b}-${rooms[4]!.u}-${rooms[4]!.r}`, '', '在地', '', '2015-01-01', '']);
    const job = await upload('party_members', 'all_or_nothing', '党员.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(job).toMatchObject({ status: 'succeeded', total: 2, processed: 2, imported: 2, rejected: 0 });
    expect(job.finishedAt).toBeTruthy();
    const members = await t.database.query<{ member_type: string; joined_on: string }>(`select member_type, joined_on::text from party_member m join person p on p.id = m.person_id
      where p.id_number in ('${id(9)}', '${id(10)}') order by p.id_number`);
    expect(members).toEqual([{ member_type: 'in_service', joined_on: '2010-07-01' }, { member_type: 'in_residence', joined_on: '2015-01-01' }]);
    const list = await t.call(token, 'GET', '/api/v1/imports?limit=2');
    expect(list.json().items[0].id).toBe(job.id);
  });

  it('creates rooms and registry households', async () => {
    const rooms1 = await upload('rooms', 'all_or_nothing', 'rooms.csv', '社区编码,小区名称,楼幢号,单元号,房号\n330108001001,导入新苑,1,1,101\n330108001001,导入新苑,1幢,1,102\n330108002001,导入新苑,1,1,101\n');
    expect(rooms1).toMatchObject({ status: 'failed', rejected: 1 });
    const rooms2 = await upload('rooms', 'all_or_nothing', 'rooms.csv', '社区编码,小区名称,楼幢号,单元号,房号\n330108001001,导入新苑,1,1,101\n330108001001,导入新苑,1幢,1,102\n');
    expect(rooms2).toMatchObject({ status: 'succeeded', imported: 2, updated: 0 });
    const reg = await upload('registry', 'all_or_nothing', 'registry.csv', `户号,户籍地址,姓名,身份证号,与户主关系\nH001,导入新苑1幢1单元101室,陈一,${id(11)},户主\nH001,导入新苑1-1-101,陈二,${id(12)},子女\n`);
    expect(reg).toMatchObject({ status: 'succeeded', imported: 2 });
    const h = await t.database.query<{ registry_no: string; residents: number; head: string }>(`select h.registry_no, (select count(*)::int from residence r where r.household_id = h.id and r.relation = 'registered') as residents,
      (select name from person where id = h.head_person_id) as head from household h where h.room_code like '330108001001C%B001U01R0101' and h.source = 'registry'`);
    expect(h).toEqual([{ registry_no: 'H001', residents: 2, head: '陈一' }]);
  });

  it('serves a running job from memory: live progress without a query (PGlite: the import holds the only connection)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => {
      const idn = makeIdNumber({ area: '330108', birthDate: new Date(Date.UTC(1950, 0, 1 + i)).toISOString().slice(0, 10), sequence: 700 });
      return `进度${'甲乙丙丁'[i % 4]},${idn},,${rooms[3]!.compound},${rooms[3]!.b}-${rooms[3]!.u}-${rooms[3]!.r},家庭成员,,`;
    });
    const persons = await count('select count(*)::int as n from person');
    const m = multipart({ kind: 'residents', mode: 'all_or_nothing' }, { name: 'progress.csv', content: [header, ...rows, `坏行,${badId},,,,,,`].join('\n') });
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/imports', headers: { authorization: `Bearer ${token}`, ...m.headers }, payload: m.body });
    expect(res.statusCode).toBe(202);
    const jobId = res.json().id as string;
    const userId = await count(`select id::int as n from app_user where username = 'community.330108001001'`);
    const otherId = await count(`select id::int as n from app_user where username = 'community.330108002001'`);
    // a database that fails on any use: the running job must be answered from memory
    const noDb = new Proxy({}, { get: () => { throw new Error('no query expected'); } }) as unknown as Db;
    const live = await getJob(noDb, { userId } as AuthContext, jobId);
    expect(['queued', 'running']).toContain(live.status);
    expect(live).toMatchObject({ id: jobId, kind: 'residents', mode: 'all_or_nothing', fileName: 'progress.csv', finishedAt: null });
    expect(live.processed).toBeLessThan(3001);
    await expect(getJob(noDb, { userId: otherId } as AuthContext, jobId)).rejects.toThrow(); // someone else's job: not from memory
    await waitForImports();
    expect((await t.call(await t.login('community.330108002001'), 'GET', `/api/v1/imports/${jobId}`)).statusCode).toBe(404);
    const done = (await t.call(token, 'GET', `/api/v1/imports/${jobId}`)).json();
    expect(done).toMatchObject({ status: 'failed', total: 3001, processed: 3001, imported: 0, rejected: 1 });
    expect(await count('select count(*)::int as n from person')).toBe(persons);
  });

  it('refuses a request without a file and another user\'s job', async () => {
    const res = await t.call(token, 'POST', '/api/v1/imports', { kind: 'residents' });
    expect(res.statusCode).toBe(400);
    const other = await t.login('community.330108002001');
    const mine = (await t.call(token, 'GET', '/api/v1/imports?limit=1')).json().items[0].id;
    expect((await t.call(other, 'GET', `/api/v1/imports/${mine}`)).statusCode).toBe(404);
  });
});
