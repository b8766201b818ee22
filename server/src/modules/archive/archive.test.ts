import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const XILING = '330108001001';
const FOREIGN = '330108002001';

interface Someone { id: number; name: string; name_pinyin: string; name_initials: string; id_number: string; mobile: string | null; room_code: string;
  building_code: string; compound_code: string; compound_name: string }

describe('residents\' archive', () => {
  let t: TestContext;
  let admin: string;
  let xiling: string;
  let grid: string;
  let parttime: string;
  let me: Someone;          // a resident of 西陵社区
  let stranger: Someone;    // a resident of another community
  let secrets: string[];    // raw names, ID numbers and mobiles of every seeded person
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);

  const someone = async (community: string) => (await q<Someone>(`
    select p.id::int as id, p.name, p.name_pinyin, p.name_initials, p.id_number, p.mobile, r.room_code, b.code as building_code,
      c.code as compound_code, c.name as compound_name
    from person p join residence r on r.person_id = p.id and r.moved_out is null
    join territory_node rn on rn.code = r.room_code join territory_node u on u.code = rn.parent_code
    join territory_node b on b.code = u.parent_code join territory_node c on c.code = b.parent_code
    where c.parent_code = $1 and p.mobile is not null and char_length(p.name) = 3
    order by p.id limit 1`, [community]))[0]!;

  beforeAll(async () => {
    t = await createTestContext();
    const tokens = await Promise.all(['admin', `community.${XILING}`, `grid.${XILING}001`, `parttime.${XILING}`].map((u) => t.login(u)));
    [admin, xiling, grid, parttime] = tokens as [string, string, string, string];
    me = await someone(XILING);
    stranger = await someone(FOREIGN);
    // What the compound page shows, created here so the test does not depend on how rich the seed is.
    const residents = await q<{ id: number }>(`select distinct r.person_id::int as id from residence r join territory_node rn on rn.code = r.room_code
      where rn.path <@ (select path from territory_node where code = $1) and r.moved_out is null order by 1 limit 6`, [me.compound_code]);
    const ids = residents.map((r) => r.id);
    await q(`insert into party_member (person_id, member_type) values ($1, 'in_register'), ($2, 'in_service'), ($3, 'in_residence') on conflict do nothing`, ids.slice(0, 3));
    await q(`insert into person_tag (person_id, tag_code) values ($1, 'elderly_alone'), ($2, 'low_income'), ($3, 'mental_disorder') on conflict do nothing`, ids.slice(3, 6));
    await q(`insert into compound_partner (compound_code, kind, name, contact_name, contact_phone) values ($1, 'property_company', '测试物业公司', '王小明', '13912345678')
      on conflict do nothing`, [me.compound_code]);
    await q(`insert into compound_partner_member (partner_id, person_id, role) select id, $2, '项目经理' from compound_partner
      where compound_code = $1 and kind = 'property_company' on conflict do nothing`, [me.compound_code, me.id]);
    await q(`insert into territory_post (territory_code, post, person_id) values ($1, 'building_leader', $2)`, [me.building_code, me.id]);
    const people = await q<{ name: string; id_number: string | null; mobile: string | null }>(`select name, id_number, mobile from person`);
    secrets = [...new Set(people.flatMap((p) => [p.id_number, p.mobile, p.name.length >= 2 ? p.name : null]).filter((s): s is string => Boolean(s)))];
    secrets.push('王小明', '13912345678');
  });
  afterAll(async () => t.close());

  const leaks = (body: string) => secrets.filter((s) => body.includes(s));

  it('counts come from the records and equal a direct SQL count', async () => {
    for (const code of [me.compound_code, XILING, me.building_code]) {
      const res = await t.call(admin, 'GET', `/api/v1/archive/counts/${code}`);
      expect(res.statusCode, res.body).toBe(200);
      const [direct] = await q<Record<string, number>>(`
        with b as (select code, path from territory_node where kind = 'building' and path <@ (select path from territory_node where code = $1)),
        cur as (select r.* from residence r join territory_node rn on rn.code = r.room_code join b on rn.path <@ b.path where r.moved_out is null)
        select (select count(*) from b)::int as buildings,
          (select count(*) from territory_node n join b on n.path <@ b.path where n.kind = 'room')::int as rooms,
          (select count(distinct household_id) from cur)::int as households, (select count(distinct person_id) from cur)::int as residents,
          (select count(distinct person_id) from cur where relation = 'owner')::int as owners,
          (select count(distinct m.person_id) from cur join party_member m using (person_id))::int as members,
          (select count(distinct x.person_id) from cur join person_tag x using (person_id))::int as tagged`, [code]);
      const c = res.json().counts;
      expect({ buildings: c.buildings, rooms: c.rooms, households: c.households, residents: c.residents, owners: c.byRelation.owner,
        members: c.partyMembers.total, tagged: c.tagged }).toEqual(direct);
      expect(c.residents).toBeGreaterThan(0);
    }
    // a grid counts the buildings it serves
    const gridCounts = (await t.call(xiling, 'GET', `/api/v1/archive/counts/${XILING}001`)).json().counts;
    const [g] = await q<{ n: number }>(`select count(*)::int as n from territory_node where kind = 'building' and grid_code = $1`, [`${XILING}001`]);
    expect(gridCounts.buildings).toBe(g!.n);
  });

  it('shows the compound page with buildings, partners, posts and counts, masked; sensitive tags only to unmask holders', async () => {
    const page = (await t.call(xiling, 'GET', `/api/v1/archive/compounds/${me.compound_code}`)).json();
    expect(page).toMatchObject({ code: me.compound_code, name: me.compound_name, communityCode: XILING });
    expect(page.buildings.length).toBeGreaterThan(0);
    expect(page.buildings.reduce((s: number, b: { residents: number }) => s + b.residents, 0)).toBeGreaterThanOrEqual(page.counts.residents);
    expect(page.counts.partyMembers.total).toBeGreaterThanOrEqual(3);
    const partner = page.partners.find((p: { kind: string }) => p.kind === 'property_company');
    expect(partner.kindName).toBe('物业服务企业');
    expect(partner.contactPhone).toMatch(/^1\d{2}\*{4}\d{4}$/);
    expect(partner.members.find((m: { personId: number }) => m.personId === me.id).name).toMatch(/^.\*+$/);
    expect(page.posts.some((p: { post: string; personId: number }) => p.post === 'building_leader' && p.personId === me.id)).toBe(true);
    expect(page.counts.tags.map((x: { code: string }) => x.code)).toContain('mental_disorder'); // community staff hold people:unmask
    const gridView = await t.call(grid, 'GET', `/api/v1/archive/compounds/${me.compound_code}`);
    if (gridView.statusCode === 200) expect(gridView.json().counts.tags.map((x: { code: string }) => x.code)).not.toContain('mental_disorder');
  });

  it('drills down building → room with masked residents', async () => {
    const building = (await t.call(xiling, 'GET', `/api/v1/archive/buildings/${me.building_code}`)).json();
    const rooms = building.units.flatMap((u: { rooms: { code: string }[] }) => u.rooms);
    expect(rooms.map((r: { code: string }) => r.code)).toContain(me.room_code);
    const room = (await t.call(xiling, 'GET', `/api/v1/archive/rooms/${me.room_code}`)).json();
    expect(room.address).toMatch(/^西陵社区 .+ \d+幢\d+单元\d+室$/);
    const resident = room.households.flatMap((h: { residents: unknown[] }) => h.residents).find((r: { personId: number }) => r.personId === me.id);
    expect(resident.idNumber).toBe(`${me.id_number.slice(0, 6)}********${me.id_number.slice(-4)}`);
    expect(resident.name).toBe(`${[...me.name][0]}**`);
  });

  it('masks every archive route and the export: no raw name, ID number or mobile of any person', async () => {
    const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, unknown>> };
    const gets = Object.entries(spec.paths).filter(([path, ops]) => path.startsWith('/api/v1/archive/') && 'get' in ops).map(([path]) => path);
    expect(gets.length).toBeGreaterThanOrEqual(8);
    const value = (path: string, name: string) => name === 'id' ? String(me.id)
      : path.includes('/compounds/') ? me.compound_code : path.includes('/buildings/') ? me.building_code
      : path.includes('/rooms/') ? me.room_code : me.compound_code;
    const urls = gets.flatMap((path) => {
      const url = path.replace(/\{(\w+)\}/g, (_m, n: string) => value(path, n));
      if (path === '/api/v1/archive/persons') {
        return [url, `${url}?limit=200`, `${url}?q=${me.name_initials}`, `${url}?q=${me.id_number.slice(-6)}&reason=${encodeURIComponent('核实居民身份信息')}`, `${url}?q=${me.mobile}`, `${url}?q=${encodeURIComponent(me.name.slice(1))}`];
      }
      if (path === '/api/v1/archive/households') return [url, `${url}?limit=200`];
      return [url];
    });
    await t.call(xiling, 'POST', '/api/v1/archive/visits', { roomCode: me.room_code, note: '走访了解情况' });
    for (const url of urls) {
      for (const token of [admin, xiling]) {
        const res = await t.call(token, 'GET', url);
        expect(res.statusCode, `${url}: ${res.body.slice(0, 200)}`).toBe(200);
        expect(leaks(res.body), url).toEqual([]);
      }
    }
    const file = await t.call(admin, 'GET', `/api/v1/archive/persons?format=xlsx&scopeCode=${XILING}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toMatch(/spreadsheetml/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => { cells.push(String(cell.value ?? '')); }));
    expect(workbook.worksheets[0]!.rowCount).toBeGreaterThan(10);
    const text = cells.join('\n');
    expect(leaks(text)).toEqual([]);
    expect(text).toContain(`${me.id_number.slice(0, 6)}********${me.id_number.slice(-4)}`);
  });

  it('searches by initials, full pinyin, whole ID number, whole mobile, name + last four, name and address — within scope only', async () => {
    const find = async (token: string, query: string) => (await t.call(token, 'GET', `/api/v1/archive/persons?limit=200&q=${encodeURIComponent(query)}`)).json();
    const ids = async (token: string, query: string) => (await find(token, query)).items.map((i: { id: number }) => i.id);
    expect(await ids(xiling, me.name_initials)).toContain(me.id);
    expect(await ids(xiling, me.name_initials.toUpperCase())).toContain(me.id);
    expect(await ids(xiling, me.name_pinyin)).toContain(me.id);
    expect(await ids(xiling, me.id_number)).toContain(me.id);
    expect(await ids(xiling, me.mobile!)).toContain(me.id);
    expect(await ids(xiling, `${me.name} ${me.mobile!.slice(-4)}`)).toContain(me.id);
    // a partial number is an unmasking: with a reason only (the rule itself: search-guard.test.ts)
    const partial = await t.call(xiling, 'GET', `/api/v1/archive/persons?limit=200&q=${me.id_number.slice(-6)}&reason=${encodeURIComponent('核实来电居民身份')}`);
    expect(partial.json().items.map((i: { id: number }) => i.id)).toContain(me.id);
    expect(await ids(xiling, me.name)).toContain(me.id);
    const [addr] = await q<{ b: string; u: string; r: string }>(`select b.name as b, u.name as u, rn.name as r from territory_node rn
      join territory_node u on u.code = rn.parent_code join territory_node b on b.code = u.parent_code where rn.code = $1`, [me.room_code]);
    const [bn, un, rn] = [parseInt(addr!.b, 10), parseInt(addr!.u, 10), parseInt(addr!.r, 10)];
    for (const form of [`${bn}幢${un}单元${rn}`, `${bn}-${un}-${rn}`, `${me.compound_name}${bn}号楼${un}单元${rn}室`]) {
      const found = await find(xiling, form);
      expect(found.items.map((i: { id: number }) => i.id), form).toContain(me.id);
      if (form.startsWith(me.compound_name)) expect(found.items.every((i: { compoundName: string }) => i.compoundName === me.compound_name)).toBe(true);
    }
    const item = (await find(xiling, me.id_number)).items.find((i: { id: number }) => i.id === me.id);
    expect(item.address).toMatch(/^\S+ \d+幢\d+单元 \*\*\*室$/);
    expect(item.communityCode).toBe(XILING);
    // another community's resident is never found, by any key
    for (const key of [stranger.id_number, stranger.mobile!, stranger.name, stranger.name_pinyin]) {
      expect(await ids(xiling, key), key).not.toContain(stranger.id);
    }
    expect(await ids(admin, stranger.id_number)).toContain(stranger.id);
    const short = await t.call(xiling, 'GET', '/api/v1/archive/persons?q=123');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.field).toBe('q');
  });

  it('filters by tag, member type and relation', async () => {
    const members = (await t.call(xiling, 'GET', `/api/v1/archive/persons?memberType=in_register&scopeCode=${me.compound_code}`)).json().items;
    expect(members.length).toBeGreaterThan(0);
    expect(members.every((m: { partyMemberType: string }) => m.partyMemberType === 'in_register')).toBe(true);
    const tagged = (await t.call(xiling, 'GET', '/api/v1/archive/persons?tag=elderly_alone')).json().items;
    expect(tagged.length).toBeGreaterThan(0);
    const owners = (await t.call(xiling, 'GET', '/api/v1/archive/persons?relation=owner&limit=50')).json().items;
    expect(owners.every((o: { relation: string }) => o.relation === 'owner')).toBe(true);
    expect((await t.call(grid, 'GET', '/api/v1/archive/persons?tag=mental_disorder')).json().error.field).toBe('tag');
  });

  describe('unmasking', () => {
    const body = { reason: '核实低保申请材料', fields: ['name', 'idNumber', 'mobile', 'address'] };
    const unmaskAudits = async () => (await q<{ n: number }>(`select count(*)::int as n from audit_log where action = 'person.unmask'`))[0]!.n;

    it('is refused without the permission, without a reason, or out of scope, and reveals nothing', async () => {
      const before = await unmaskAudits();
      const refusals: [string, unknown, number, string, string][] = [
        [grid, body, 403, 'FORBIDDEN', String(me.id)],
        [parttime, body, 403, 'FORBIDDEN', String(me.id)],
        [xiling, { fields: ['name'] }, 400, 'VALIDATION', String(me.id)],
        [xiling, { reason: '   ', fields: ['name'] }, 400, 'VALIDATION', String(me.id)],
        [xiling, { reason: '看看', fields: ['name'] }, 400, 'VALIDATION', String(me.id)],
        [xiling, body, 404, 'NOT_FOUND', String(stranger.id)],
      ];
      for (const [token, b, status, code, id] of refusals) {
        const res = await t.call(token, 'POST', `/api/v1/archive/persons/${id}/unmask`, b);
        expect(res.statusCode, res.body).toBe(status);
        expect(res.json().error.code).toBe(code);
        if (code === 'VALIDATION') expect(res.json().error.field).toBe('reason');
        expect(leaks(res.body)).toEqual([]);
      }
      expect(await unmaskAudits()).toBe(before);
    });

    it('reveals the fields asked for, audited with who, whose, which fields and why; listed for the admin', async () => {
      const res = await t.call(xiling, 'POST', `/api/v1/archive/persons/${me.id}/unmask`, body);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ id: me.id, name: me.name, idNumber: me.id_number, mobile: me.mobile });
      expect(res.json().address).toMatch(new RegExp(`^西陵社区 ${me.compound_name} \\d+幢\\d+单元\\d+室`));
      const only = (await t.call(xiling, 'POST', `/api/v1/archive/persons/${me.id}/unmask`, { reason: '电话回访居民', fields: ['mobile'] })).json();
      expect(only).toEqual({ id: me.id, mobile: me.mobile });
      const audit = (await t.call(admin, 'GET', '/api/v1/audit?action=unmask')).json().items;
      expect(audit[0]).toMatchObject({ action: 'person.unmask', actorUsername: `community.${XILING}`, targetType: 'person', targetId: String(me.id),
        summary: { personId: me.id, fields: ['mobile'], reason: '电话回访居民' } });
      expect(audit[1].summary).toEqual({ personId: me.id, fields: body.fields, reason: body.reason });
      expect((await t.call(xiling, 'GET', '/api/v1/audit?action=unmask')).statusCode).toBe(403);
    });

    it('is rate-limited per user per hour', async () => {
      t.config.unmaskPerHour = 4; // the app reads this same config object
      const street = await t.login('street.330108001');
      const statuses: number[] = [];
      let last = '';
      for (let i = 0; i < 6; i++) {
        const res = await t.call(street, 'POST', `/api/v1/archive/persons/${me.id}/unmask`, { reason: '核实走访信息', fields: ['idNumber'] });
        statuses.push(res.statusCode);
        last = res.body;
      }
      expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
      expect(JSON.parse(last).error.code).toBe('RATE_LIMITED');
      expect(last).not.toContain(me.id_number);
      t.config.unmaskPerHour = 30;
    });
  });

  it('refuses another community\'s compound, building, room, person and visits with 404', async () => {
    for (const url of [`/api/v1/archive/compounds/${stranger.compound_code}`, `/api/v1/archive/buildings/${stranger.building_code}`,
      `/api/v1/archive/rooms/${stranger.room_code}`, `/api/v1/archive/rooms/${stranger.room_code}/visits`, `/api/v1/archive/persons/${stranger.id}`,
      `/api/v1/archive/counts/${FOREIGN}`, `/api/v1/archive/persons?scopeCode=${FOREIGN}`]) {
      const res = await t.call(xiling, 'GET', url);
      expect(res.statusCode, url).toBe(404);
    }
    const visit = await t.call(xiling, 'POST', '/api/v1/archive/visits', { roomCode: stranger.room_code, note: '越权走访' });
    expect(visit.statusCode).toBe(404);
  });

  it('lets a grid worker find households of their grid and log a visit', async () => {
    const list = (await t.call(grid, 'GET', '/api/v1/archive/households?limit=200')).json();
    expect(list.items.length).toBeGreaterThan(0);
    const [inGrid] = await q<{ n: number }>(`select count(*)::int as n from household h join territory_node rn on rn.code = h.room_code
      join territory_node u on u.code = rn.parent_code join territory_node b on b.code = u.parent_code
      where b.grid_code = $1 or b.micro_grid_code like $1 || '%' or b.path <@ (select path from territory_node where code = $1)`, [`${XILING}001`]);
    expect(list.items.length).toBe(Math.min(200, inGrid!.n));
    const h = list.items[0];
    expect(h.label).toMatch(/\d+幢\d+单元\d+$/);
    const res = await t.call(grid, 'POST', '/api/v1/archive/visits', { roomCode: h.roomCode, householdId: h.id, note: '上门走访，老人身体良好' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ roomCode: h.roomCode, householdId: h.id, kind: 'visit' });
    const visits = (await t.call(grid, 'GET', `/api/v1/archive/rooms/${h.roomCode}/visits`)).json().items;
    expect(visits[0].note).toBe('上门走访，老人身体良好');
    const again = (await t.call(grid, 'GET', '/api/v1/archive/households?limit=200')).json().items.find((x: { id: number }) => x.id === h.id);
    expect(again.lastVisitAt).not.toBeNull();
    const tags = (await t.call(grid, 'GET', '/api/v1/archive/tags')).json().items;
    expect(tags.some((x: { sensitive: boolean }) => x.sensitive)).toBe(false);
    expect((await t.call(xiling, 'GET', '/api/v1/archive/tags')).json().items.length).toBeGreaterThanOrEqual(14);
  });
});
