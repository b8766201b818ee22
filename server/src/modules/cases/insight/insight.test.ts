import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../../test/helpers.js';
import { departmentMeasureFilter } from './rates.js';

/**
 * The rates, breakdown, trend and map on cases written with chosen timestamps, so every figure is known in advance.
 * 西兴街道 (330108001) in March 2026 (Beijing dates):
 *
 *   case  where              reported (UTC)       response          accepted  resolved  rating       state
 *   A     西陵 grid 1 mg 1    03-02 02:00          on time           yes       yes       satisfied    closed
 *   B     西陵 grid 1 mg 1    03-03 02:00          late              yes       yes       —            rating
 *   C     西陵 grid 1 mg 2    03-05 02:00          on time (作废)     no        —         —            voided
 *   D     西陵 grid 2         03-10 02:00          none, due passed  no        —         —            reported, overdue
 *   E     社区 2              03-12 02:00          on time           yes       no        —            handling, not due
 *   F     社区 2              03-15 02:00          on time           yes       yes       unsatisfied  closed
 *   G     西陵 grid 1 mg 1    03-16 02:00          merged into A: never counts
 *   I     西陵 grid 1 mg 2    02-28 16:30 = Beijing 03-01 00:30   on time, resolved, basically satisfied
 *   H     西陵 grid 1 mg 1    03-31 16:30 = Beijing 04-01 00:30   (April) on time, resolved, basically
 *   J     长河街道            03-20 02:00          on time, resolved, satisfied (outside 西兴)
 *
 * Whistles (吹哨) in March: W1 A→城管 reported in and responded on time; W2 B→城管 reported in late, not responded,
 * respond deadline passed; W3 E→城管 never reported in, deadlines passed; W4 F→市场监管 on time, responded;
 * W6 J→城管 on time, responded.
 */
