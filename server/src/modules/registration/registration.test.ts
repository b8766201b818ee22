import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const XILING = '330108001001';
const SHUIDIAN = '330108001002';
const FOREIGN = '330108002001';

describe('double registration (双报到) and posts', () => {
  let t: TestContext;
  let member: string;
  let xiling: string;
  let foreign: string;
  let unit: string;
  let memberUserId: number;
  let registrationId: number;
  let forceId: number;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const count = async (table: string) => (await q<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

  /**
   * In-service members already in the register of a community, with accounts (factory: the seed's member.0001…
   * may not exist yet). Each gets a person living in the community, a user with member.demo's password and role.
   */
  async function buildMembers(community: string, n: number, prefix: string): Promise<{ tokens: string[]; forceIds: number[] }> {
    const rooms = await q<{ code: string }>(`select rn.code from territory_node rn join territory_node c on c.code = $1
      where rn.kind = 'room' and rn.path <@ c.path order by rn.code limit $2`, [community, n]);
    const tokens: string[] = [];
    const forceIds: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const [person] = await q<{ id: number }>(`insert into person (name, mobile) values ($1, $2) returning id::int as id`,
        [`测试党员${prefix}${i}`, `1390000${String(1000 + i).padStart(4, '0')}`]);
      await q(`insert into residence (person_id, room_code, relation, moved_in) values ($1, $2, 'owner', '2020-01-01')`, [person!.id, rooms[i % rooms.length]!.code]);
      await q(`insert into party_member (person_id, member_type, org_code) values ($1, 'in_service', 'U0001')`, [person!.id]);
      const [user] = await q<{ id: number }>(`insert into app_user (username, display_name, password_hash, scope_kind, person_id, must_change_password)
        select $1, $2, password_hash, 'self', $3, false from app_user where username = 'member.demo' returning id::int as id`,
        [`${prefix}.${i}`, `测试党员${i}`, person!.id]);
      await q(`insert into app_user_role (user_id, role_code) values ($1, 'party_member')`, [user!.id]);
      const [force] = await q<{ id: number }>(`insert into force_person (person_id, user_id, kind, community_code, community_path, skills)
        select $1, $2, 'in_service_member', code, path, '{patrol}' from territory_node where code = $3 returning id::int as id`, [person!.id, user!.id, community]);
      forceIds.push(force!.id);
      tokens.push(await t.login(`${prefix}.${i}`));
    }
    return { tokens, forceIds };
  }

  /** A confirmed service record with a rating (the records module's job; a factory here). */
  async function confirmedService(force: number, community: string, hours: number, score: number, servedOn = new Date().toISOString().slice(0, 10)) {
    const [admin] = await q<{ id: number }>(`select id::int as id from app_user where username = 'admin'`);
    const [post] = await q<{ id: number }>(`insert into service_post (community_code, kind_code, title, capacity) values ($1, 'policy', '记录用岗位', 5)
      returning id::int as id`, [community]);
    const [record] = await q<{ id: number }>(`insert into service_record (force_id, source, post_id, community_code, title, served_on, hours, hour_cap,
        status, confirmed_by, confirmed_as, confirmed_at)
      values ($1, 'post', $2, $3, '政策宣讲', $4, $5, 8, 'confirmed', $6, 'organiser', now()) returning id::int as id`,
      [force, post!.id, community, servedOn, hours, admin!.id]);
    await q(`insert into service_rating (record_id, force_id, rater_kind, rater_id, score) values ($1, $2, 'community', $3, $4)`, [record!.id, force, admin!.id, score]);
  }

  const ratesOf = async (token: string, community: string) => {
    const res = await t.call(token, 'GET', `/api/v1/service/rates?scopeCode=${community}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().items.find((i: { code: string }) => i.code === community);
  };

  const validBody = (homeCode: string) => ({
    communityCode: XILING, homeCode, unitOrgCode: 'U0001', workUnit: '杭州市滨江区西陵实验学校', mobile: '13812345678',
    skills: ['legal', 'mediation'], wishes: ['legal_aid'], availability: { days: [6, 7], periods: ['morning'] },
  });

  beforeAll(async () => {
    t = await createTestContext();
    [member, xiling, foreign, unit] = (await Promise.all(['member.demo', `community.${XILING}`, `community.${FOREIGN}`, 'unit.demo'].map((u) => t.login(u)))) as [string, string, string, string];
    memberUserId = (await q<{ id: number }>(`select id::int as id from app_user where username = 'member.demo'`))[0]!.id;
  });
  afterAll(async () => t.close());

  it('serves the community QR code publicly as PNG and SVG; unknown or non-community codes are 404', async () => {
    const png = await t.call(null, 'GET', `/api/v1/service/communities/${XILING}/registration-qr?format=png`, undefined, { host: 'linli.example.cn' });
    expect(png.statusCode).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect([...png.rawPayload.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const svg = await t.call(null, 'GET', `/api/v1/service/communities/${XILING}/registration-qr?format=svg`);
    expect(svg.statusCode).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.body).toMatch(/^<svg[^>]+xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect((await t.call(null, 'GET', '/api/v1/service/communities/330108001/registration-qr')).statusCode).toBe(404);
    expect((await t.call(null, 'GET', '/api/v1/service/communities/999999999999/registration-qr')).statusCode).toBe(404);
    const { registrationLink } = await import('./registration.service.js');
    expect(registrationLink('https://linli.example.cn', XILING)).toBe(`https://linli.example.cn/m/signup/${XILING}`);
  });

  it('gives the member the form: compounds → buildings → units, skills, post kinds; and a unit-org search', async () => {
    const res = await t.call(member, 'GET', `/api/v1/service/communities/${XILING}/registration-form`);
    expect(res.statusCode, res.body).toBe(200);
    const form = res.json();
    expect(form.community).toMatchObject({ code: XILING, name: '西陵社区' });
    expect(form.compounds.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['观澜新村', '春晓湾']));
    expect(form.compounds[0].buildings[0].units.length).toBeGreaterThan(0);
    expect(form.skills.length).toBe(22);
    expect(form.postKinds.length).toBe(8);
    const orgs = (await t.call(member, 'GET', `/api/v1/service/unit-orgs?q=${encodeURIComponent('西陵实验')}`)).json();
    expect(orgs.items[0]).toMatchObject({ code: 'U0001' });
    expect((await t.call(member, 'GET', '/api/v1/service/unit-orgs?q=xlsy')).json().items.map((o: { code: string }) => o.code)).toContain('U0001');
    // staff see forms only inside their scope
    expect((await t.call(foreign, 'GET', `/api/v1/service/communities/${XILING}/registration-form`)).statusCode).toBe(404);
  });

  it('refuses a home outside the community (400 homeCode) or an unknown skill (400 skills), writing nothing', async () => {
    const before = { regs: await count('member_registration'), audits: await count('audit_log') };
    const outside = await t.call(member, 'POST', '/api/v1/service/registrations', validBody(`${SHUIDIAN}C001`));
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error).toMatchObject({ code: 'VALIDATION', field: 'homeCode' });
    const foreignUnit = await t.call(member, 'POST', '/api/v1/service/registrations', validBody(`${FOREIGN}C001B001U01`));
    expect(foreignUnit.json().error.field).toBe('homeCode');
    const skill = await t.call(member, 'POST', '/api/v1/service/registrations', { ...validBody(`${XILING}C001B001U01`), skills: ['juggling'] });
    expect(skill.statusCode).toBe(400);
    expect(skill.json().error.field).toBe('skills');
    const wish = await t.call(member, 'POST', '/api/v1/service/registrations', { ...validBody(`${XILING}C001B001U01`), wishes: ['nothing'] });
    expect(wish.json().error.field).toBe('wishes');
    expect({ regs: await count('member_registration'), audits: await count('audit_log') }).toEqual(before);
    // staff cannot register
    expect((await t.call(xiling, 'POST', '/api/v1/service/registrations', validBody(`${XILING}C001B001U01`))).statusCode).toBe(403);
  });

  it('runs the whole flow: register → approve → forces register → 报回单位 → rates', async () => {
    const ratesBefore = await ratesOf(xiling, XILING);
    const unitBefore = (await t.call(unit, 'GET', '/api/v1/service/units/U0001/rates')).json();

    const created = await t.call(member, 'POST', '/api/v1/service/registrations', validBody(`${XILING}C001B001U01`));
    expect(created.statusCode, created.body).toBe(201);
    const reg = created.json();
    registrationId = reg.id;
    expect(reg).toMatchObject({ status: 'pending', communityCode: XILING, unitOrgCode: 'U0001', mobile: '138****5678', skills: ['legal', 'mediation'] });
    expect(reg.name).toMatch(/\*/);
    expect(reg.homeAddress).toContain('观澜新村');
    // one at a time
    const again = await t.call(member, 'POST', '/api/v1/service/registrations', validBody(`${XILING}C001B001U01`));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    expect((await t.call(member, 'GET', '/api/v1/service/registrations/mine')).json().items[0]).toMatchObject({ id: reg.id, status: 'pending' });

    // the queue of 西陵社区 holds it; another community's staff sees nothing of it
    const queue = (await t.call(xiling, 'GET', `/api/v1/service/registrations?communityCode=${XILING}&status=pending`)).json();
    expect(queue.items.map((r: { id: number }) => r.id)).toContain(reg.id);
    expect((await t.call(foreign, 'GET', '/api/v1/service/registrations')).json().items.map((r: { id: number }) => r.id)).not.toContain(reg.id);
    expect((await t.call(foreign, 'GET', `/api/v1/service/registrations/${reg.id}`)).statusCode).toBe(404);
    const foreignApprove = await t.call(foreign, 'POST', `/api/v1/service/registrations/${reg.id}/approve`, {});
    expect(foreignApprove.statusCode).toBe(404);
    expect((await q<{ status: string }>(`select status from member_registration where id = $1`, [reg.id]))[0]!.status).toBe('pending');

    const placement = (await t.call(xiling, 'GET', `/api/v1/service/registrations/${reg.id}/placement`)).json();
    expect(placement.branches.find((b: { isDefault: boolean }) => b.isDefault).code).toBe(`P${XILING}F01`);

    const approved = await t.call(xiling, 'POST', `/api/v1/service/registrations/${reg.id}/approve`);
    expect(approved.statusCode, approved.body).toBe(200);
    const a = approved.json();
    expect(a).toMatchObject({ status: 'approved', branchCode: `P${XILING}F01`, microGridCode: `${XILING}001001` });
    forceId = a.forceId;
    const [force] = await q<Record<string, unknown>>(`select kind, user_id::int as user_id, community_code, community_path::text as community_path,
        home_code, micro_grid_code, skills, status, ST_AsText(home_location) as home from force_person where id = $1`, [forceId]);
    expect(force).toMatchObject({ kind: 'in_service_member', user_id: memberUserId, community_code: XILING, community_path: `330108.330108001.${XILING}`,
      home_code: `${XILING}C001B001U01`, micro_grid_code: `${XILING}001001`, skills: ['legal', 'mediation'], status: 'active' });
    const [building] = await q<{ loc: string }>(`select ST_AsText(location) as loc from territory_node where code = $1`, [`${XILING}C001B001`]);
    expect(force!.home).toBe(building!.loc);
    const note = await q<{ title: string }>(`select title from notification where recipient_user_id = $1 and kind = 'registration' and ref_id = $2`, [memberUserId, String(reg.id)]);
    expect(note).toHaveLength(1);
    expect(await q(`select 1 from audit_log where action = 'registration.approve' and target_id = $1`, [String(reg.id)])).toHaveLength(1);

    // approving twice, or rejecting after approval, is a wrong transition
    const twice = await t.call(xiling, 'POST', `/api/v1/service/registrations/${reg.id}/approve`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('INVALID_TRANSITION');
    expect((await t.call(xiling, 'POST', `/api/v1/service/registrations/${reg.id}/reject`, { note: '重复审核' })).json().error.code).toBe('INVALID_TRANSITION');

    // service in the period, confirmed and rated
    await confirmedService(forceId, XILING, 2.5, 5);
    await confirmedService(forceId, XILING, 1.5, 4);

    // 报回单位: the unit sees its member, with the service derived from the records
    const report = await t.call(unit, 'GET', '/api/v1/service/units/U0001/members');
    expect(report.statusCode, report.body).toBe(200);
    const row = report.json().items.find((i: { registrationId: number }) => i.registrationId === reg.id);
    expect(row).toMatchObject({ communityName: '西陵社区', status: 'approved', hours: 4, services: 2, avgRating: 4.5 });
    expect(row.approvedAt).not.toBeNull();
    expect(row.name).toMatch(/\*/);
    // another unit's org, and staff of another community, get 404
    expect((await t.call(unit, 'GET', '/api/v1/service/units/U0002/members')).statusCode).toBe(404);
    expect((await t.call(foreign, 'GET', '/api/v1/service/units/U0001/members')).statusCode).toBe(404);
    expect((await t.call(member, 'GET', '/api/v1/service/units/U0001/members')).statusCode).toBe(404);
    // staff who can see the unit see only its members registered inside their own territory
    const staffView = await t.call(xiling, 'GET', '/api/v1/service/units/U0001/members');
    expect(staffView.statusCode).toBe(200);
    const unitView = report.json().items as { communityCode: string | null }[];
    expect(unitView.some((i) => i.communityCode !== XILING)).toBe(true); // the unit's members live in several communities
    const staffItems = staffView.json().items as { communityCode: string | null; registrationId: number }[];
    expect(staffItems.every((i) => i.communityCode === XILING)).toBe(true);
    expect(staffItems.map((i) => i.registrationId)).toContain(reg.id);
    expect(staffView.json().totals.inService).toBe(staffItems.length);

    // the quarterly export, read back
    const quarter = `${new Date().getUTCFullYear()}Q${Math.floor(new Date().getUTCMonth() / 3) + 1}`;
    const file = await t.call(unit, 'GET', `/api/v1/service/units/U0001/members?format=xlsx&quarter=${quarter}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const line = rows.find((r) => r[2] === '138****5678' && r[4] === '西陵社区');
    expect(line).toBeDefined();
    expect(line![5]).toBe('已通过');
    expect(line![8]).toBe(2);
    expect(line![9]).toBe(4);
    expect(String(line![1])).toMatch(/\*/);
    const [me] = await q<{ name: string }>(`select p.name from person p join app_user u on u.person_id = p.id where u.username = 'member.demo'`);
    expect(JSON.stringify(rows)).not.toContain(me!.name);
    // a past quarter has no service
    const past = (await t.call(unit, 'GET', '/api/v1/service/units/U0001/members?quarter=2020Q1')).json();
    expect(past).toMatchObject({ from: '2020-01-01', to: '2020-03-31' });
    expect(past.items.find((i: { registrationId: number }) => i.registrationId === reg.id).hours).toBe(0);

    // rates follow the records
    const ratesAfter = await ratesOf(xiling, XILING);
    expect(ratesAfter.registered).toBe(ratesBefore.registered + 1);
    expect(ratesAfter.served).toBe(ratesBefore.served + 1);
    expect(ratesAfter.inService).toBe(ratesBefore.inService);
    expect(ratesAfter.registrationRate).toBeCloseTo(ratesAfter.registered / ratesAfter.inService, 4);
    expect(ratesAfter.serviceRate).toBeCloseTo(ratesAfter.served / ratesAfter.registered, 4);
    const [direct] = await q<{ n: number }>(`select count(distinct person_id)::int as n from (select pm.person_id from party_member pm
      join residence r on r.person_id = pm.person_id and r.moved_out is null join territory_node rn on rn.code = r.room_code
      where pm.member_type = 'in_service' and rn.path <@ '330108.330108001.${XILING}'
      union all select person_id from member_registration where status = 'approved' and community_code = '${XILING}') k`);
    expect(ratesAfter.inService).toBe(direct!.n);
    const all = (await t.call(xiling, 'GET', '/api/v1/service/rates')).json();
    expect(all.items.map((i: { code: string }) => i.code)).toEqual([XILING]);
    const unitAfter = (await t.call(unit, 'GET', '/api/v1/service/units/U0001/rates')).json();
    expect(unitAfter.registered).toBe(unitBefore.registered + 1);
    expect(unitAfter.served).toBe(unitBefore.served + 1);
    expect(unitAfter.inService).toBeGreaterThanOrEqual(1);
  });

  it('counts a member of 西陵社区 as served when they have a confirmed record in the period, as the records say', async () => {
    // the seed gives registered members of 西陵社区 confirmed service this year; the rate counts exactly them
    const year = new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());
    const rates = (await t.call(xiling, 'GET', `/api/v1/service/rates?scopeCode=${XILING}&from=${year}-01-01&to=${year}-12-31`)).json();
    const row = rates.items.find((i: { code: string }) => i.code === XILING);
    const [direct] = await q<{ served: number; registered: number }>(`select count(distinct r.person_id) filter (where exists (select 1 from service_record s
        where s.force_id = r.force_id and s.status = 'confirmed' and s.served_on between $2 and $3))::int as served, count(distinct r.person_id)::int as registered
      from member_registration r where r.status = 'approved' and r.community_code = $1`, [XILING, `${year}-01-01`, `${year}-12-31`]);
    expect(row).toMatchObject({ served: direct!.served, registered: direct!.registered });
    expect(row.served).toBeGreaterThan(0);
    expect(rates.total).toMatchObject({ served: row.served, registered: row.registered, inService: row.inService });
    // records outside the period do not count; pending records do not count
    const none = (await t.call(xiling, 'GET', `/api/v1/service/rates?scopeCode=${XILING}&from=2019-01-01&to=2019-12-31`)).json();
    expect(none.items[0].served).toBe(0);
    expect(none.items[0].serviceRate).toBe(0);
    // a bad period is a 400
    const bad = await t.call(xiling, 'GET', `/api/v1/service/rates?scopeCode=${XILING}&from=2026-12-01&to=2026-01-01`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('from');
  });

  it('reports the unit headline as the sums of its member list (one set of members, one period)', async () => {
    // an in-service member of the unit who has not registered appears as 未报到
    const [person] = await q<{ id: number }>(`insert into person (name, mobile) values ('单位未报到党员', '13900001111') returning id::int as id`);
    await q(`insert into party_member (person_id, member_type, org_code, work_unit) values ($1, 'in_service', 'U0001', '杭州市滨江区西陵实验学校')`, [person!.id]);
    for (const period of ['', '?quarter=2020Q1', `?from=${new Date().getUTCFullYear()}-01-01`]) {
      const list = (await t.call(unit, 'GET', `/api/v1/service/units/U0001/members${period}`)).json();
      const head = (await t.call(unit, 'GET', `/api/v1/service/units/U0001/rates${period ? `?from=${list.from}&to=${list.to}` : ''}`)).json();
      expect({ from: head.from, to: head.to }).toEqual({ from: list.from, to: list.to });
      const items = list.items as { personId: number; status: string; services: number; hours: number; registrationId: number | null; workUnit: string }[];
      const approved = items.filter((i) => i.status === 'approved');
      expect(head.inService, period).toBe(items.length);
      expect(head.registered, period).toBe(approved.length);
      expect(head.served, period).toBe(approved.filter((i) => i.services > 0).length);
      expect(list.totals).toMatchObject({ inService: items.length, approved: approved.length, served: head.served,
        services: items.reduce((a, i) => a + i.services, 0) });
      expect(list.totals.hours).toBeCloseTo(items.reduce((a, i) => a + i.hours, 0), 2);
      expect(new Set(items.map((i) => i.personId)).size).toBe(items.length);
      const lone = items.find((i) => i.personId === person!.id);
      expect(lone).toMatchObject({ status: 'unregistered', registrationId: null, services: 0, hours: 0, workUnit: '杭州市滨江区西陵实验学校' });
      expect(items.every((i) => i.workUnit.length > 0)).toBe(true);
    }
    // the set is the unit's members: party members of U0001 and registrations naming it, nothing else
    const [direct] = await q<{ n: number }>(`select count(*)::int as n from (select person_id from party_member where member_type = 'in_service' and org_code = 'U0001'
      union select person_id from member_registration where unit_org_code = 'U0001' and status in ('pending', 'approved', 'withdrawn')) x`);
    expect((await t.call(unit, 'GET', '/api/v1/service/units/U0001/rates')).json().inService).toBe(direct!.n);
  });

  it('shows the home of a member registered with a micro-grid (no room in the archive) by the micro-grid name', async () => {
    const [seeded] = await q<{ id: number; name: string }>(`select r.id::int as id, m.name from member_registration r join territory_node m on m.code = r.home_code
      where m.kind = 'micro_grid' and r.community_code = $1 order by r.id limit 1`, [XILING]);
    expect(seeded).toBeDefined();
    const res = await t.call(xiling, 'GET', `/api/v1/service/registrations/${seeded!.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().homeAddress).toBe(seeded!.name);
    expect(res.json().workUnit.length).toBeGreaterThan(1);
  });

  it('lets staff of another community see none of it, and rejects and withdrawals follow the states', async () => {
    expect((await t.call(foreign, 'GET', `/api/v1/service/rates?scopeCode=${XILING}`)).statusCode).toBe(404);
    const foreignRates = (await t.call(foreign, 'GET', '/api/v1/service/rates')).json();
    expect(foreignRates.items.map((i: { code: string }) => i.code)).toEqual([FOREIGN]);
    // the member cannot withdraw someone else's registration nor see the staff queue
    expect((await t.call(member, 'GET', '/api/v1/service/registrations')).statusCode).toBe(403);
  });

  it('offers posts that fit the member, fills them up to capacity under parallel takers, and lets members leave', async () => {
    // staff set up posts
    const bad = await t.call(xiling, 'POST', '/api/v1/service/posts', { communityCode: XILING, kindCode: 'nope', title: '法律援助岗', capacity: 2 });
    expect(bad.json().error.field).toBe('kindCode');
    expect((await t.call(foreign, 'POST', '/api/v1/service/posts', { communityCode: XILING, kindCode: 'legal_aid', title: '越权设岗', capacity: 2 })).statusCode).toBe(404);
    const legal = (await t.call(xiling, 'POST', '/api/v1/service/posts', { communityCode: XILING, kindCode: 'legal_aid', title: '周六法律咨询', capacity: 2 })).json();
    const patrol = (await t.call(xiling, 'POST', '/api/v1/service/posts', { communityCode: XILING, kindCode: 'safety', title: '夜间平安巡防', capacity: 3 })).json();
    expect(legal).toMatchObject({ capacity: 2, taken: 0, status: 'open' });

    // the member sees their community's open posts with reasons
    const list = (await t.call(member, 'GET', '/api/v1/service/posts')).json();
    const legalSeen = list.items.find((p: { id: number }) => p.id === legal.id);
    expect(legalSeen.fit).toEqual(expect.arrayContaining(['您报到时选择的意向岗位', expect.stringContaining('法律咨询')]));
    expect(list.items[0].fit.length).toBeGreaterThanOrEqual(list.items[list.items.length - 1].fit.length);
    // another community's staff see none of these posts
    expect((await t.call(foreign, 'GET', '/api/v1/service/posts')).json().items.map((p: { id: number }) => p.id)).not.toContain(legal.id);

    const took = await t.call(member, 'POST', `/api/v1/service/posts/${legal.id}/holders`);
    expect(took.statusCode, took.body).toBe(201);
    expect(took.json()).toMatchObject({ taken: 1, held: true });
    const twice = await t.call(member, 'POST', `/api/v1/service/posts/${legal.id}/holders`);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_DONE');
    expect((await t.call(member, 'GET', '/api/v1/service/posts/mine')).json().items.map((p: { id: number }) => p.id)).toEqual([legal.id]);

    // parallel takers never exceed the capacity
    const { tokens } = await buildMembers(XILING, 8, 'h1post');
    const answers = await Promise.all(tokens.map((tk) => t.call(tk, 'POST', `/api/v1/service/posts/${patrol.id}/holders`)));
    const codes = answers.map((r) => r.statusCode).sort();
    expect(codes.filter((c) => c === 201)).toHaveLength(3);
    expect(answers.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'FULL')).toBe(true);
    const [state] = await q<{ taken: number; holders: number }>(`select s.taken, (select count(*)::int from service_post_holder h where h.post_id = s.id and h.until is null) as holders
      from service_post s where s.id = $1`, [patrol.id]);
    expect(state).toEqual({ taken: 3, holders: 3 });

    // leaving frees a place; the database refuses one too many even past the service
    const leaver = answers.findIndex((r) => r.statusCode === 201);
    const left = await t.call(tokens[leaver]!, 'DELETE', `/api/v1/service/posts/${patrol.id}/holders/me`);
    expect(left.statusCode).toBe(204);
    expect((await t.call(tokens[leaver]!, 'DELETE', `/api/v1/service/posts/${patrol.id}/holders/me`)).statusCode).toBe(404);
    const waiting = answers.findIndex((r) => r.statusCode === 409);
    expect((await t.call(tokens[waiting]!, 'POST', `/api/v1/service/posts/${patrol.id}/holders`)).statusCode).toBe(201);
    await expect(q(`insert into service_post_holder (post_id, force_id) select $1, id from force_person where kind = 'in_service_member'
      and id not in (select force_id from service_post_holder where post_id = $1 and until is null) limit 1`, [patrol.id])).rejects.toThrow();

    // closing
    expect((await t.call(xiling, 'POST', `/api/v1/service/posts/${legal.id}/close`)).json().status).toBe('closed');
    expect((await t.call(xiling, 'POST', `/api/v1/service/posts/${legal.id}/close`)).json().error.code).toBe('INVALID_TRANSITION');
    const detail = (await t.call(xiling, 'GET', `/api/v1/service/posts/${patrol.id}`)).json();
    expect(detail.holders).toHaveLength(3);
    expect(detail.holders.every((h: { name: string }) => h.name.includes('*'))).toBe(true);
  });

  it('lets the member withdraw; the register entry then leaves', async () => {
    const res = await t.call(member, 'POST', `/api/v1/service/registrations/${registrationId}/withdraw`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('withdrawn');
    expect((await q<{ status: string }>(`select status from force_person where id = $1`, [forceId]))[0]!.status).toBe('left');
    expect((await t.call(member, 'POST', `/api/v1/service/registrations/${registrationId}/withdraw`)).json().error.code).toBe('INVALID_TRANSITION');
    // a new registration is possible again
    expect((await t.call(member, 'POST', '/api/v1/service/registrations', validBody(`${XILING}C002B002`))).statusCode).toBe(201);
  });
});