describe('the three rates and the case map', () => {
  let t: TestContext;
  let admin: string, street: string, community: string, otherStreet: string, chengguan: string;
  const ids: Record<string, number> = {};
  const XIXING = '330108001', XILING = '330108001001', COMMUNITY2 = '330108001002';
  const GRID1 = '330108001001001', GRID2 = '330108001001002';
  const MG1 = '330108001001001001', MG2 = '330108001001001002';
  const CG = '330108CG', SJ = '330108SJ';
  const march = 'from=2026-03-01&to=2026-03-31';
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const get = async (token: string, url: string, status = 200) => {
    const res = await t.call(token, 'GET', url);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(status);
    return res.json();
  };

  interface CaseSpec {
    name: string; place: string; category?: string; reportedAt: string; state: string;
    responded?: 'on_time' | 'late'; accepted?: boolean; resolved?: boolean; satisfaction?: string;
    stepDeadline?: string; mergedInto?: string; at?: [number, number];
  }
  const hours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3600_000).toISOString();

  /** A case in a micro-grid (or the first micro-grid under a node), every column consistent with its place and clock. */
  async function insertCase(c: CaseSpec): Promise<number> {
    const acceptDeadline = hours(c.reportedAt, 24);
    const respondedAt = c.responded === 'on_time' ? hours(c.reportedAt, 2) : c.responded === 'late' ? hours(c.reportedAt, 30) : null;
    const closed = c.state === 'closed' ? hours(c.reportedAt, 120) : null;
    const [row] = await q<{ id: number }>(`
      insert into civic_case (service_no, channel, category_code, description, location, territory_path, street_code, community_code,
        grid_code, micro_grid_code, state, handler_tier, handler_code, merged_into, reported_at, step_started_at, step_deadline,
        accept_deadline, handle_deadline, accepted_at, responded_at, resolved_at, closed_at, satisfaction)
      select 'AJT' || lpad(nextval('civic_case_no')::text, 9, '0'), 'patrol', $2, '测试案件 ' || $1,
        coalesce(st_setsrid(st_makepoint($13, $14), 4326), st_pointonsurface(m.boundary)), m.path,
        ltree2text(subpath(m.path, 1, 1)), ltree2text(subpath(m.path, 2, 1)), ltree2text(subpath(m.path, 3, 1)), m.code,
        $4, 'micro_grid', m.code, $5, $3::timestamptz, $3::timestamptz, coalesce($6::timestamptz, $7::timestamptz), $7::timestamptz,
        case when $8 then $3::timestamptz + interval '4 days' end, case when $8 then $9::timestamptz end, $9::timestamptz,
        case when $10 then $3::timestamptz + interval '2 days' end, $11::timestamptz, $12
      from territory_node m
      where m.kind = 'micro_grid' and m.path <@ (select path from territory_node where code = $15)
      order by m.path limit 1
      returning id::int as id`,
    [c.name, c.category ?? '0101', c.reportedAt, c.state, c.mergedInto ? ids[c.mergedInto] : null, c.stepDeadline ?? null, acceptDeadline,
      c.accepted ?? false, respondedAt, c.resolved ?? false, closed, c.satisfaction ?? null, c.at?.[0] ?? null, c.at?.[1] ?? null, c.place]);
    ids[c.name] = row!.id;
    return row!.id;
  }

  async function whistle(caseName: string, department: string, blownAt: string, reportIn: 'on_time' | 'late' | null, responded: boolean) {
    await q(`insert into case_whistle (case_id, department_code, blown_at, report_in_deadline, reported_in_at, respond_deadline, responded_at, response)
      values ($1, $2, $3::timestamptz, $3::timestamptz + interval '1 day',
        case $4 when 'on_time' then $3::timestamptz + interval '3 hours' when 'late' then $3::timestamptz + interval '30 hours' end,
        $3::timestamptz + interval '3 days', case when $5 then $3::timestamptz + interval '2 days' end, case when $5 then '已处理' end)`,
    [ids[caseName], department, blownAt, reportIn, responded]);
  }

  beforeAll(async () => {
    t = await createTestContext();
    [admin, street, community, otherStreet, chengguan] = await Promise.all(
      ['admin', `street.${XIXING}`, `community.${XILING}`, 'street.330108002', 'dept.chengguan'].map((u) => t.login(u))) as [string, string, string, string, string];
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString();
    await insertCase({ name: 'A', place: MG1, reportedAt: '2026-03-02T02:00:00Z', state: 'closed', responded: 'on_time', accepted: true, resolved: true, satisfaction: 'satisfied' });
    await insertCase({ name: 'B', place: MG1, reportedAt: '2026-03-03T02:00:00Z', state: 'rating', responded: 'late', accepted: true, resolved: true });
    await insertCase({ name: 'C', place: MG2, category: '0201', reportedAt: '2026-03-05T02:00:00Z', state: 'voided', responded: 'on_time' });
    await insertCase({ name: 'D', place: GRID2, reportedAt: '2026-03-10T02:00:00Z', state: 'reported' });
    await insertCase({ name: 'E', place: COMMUNITY2, category: '0102', reportedAt: '2026-03-12T02:00:00Z', state: 'handling', responded: 'on_time', accepted: true, stepDeadline: future });
    await insertCase({ name: 'F', place: COMMUNITY2, reportedAt: '2026-03-15T02:00:00Z', state: 'closed', responded: 'on_time', accepted: true, resolved: true, satisfaction: 'unsatisfied' });
    await insertCase({ name: 'G', place: MG1, reportedAt: '2026-03-16T02:00:00Z', state: 'merged', mergedInto: 'A' });
    await insertCase({ name: 'I', place: MG2, reportedAt: '2026-02-28T16:30:00Z', state: 'closed', responded: 'on_time', accepted: true, resolved: true, satisfaction: 'basically' });
    await insertCase({ name: 'H', place: MG1, reportedAt: '2026-03-31T16:30:00Z', state: 'closed', responded: 'on_time', accepted: true, resolved: true, satisfaction: 'basically' });
    await insertCase({ name: 'J', place: '330108002', reportedAt: '2026-03-20T02:00:00Z', state: 'closed', responded: 'on_time', accepted: true, resolved: true, satisfaction: 'satisfied' });
    await whistle('A', CG, '2026-03-02T05:00:00Z', 'on_time', true);
    await whistle('B', CG, '2026-03-03T05:00:00Z', 'late', false);
    await whistle('E', CG, '2026-03-12T05:00:00Z', null, false);
    await whistle('F', SJ, '2026-03-15T05:00:00Z', 'on_time', true);
    await whistle('J', CG, '2026-03-20T05:00:00Z', 'on_time', true);
  });
  afterAll(async () => t?.close());

  const xixingMarch = {
    reported: 7, responseDue: 7, respondedOnTime: 5, accepted: 5, resolved: 4, rated: 3, satisfied: 2, open: 3, overdue: 1,
  };

  it('counts a street over a period exactly, on Beijing dates, merged duplicates never', async () => {
    const r = await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`);
    expect(r).toEqual({
      scopeCode: XIXING, scopeName: '西兴街道', from: '2026-03-01', to: '2026-03-31',
      responseRate: 5 / 7, resolutionRate: 4 / 5, satisfactionRate: 2 / 3, counts: xixingMarch,
    });
    // the street is the street user's default scope
    expect((await get(street, `/api/v1/cases/rates?${march}`)).counts).toEqual(xixingMarch);
    // 2026-03-31T16:30Z is 2026-04-01 in Beijing; 2026-02-28T16:30Z is 2026-03-01
    const april1 = await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2026-04-01&to=2026-04-01`);
    expect(april1.counts).toMatchObject({ reported: 1, respondedOnTime: 1, resolved: 1, rated: 1, satisfied: 1 });
    expect((await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2026-03-01&to=2026-03-01`)).counts.reported).toBe(1);
    expect((await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2026-02-01&to=2026-02-28`)).counts.reported).toBe(0);
    // an empty period: no rates rather than 0 %
    expect(await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2025-01-01&to=2025-01-31`)).toMatchObject({
      responseRate: null, resolutionRate: null, satisfactionRate: null, counts: { reported: 0, responseDue: 0 },
    });
    // the district (admin) adds 长河's case J
    const district = await get(admin, `/api/v1/cases/rates?scopeCode=330108&${march}`);
    expect(district.counts).toEqual({ ...xixingMarch, reported: 8, responseDue: 8, respondedOnTime: 6, accepted: 6, resolved: 5, rated: 4, satisfied: 3 });
    expect((await get(admin, `/api/v1/cases/rates?${march}`)).scopeCode).toBe('330108'); // one district: the admin's root
  });

  it('counts the levels below a street: community, grid, micro-grid', async () => {
    const xiling = await get(community, `/api/v1/cases/rates?scopeCode=${XILING}&${march}`);
    expect(xiling.counts).toEqual({ reported: 5, responseDue: 5, respondedOnTime: 3, accepted: 3, resolved: 3, rated: 2, satisfied: 2, open: 2, overdue: 1 });
    expect((await get(community, `/api/v1/cases/rates?scopeCode=${GRID1}&${march}`)).counts).toMatchObject({ reported: 4, respondedOnTime: 3, accepted: 3 });
    expect((await get(community, `/api/v1/cases/rates?scopeCode=${MG1}&${march}`)).counts).toMatchObject({ reported: 2, rated: 1, satisfied: 1 });
    expect((await get(community, `/api/v1/cases/rates?scopeCode=${GRID2}&${march}`)).counts).toMatchObject({ reported: 1, responseDue: 1, respondedOnTime: 0, overdue: 1 });
  });

  it('leaves a case whose acceptance deadline has not come out of the response denominator', async () => {
    const now = Date.now();
    await insertCase({ name: 'K', place: MG1, reportedAt: new Date(now - 3600_000).toISOString(), state: 'reported' });
    await q(`update civic_case set accept_deadline = $2, step_deadline = $2 where id = $1`, [ids.K, new Date(now + 86_400_000).toISOString()]);
    const today = new Date(now - 3600_000 + 8 * 3600_000).toISOString().slice(0, 10);
    const r = await get(street, `/api/v1/cases/rates?scopeCode=${MG1}&from=${today}&to=${today}`);
    expect(r.counts).toMatchObject({ reported: 1, responseDue: 0, respondedOnTime: 0, open: 1, overdue: 0 });
    expect(r.responseRate).toBeNull();
  });

  it('breaks a street down into its communities and a community into its grids; the parts add up to the whole', async () => {
    const b = await get(street, `/api/v1/cases/rates/breakdown?scopeCode=${XIXING}&${march}&by=children`);
    const communities = await q<{ code: string }>(`select code from territory_node where parent_code = $1 and kind = 'community'`, [XIXING]);
    expect(b.items.map((i: any) => i.code).sort()).toEqual(communities.map((c) => c.code).sort());
    expect(b.items.every((i: any) => i.kind === 'community')).toBe(true);
    const sum = (items: any[]) => Object.fromEntries(Object.keys(xixingMarch).map((k) => [k, items.reduce((s, i) => s + i.counts[k], 0)]));
    expect(sum(b.items)).toEqual(xixingMarch);
    expect(b.items.find((i: any) => i.code === XILING)).toMatchObject({ name: '西陵社区', counts: { reported: 5 }, satisfactionRate: 1 });
    expect(b.items.find((i: any) => i.code === COMMUNITY2)).toMatchObject({ counts: { reported: 2, accepted: 2, resolved: 1 }, resolutionRate: 0.5 });
    const grids = await get(community, `/api/v1/cases/rates/breakdown?scopeCode=${XILING}&${march}`);
    expect(grids.items.map((i: any) => [i.code, i.counts.reported])).toEqual(expect.arrayContaining([[GRID1, 4], [GRID2, 1]]));
    expect(sum(grids.items)).toEqual((await get(community, `/api/v1/cases/rates?scopeCode=${XILING}&${march}`)).counts);
    const micro = await get(community, `/api/v1/cases/rates/breakdown?scopeCode=${GRID1}&${march}`);
    expect(micro.items.map((i: any) => [i.code, i.kind, i.counts.reported])).toEqual([[MG1, 'micro_grid', 2], [MG2, 'micro_grid', 2]]);
  });

  it('counts a department over the whistles blown to it, and breaks a street down by department', async () => {
    const cgAll = { reported: 4, responseDue: 4, respondedOnTime: 2, accepted: 4, resolved: 2, rated: 2, satisfied: 2, open: 2, overdue: 2 };
    const adminView = await get(admin, `/api/v1/cases/rates?scopeCode=${CG}&${march}`);
    expect(adminView).toMatchObject({ scopeCode: CG, scopeName: '滨江区城市管理局', responseRate: 0.5, resolutionRate: 0.5, satisfactionRate: 1, counts: cgAll });
    // the department's own staff: their department by default, whatever streets the whistles came from
    expect((await get(chengguan, `/api/v1/cases/rates?${march}`)).counts).toEqual(cgAll);
    // a street sees the department's work inside the street only (J lies in 长河)
    const inStreet = await get(street, `/api/v1/cases/rates?scopeCode=${CG}&${march}`);
    expect(inStreet.counts).toEqual({ reported: 3, responseDue: 3, respondedOnTime: 1, accepted: 3, resolved: 1, rated: 1, satisfied: 1, open: 2, overdue: 2 });
    const byDept = await get(street, `/api/v1/cases/rates/breakdown?scopeCode=${XIXING}&${march}&by=departments`);
    expect(byDept.items.map((i: any) => [i.code, i.kind, i.counts.accepted, i.counts.resolved])).toEqual([[CG, 'department', 3, 1], [SJ, 'department', 1, 1]]);
    expect(byDept.items[0].counts).toEqual(inStreet.counts);
    // the department's drill-down condition selects exactly the cases counted (one whistle per case here)
    const now = new Date();
    const count = async (measure: 'response' | 'resolution' | 'satisfaction', met: boolean | undefined) => {
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from civic_case c
        where ${departmentMeasureFilter(measure, met, now, CG)} and c.reported_at >= '2026-03-01T00:00:00+08' and c.reported_at < '2026-04-01T00:00:00+08'`.execute(t.database.db);
      return rows[0]!.n;
    };
    expect([await count('response', undefined), await count('response', true), await count('response', false)]).toEqual([4, 2, 2]);
    expect([await count('resolution', undefined), await count('resolution', true), await count('resolution', false)]).toEqual([4, 2, 2]);
    expect([await count('satisfaction', undefined), await count('satisfaction', true), await count('satisfaction', false)]).toEqual([2, 2, 0]);
  });

  it('refuses what lies outside the caller: another street 404, another department 404, a department user an area 404', async () => {
    expect((await get(otherStreet, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`, 404)).error.code).toBe('NOT_FOUND');
    await get(community, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`, 404);
    await get(community, `/api/v1/cases/rates/breakdown?scopeCode=${COMMUNITY2}&${march}`, 404);
    await get(community, `/api/v1/cases/rates/trend?scopeCode=${XIXING}&${march}`, 404);
    await get(chengguan, `/api/v1/cases/rates?scopeCode=${SJ}&${march}`, 404);
    await get(chengguan, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`, 404);
    await get(street, `/api/v1/cases/rates?scopeCode=NOSUCH01&${march}`, 404);
    // a department of another district is nobody's business in 滨江 but the city's
    await q(`insert into territory_node (code, kind, name, path) values ('330106', 'district', '西湖区', '330106') on conflict do nothing`);
    await q(`insert into department (code, name, short_name, kind, territory_code) values ('330106CG', '西湖区城市管理局', '城管', 'chengguan', '330106') on conflict do nothing`);
    await get(street, `/api/v1/cases/rates?scopeCode=330106CG&${march}`, 404);
    await get(admin, `/api/v1/cases/rates?scopeCode=330106CG&${march}`, 200);
    // bad input names the field
    const backwards = await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2026-03-31&to=2026-03-01`, 400);
    expect(backwards.error.field).toBe('to');
    expect((await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&from=2026-13-01&to=2026-03-01`, 400)).error.field).toBe('from');
    const building = (await q<{ code: string }>(`select code from territory_node where kind = 'building' and path <@ '330108.330108001' limit 1`))[0]!.code;
    expect((await get(street, `/api/v1/cases/rates?scopeCode=${building}&${march}`, 400)).error.field).toBe('scopeCode');
    expect((await get(street, `/api/v1/cases/rates/breakdown?scopeCode=${CG}&${march}`, 400)).error.field).toBe('scopeCode');
    const resident = await t.login('resident.demo');
    await get(resident, `/api/v1/cases/rates?${march}`, 403);
  });

  it('agrees with the drill-down list: met=true lists the numerator, met=false the rest of the denominator', async () => {
    const r = (await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`)).counts;
    const expected = {
      response: { met: ['A', 'C', 'E', 'F', 'I'], unmet: ['B', 'D'], numerator: r.respondedOnTime, denominator: r.responseDue },
      resolution: { met: ['A', 'B', 'F', 'I'], unmet: ['E'], numerator: r.resolved, denominator: r.accepted },
      satisfaction: { met: ['A', 'I'], unmet: ['F'], numerator: r.satisfied, denominator: r.rated },
    };
    for (const [measure, e] of Object.entries(expected)) {
      const list = async (met: boolean) => (await get(street, `/api/v1/cases?scopeCode=${XIXING}&${march}&measure=${measure}&met=${met}&limit=200`)).items
        .map((i: any) => i.id as number).sort((a: number, b: number) => a - b);
      const metIds = await list(true);
      const unmetIds = await list(false);
      expect(metIds.length, measure).toBe(e.numerator);
      expect(unmetIds.length, measure).toBe(e.denominator - e.numerator);
      expect(metIds, measure).toEqual(e.met.map((n) => ids[n]).sort((a, b) => a! - b!));
      expect(unmetIds, measure).toEqual(e.unmet.map((n) => ids[n]).sort((a, b) => a! - b!));
    }
  });

  /** The rows of a sheet from its header row on, each as header → cell text. */
  async function sheetRows(token: string, url: string): Promise<Record<string, Record<string, string>[]>> {
    const file = await t.call(token, 'GET', url);
    expect(file.statusCode, `${url}: ${file.body.slice(0, 200)}`).toBe(200);
    expect(file.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const out: Record<string, Record<string, string>[]> = {};
    for (const sheet of workbook.worksheets) {
      const rows: string[][] = [];
      sheet.eachRow({ includeEmpty: false }, (row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
      const at = rows.findIndex((r) => r.length > 2);
      out[sheet.name] = rows.slice(at + 1).map((r) => Object.fromEntries(rows[at]!.map((h, i) => [h, r[i] ?? ''])));
    }
    return out;
  }

  it('exports the rates with their breakdown to .xlsx, the same figures as the JSON', async () => {
    const url = `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`;
    const rates = await get(street, url);
    const children = await get(street, `/api/v1/cases/rates/breakdown?scopeCode=${XIXING}&${march}`);
    const departments = await get(street, `/api/v1/cases/rates/breakdown?scopeCode=${XIXING}&${march}&by=departments`);
    const sheets = await sheetRows(street, `${url}&format=xlsx`);
    const pct = (x: number | null) => (x === null ? '' : `${(x * 100).toFixed(1)}%`);
    const asRow = (r: any) => ({ 区域或部门: r.scopeName, 上报: String(r.counts.reported), 应响应: String(r.counts.responseDue), 按时响应: String(r.counts.respondedOnTime),
      响应率: pct(r.responseRate), 立案: String(r.counts.accepted), 解决: String(r.counts.resolved), 解决率: pct(r.resolutionRate),
      评价: String(r.counts.rated), 满意: String(r.counts.satisfied), 满意率: pct(r.satisfactionRate), 未办结: String(r.counts.open), 超期: String(r.counts.overdue) });
    const { 层级: _kind, ...first } = sheets['三率']![0]!;
    expect(first).toEqual(asRow(rates));
    expect(sheets['三率']!.slice(1).map(({ 层级: _k, ...r }) => r)).toEqual(children.items.map(asRow));
    expect(sheets['职能部门']!.map(({ 层级: _k, ...r }) => r)).toEqual(departments.items.map(asRow));
    expect(Number(first['上报'])).toBeGreaterThan(0);
    // a department's own figures: one sheet, one row; outside the caller nothing is exported
    const dept = await sheetRows(chengguan, `/api/v1/cases/rates?scopeCode=${CG}&${march}&format=xlsx`);
    expect(Object.keys(dept)).toEqual(['三率']);
    expect(dept['三率']!.length).toBe(1);
    expect((await t.call(otherStreet, 'GET', `${url}&format=xlsx`)).statusCode).toBe(404);
  });

  it('exports the case list with the filters applied to .xlsx: the same cases as the JSON pages, the reporter masked', async () => {
    const filter = `scopeCode=${XIXING}&${march}&measure=resolution&met=true`;
    const json: any[] = [];
    let cursor = '';
    for (;;) {
      const pageOf = await get(street, `/api/v1/cases?${filter}&limit=2${cursor}`);
      json.push(...pageOf.items);
      if (!pageOf.nextCursor) break;
      cursor = `&cursor=${pageOf.nextCursor}`;
    }
    const rows = (await sheetRows(street, `/api/v1/cases?${filter}&format=xlsx`))['案件清单']!;
    expect(rows.map((r) => r['服务单号'])).toEqual(json.map((c) => c.serviceNo));
    expect(rows.map((r) => r['状态'])).toEqual(json.map((c) => c.stateName));
    expect(rows.map((r) => r['上报人'])).toEqual(json.map((c) => c.reporterName ?? ''));
    expect(rows.length).toBe((await get(street, `/api/v1/cases/rates?scopeCode=${XIXING}&${march}`)).counts.resolved);
    const [audit] = await q<{ summary: { rows: number; filters: Record<string, unknown> } }>(`select summary from audit_log where action = 'case.export' order by id desc limit 1`);
    expect(audit!.summary.rows).toBe(rows.length);
    expect(audit!.summary.filters.measure).toBe('resolution');
  });

  it('draws the trend per Beijing month, week and day; the periods add up to the whole', async () => {
    const months = await get(street, `/api/v1/cases/rates/trend?scopeCode=${XIXING}&from=2026-02-01&to=2026-04-30&interval=month`);
    expect(months.items.map((i: any) => [i.period, i.from, i.to, i.counts.reported])).toEqual([
      ['2026-02-01', '2026-02-01', '2026-02-28', 0], ['2026-03-01', '2026-03-01', '2026-03-31', 7], ['2026-04-01', '2026-04-01', '2026-04-30', 1],
    ]);
    expect(months.items[1]).toMatchObject({ responseRate: 5 / 7, resolutionRate: 4 / 5, satisfactionRate: 2 / 3, counts: xixingMarch });
    expect(months.items[0].responseRate).toBeNull();
    const weeks = await get(street, `/api/v1/cases/rates/trend?scopeCode=${XIXING}&${march}&interval=week`);
    // weeks start on Monday: 2026-03-01 is a Sunday, so the first week is clipped to that one day
    expect(weeks.items[0]).toMatchObject({ period: '2026-02-23', from: '2026-03-01', to: '2026-03-01', counts: { reported: 1 } });
    expect(weeks.items.at(-1)).toMatchObject({ period: '2026-03-30', from: '2026-03-30', to: '2026-03-31' });
    expect(weeks.items.reduce((s: number, i: any) => s + i.counts.reported, 0)).toBe(7);
    const days = await get(street, `/api/v1/cases/rates/trend?scopeCode=${XIXING}&${march}&interval=day`);
    expect(days.items).toHaveLength(31);
    expect(days.items.filter((i: any) => i.counts.reported > 0).map((i: any) => i.period)).toEqual(['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-05', '2026-03-10', '2026-03-12', '2026-03-15']);
    const dept = await get(chengguan, `/api/v1/cases/rates/trend?${march}`);
    expect(dept.items[0].counts).toMatchObject({ accepted: 4, resolved: 2 });
    expect((await get(street, `/api/v1/cases/rates/trend?scopeCode=${XIXING}&from=2020-01-01&to=2026-03-31&interval=day`, 400)).error.field).toBe('interval');
  });

  describe('the case map', () => {
    const mapOf = (token: string, query: string) => get(token, `/api/v1/cases/map?${query}`);
    const idsOf = (m: any) => m.clusters.flatMap((c: any) => c.ids ?? []).sort((a: number, b: number) => a - b);
    const named = (...names: string[]) => names.map((n) => ids[n]!).sort((a, b) => a - b);

    it('clusters every located case of the scope and period; the clusters add up to the total', async () => {
      const m = await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18`);
      expect(m.total).toBe(7); // A B C D E F I; the merged duplicate G is not drawn
      expect(m.clusters.reduce((s: number, c: any) => s + c.count, 0)).toBe(7);
      expect(idsOf(m)).toEqual(named('A', 'B', 'C', 'D', 'E', 'F', 'I'));
      expect(m.truncated).toBe(false);
      const d = m.clusters.find((c: any) => c.ids?.includes(ids.D));
      expect(d.overdue).toBe(1);
      // zoomed out to the whole province, one cluster holds them all
      const far = await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=3`);
      expect(far.clusters).toHaveLength(1);
      expect(far.clusters[0]).toMatchObject({ count: 7, overdue: 1 });
      const [lng, lat] = [far.clusters[0].lng, far.clusters[0].lat];
      expect(lng).toBeGreaterThan(120.1);
      expect(lat).toBeGreaterThan(30.1);
    });

    it('filters by category (a major matches its minors), state, overdue and viewport', async () => {
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&categoryCode=01`))).toEqual(named('A', 'B', 'D', 'E', 'F', 'I'));
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&categoryCode=0102`))).toEqual(named('E'));
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&state=open`))).toEqual(named('B', 'D', 'E'));
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&state=voided`))).toEqual(named('C'));
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&overdue=true`))).toEqual(named('D'));
      expect((await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&overdue=false`)).total).toBe(6);
      const [d] = await q<{ lng: number; lat: number }>(`select st_x(location) as lng, st_y(location) as lat from civic_case where id = $1`, [ids.D]);
      const box = [d!.lng - 0.0001, d!.lat - 0.0001, d!.lng + 0.0001, d!.lat + 0.0001].join(',');
      expect(idsOf(await mapOf(street, `scopeCode=${XIXING}&${march}&zoom=18&bbox=${box}`))).toEqual(named('D'));
      expect((await get(street, `/api/v1/cases/map?bbox=1,2,3`, 400)).error.field).toBe('bbox');
      expect((await get(street, `/api/v1/cases/map?state=nosuch`, 400)).error.field).toBe('state');
    });

    it('keeps to the caller: their scope by default, 404 outside it; a department sees its own cases', async () => {
      expect(idsOf(await mapOf(community, `${march}&zoom=18`))).toEqual(named('A', 'B', 'C', 'D', 'I'));
      await get(community, `/api/v1/cases/map?scopeCode=${XIXING}`, 404);
      await get(otherStreet, `/api/v1/cases/map?scopeCode=${XIXING}`, 404);
      expect(idsOf(await mapOf(otherStreet, `${march}&zoom=18`))).toEqual(named('J'));
      expect(idsOf(await mapOf(chengguan, `${march}&zoom=18`))).toEqual(named('A', 'B', 'E', 'J'));
      await get(chengguan, `/api/v1/cases/map?scopeCode=${XIXING}`, 404);
    });

    it('lists the ids of small clusters only, and weighs the heat cells to the count', async () => {
      const [a] = await q<{ lng: number; lat: number }>(`select st_x(location) as lng, st_y(location) as lat from civic_case where id = $1`, [ids.A]);
      for (let i = 0; i < 21; i++) {
        await insertCase({ name: `M${i}`, place: MG1, reportedAt: `2026-05-0${1 + (i % 9)}T02:00:00Z`, state: 'closed', responded: 'on_time', accepted: true, resolved: true, at: [a!.lng, a!.lat] });
      }
      const may = 'from=2026-05-01&to=2026-05-31';
      const big = await mapOf(street, `scopeCode=${XIXING}&${may}&zoom=16`);
      expect(big.clusters).toEqual([{ lng: expect.closeTo(a!.lng, 9), lat: expect.closeTo(a!.lat, 9), count: 21, overdue: 0 }]);
      const heat = await get(street, `/api/v1/cases/heat?scopeCode=${XIXING}&${may}&zoom=16`);
      expect(heat.points).toEqual([[expect.closeTo(a!.lat, 9), expect.closeTo(a!.lng, 9), 21]]);
      const all = await get(street, `/api/v1/cases/heat?scopeCode=${XIXING}&from=2026-03-01&to=2026-05-31&zoom=17`);
      expect(all.points.reduce((s: number, p: number[]) => s + p[2]!, 0)).toBe(all.total);
      expect(all.total).toBe(7 + 1 + 21); // March, H in April, May
      // on 高德 tiles (GCJ-02) the points move by a few hundred metres, the counts do not
      const gcj = await get(street, `/api/v1/cases/heat?scopeCode=${XIXING}&${may}&zoom=16&crs=gcj02`);
      expect(gcj.points[0][2]).toBe(21);
      expect(Math.abs(gcj.points[0][1] - a!.lng)).toBeGreaterThan(0.001);
    });
  });
});
