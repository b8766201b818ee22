import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const XILING = '330108001001';
const FOREIGN = '330108002001';

describe('forces register (力量图谱), teams, resources and party–mass contact 1:8', () => {
  let t: TestContext;
  let xiling: string;
  let foreign: string;
  let member: string;
  let volunteerId: number;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const count = async (table: string) => (await q<{ n: number }>(`select count(*)::int as n from ${table}`))[0]!.n;

  /** A resident of a community who is not yet in the register. */
  const resident = async (community: string, offset = 0) => (await q<{ id: number; name: string; room_code: string }>(`
    select p.id::int as id, p.name, r.room_code from person p join residence r on r.person_id = p.id and r.moved_out is null
    join territory_node rn on rn.code = r.room_code join territory_node c on c.code = $1
    where rn.path <@ c.path and not exists (select 1 from force_person f where f.person_id = p.id) and char_length(p.name) >= 2
    order by p.id offset $2 limit 1`, [community, offset]))[0]!;

  /** In-service members in a community's register (factory), each living in a room of it. */
  const buildForces = async (community: string, n: number) => {
    const ids: number[] = [];
    for (let i = 0; i < n; i += 1) {
      const p = await resident(community, i);
      const [f] = await q<{ id: number }>(`insert into force_person (person_id, kind, community_code, community_path, home_code, home_location)
        select $1, 'in_service_member', c.code, c.path, $2, (select b.location from territory_node b join territory_node h on h.code = $2
          where b.kind = 'building' and b.path @> h.path)
        from territory_node c where c.code = $3 returning id::int as id`, [p.id, p.room_code, community]);
      ids.push(f!.id);
    }
    return ids;
  };

  /** Households of a community without an active contact. */
  const freeHouseholds = async (community: string, n: number) => (await q<{ id: number }>(`
    select h.id::int as id from household h join territory_node rn on rn.code = h.room_code join territory_node c on c.code = $1
    where rn.path <@ c.path and not exists (select 1 from party_mass_contact pc where pc.household_id = h.id and pc.until is null)
    order by h.id limit $2`, [community, n])).map((r) => r.id);

  beforeAll(async () => {
    t = await createTestContext();
    [xiling, foreign, member] = (await Promise.all([`community.${XILING}`, `community.${FOREIGN}`, 'member.demo'].map((u) => t.login(u)))) as [string, string, string];
  });
  afterAll(async () => t.close());

  it('serves the skill and post-kind dictionaries', async () => {
    const skills = (await t.call(member, 'GET', '/api/v1/forces/skills')).json();
    expect(skills.items).toHaveLength(22);
    expect(skills.items[0]).toEqual({ code: 'legal', name: '法律咨询', category: 'professional' });
    const kinds = (await t.call(member, 'GET', '/api/v1/forces/post-kinds')).json();
    expect(kinds.items.map((k: { name: string }) => k.name)).toContain('法律援助岗');
    expect(kinds.items).toHaveLength(8);
  });

  it('puts an archive person into the register where they live, masked; refuses duplicates, strangers and unknown skills', async () => {
    const p = await resident(XILING);
    const before = { forces: await count('force_person'), audits: await count('audit_log') };
    const badSkill = await t.call(xiling, 'POST', '/api/v1/forces/persons', { personId: p.id, kind: 'volunteer', skills: ['juggling'] });
    expect(badSkill.statusCode).toBe(400);
    expect(badSkill.json().error.field).toBe('skills');
    const stranger = await resident(FOREIGN);
    const out = await t.call(xiling, 'POST', '/api/v1/forces/persons', { personId: stranger.id, kind: 'volunteer' });
    expect(out.statusCode).toBe(404);
    expect({ forces: await count('force_person'), audits: await count('audit_log') }).toEqual(before);
    expect((await t.call(member, 'POST', '/api/v1/forces/persons', { personId: p.id, kind: 'volunteer' })).statusCode).toBe(403);

    const res = await t.call(xiling, 'POST', '/api/v1/forces/persons', { personId: p.id, kind: 'volunteer', skills: ['plumbing', 'appliance'],
      availability: { days: [6, 7], periods: ['morning'] } });
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    volunteerId = f.id;
    expect(f).toMatchObject({ personId: p.id, kind: 'volunteer', communityCode: XILING, communityName: '西陵社区', homeCode: p.room_code.replace(/R[0-9]{4}$/, ''),
      skills: ['plumbing', 'appliance'], status: 'active', contacts: 0 });
    expect(JSON.stringify(f)).not.toContain(p.room_code); // a person-centric view names the unit, never the door
    expect(f.name).not.toBe(p.name);
    expect(f.name.startsWith([...p.name][0]!)).toBe(true);
    expect(f.homeAddress).toMatch(/\*\*\*室$/);
    const [loc] = await q<{ lng: number; lat: number }>(`select ST_X(b.location) as lng, ST_Y(b.location) as lat from territory_node b
      join territory_node h on h.code = $1 where b.kind = 'building' and b.path @> h.path`, [p.room_code]);
    expect(f.home).toEqual(loc);
    expect(await q(`select 1 from audit_log where action = 'force.create' and target_id = $1`, [String(f.id)])).toHaveLength(1);
    const dup = await t.call(xiling, 'POST', '/api/v1/forces/persons', { personId: p.id, kind: 'craftsman' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('CONFLICT');
  });

  it('lists the register with filters and cursor pages, exports it masked, and keeps other communities out', async () => {
    const [p] = await q<{ name: string }>(`select p.name from force_person f join person p on p.id = f.person_id where f.id = $1`, [volunteerId]);
    const byKind = (await t.call(xiling, 'GET', `/api/v1/forces/persons?communityCode=${XILING}&kind=volunteer&skill=plumbing`)).json();
    expect(byKind.items.map((i: { id: number }) => i.id)).toContain(volunteerId);
    expect(byKind.items.every((i: { kind: string; skills: string[] }) => i.kind === 'volunteer' && i.skills.includes('plumbing'))).toBe(true);
    const byName = (await t.call(xiling, 'GET', `/api/v1/forces/persons?q=${encodeURIComponent(p!.name)}`)).json();
    expect(byName.items.map((i: { id: number }) => i.id)).toContain(volunteerId);
    expect(JSON.stringify(byName)).not.toContain(p!.name);

    const summary = (await t.call(xiling, 'GET', `/api/v1/forces/summary?communityCode=${XILING}`)).json();
    const [byKindDirect] = await q<{ total: number; volunteers: number }>(`select count(*)::int as total,
      count(*) filter (where kind = 'volunteer')::int as volunteers from force_person where community_code = $1`, [XILING]);
    expect(summary.total).toBe(byKindDirect!.total);
    expect(summary.byKind.volunteer).toBe(byKindDirect!.volunteers);
    // cursor pages cover the community's register exactly once
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call(xiling, 'GET', `/api/v1/forces/persons?limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.items.map((i: { id: number }) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    const [direct] = await q<{ n: number }>(`select count(*)::int as n from force_person where community_path <@ '330108.330108001.${XILING}'`);
    expect(new Set(seen).size).toBe(direct!.n);
    expect(seen.length).toBe(direct!.n);

    const file = await t.call(xiling, 'GET', `/api/v1/forces/persons?format=xlsx&kind=volunteer`);
    expect(file.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const values: unknown[][] = [];
    book.worksheets[0]!.eachRow((r) => values.push((r.values as unknown[]).slice(1)));
    expect(values[0]).toEqual(expect.arrayContaining(['姓名', '手机号', '类别', '技能']));
    expect(values.some((r) => r[3] === '志愿者' && String(r[7]).includes('水电维修'))).toBe(true);
    expect(JSON.stringify(values)).not.toContain(p!.name);

    // another community's staff: nothing of 西陵
    expect((await t.call(foreign, 'GET', `/api/v1/forces/persons/${volunteerId}`)).statusCode).toBe(404);
    expect((await t.call(foreign, 'GET', `/api/v1/forces/persons?communityCode=${XILING}`)).statusCode).toBe(404);
    const theirs = (await t.call(foreign, 'GET', '/api/v1/forces/persons?limit=200')).json();
    expect(theirs.items.every((i: { communityCode: string }) => i.communityCode === FOREIGN)).toBe(true);
    expect((await t.call(foreign, 'PATCH', `/api/v1/forces/persons/${volunteerId}`, { status: 'paused' })).statusCode).toBe(404);
  });

  it('updates skills, availability and status, audited', async () => {
    const res = await t.call(xiling, 'PATCH', `/api/v1/forces/persons/${volunteerId}`, { skills: ['it'], status: 'paused', availability: { days: [1] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ skills: ['it'], status: 'paused', availability: { days: [1] } });
    expect((await t.call(xiling, 'PATCH', `/api/v1/forces/persons/${volunteerId}`, { skills: ['nope'] })).json().error.field).toBe('skills');
    expect((await t.call(xiling, 'GET', `/api/v1/forces/persons/${volunteerId}`)).json().skills).toEqual(['it']);
    await t.call(xiling, 'PATCH', `/api/v1/forces/persons/${volunteerId}`, { status: 'active' });
    expect(await q(`select 1 from audit_log where action = 'force.update' and target_id = $1`, [String(volunteerId)])).toHaveLength(2);
  });

  it('keeps resources per community', async () => {
    const created = await t.call(xiling, 'POST', '/api/v1/forces/resources', { communityCode: XILING, kind: 'venue', name: '西陵社区议事厅',
      description: '可容纳 40 人', providerOrg: 'U0001', quantity: 1, unit: '间', location: { lng: 120.147, lat: 30.156 } });
    expect(created.statusCode, created.body).toBe(201);
    const r = created.json();
    expect(r).toMatchObject({ kind: 'venue', providerOrgName: '杭州市滨江区西陵实验学校党委', status: 'available', location: { lng: 120.147, lat: 30.156 } });
    expect((await t.call(xiling, 'POST', '/api/v1/forces/resources', { communityCode: XILING, kind: 'funds', name: 'x', providerOrg: 'NOPE' })).json().error.field).toBe('providerOrg');
    expect((await t.call(foreign, 'POST', '/api/v1/forces/resources', { communityCode: XILING, kind: 'funds', name: '越权' })).statusCode).toBe(404);
    const list = (await t.call(xiling, 'GET', `/api/v1/forces/resources?communityCode=${XILING}&kind=venue`)).json();
    expect(list.items.map((i: { id: number }) => i.id)).toContain(r.id);
    expect((await t.call(foreign, 'GET', '/api/v1/forces/resources')).json().items.map((i: { id: number }) => i.id)).not.toContain(r.id);
    expect((await t.call(xiling, 'PATCH', `/api/v1/forces/resources/${r.id}`, { status: 'in_use', quantity: 2 })).json()).toMatchObject({ status: 'in_use', quantity: 2 });
    expect((await t.call(foreign, 'DELETE', `/api/v1/forces/resources/${r.id}`)).statusCode).toBe(404);
    expect((await t.call(xiling, 'DELETE', `/api/v1/forces/resources/${r.id}`)).statusCode).toBe(204);
    expect((await t.call(xiling, 'GET', `/api/v1/forces/resources/${r.id}`)).json().status).toBe('withdrawn');
  });

  it('organises teams with members and one leader', async () => {
    const [a, b] = await buildForces(XILING, 2);
    const [stranger] = await buildForces(FOREIGN, 1);
    const team = (await t.call(xiling, 'POST', '/api/v1/forces/teams', { communityCode: XILING, kind: 'volunteer', name: '西陵红马甲志愿服务队' })).json();
    expect(team).toMatchObject({ members: 0, leaderId: null });
    const dup = await t.call(xiling, 'POST', '/api/v1/forces/teams', { communityCode: XILING, kind: 'club', name: '西陵红马甲志愿服务队' });
    expect(dup.statusCode).toBe(409);
    await t.call(xiling, 'POST', `/api/v1/forces/teams/${team.id}/members`, { forceId: a });
    let detail = (await t.call(xiling, 'POST', `/api/v1/forces/teams/${team.id}/members`, { forceId: b, role: 'leader' })).json();
    expect(detail).toMatchObject({ members: 2, leaderId: b });
    detail = (await t.call(xiling, 'POST', `/api/v1/forces/teams/${team.id}/members`, { forceId: a, role: 'leader' })).json();
    expect(detail.leaderId).toBe(a);
    expect(detail.memberList.filter((m: { role: string }) => m.role === 'leader').map((m: { forceId: number }) => m.forceId)).toEqual([a]);
    expect(detail.memberList.every((m: { name: string }) => m.name.includes('*'))).toBe(true);
    const cross = await t.call(xiling, 'POST', `/api/v1/forces/teams/${team.id}/members`, { forceId: stranger });
    expect(cross.json().error.field).toBe('forceId');
    detail = (await t.call(xiling, 'DELETE', `/api/v1/forces/teams/${team.id}/members/${a}`)).json();
    expect(detail).toMatchObject({ members: 1, leaderId: null });
    expect((await t.call(foreign, 'GET', `/api/v1/forces/teams/${team.id}`)).statusCode).toBe(404);
    expect((await t.call(xiling, 'GET', `/api/v1/forces/teams?communityCode=${XILING}`)).json().items.map((i: { id: number }) => i.id)).toContain(team.id);
    expect((await t.call(xiling, 'PATCH', `/api/v1/forces/teams/${team.id}`, { name: '西陵红马甲' })).json().name).toBe('西陵红马甲');
  });

  it('holds 1:8: eight households per member, a ninth is FULL, a household has one contact', async () => {
    const [m, other] = await buildForces(XILING, 2);
    const households = await freeHouseholds(XILING, 10);
    expect(households).toHaveLength(10);
    for (const [i, h] of households.slice(0, 8).entries()) {
      const res = await t.call(xiling, 'POST', '/api/v1/forces/contacts', { forceId: m, householdId: h });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().slot).toBe(i + 1);
    }
    const before = await count('party_mass_contact');
    const ninth = await t.call(xiling, 'POST', '/api/v1/forces/contacts', { forceId: m, householdId: households[8] });
    expect(ninth.statusCode).toBe(409);
    expect(ninth.json().error.code).toBe('FULL');
    expect(await count('party_mass_contact')).toBe(before);
    const taken = await t.call(xiling, 'POST', '/api/v1/forces/contacts', { forceId: other, householdId: households[0] });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('CONFLICT');
    const mine = (await t.call(xiling, 'GET', `/api/v1/forces/persons/${m}/contacts`)).json();
    expect(mine.items).toHaveLength(8);
    expect(mine.items.every((c: { label: string }) => c.label.endsWith('***室'))).toBe(true);
    expect((await q<{ n: number }>(`select count(*)::int as n from party_mass_contact where force_id = $1 and until is null`, [m]))[0]!.n).toBe(8);
    // another community's staff cannot assign or end
    expect((await t.call(foreign, 'POST', '/api/v1/forces/contacts', { forceId: other, householdId: households[9] })).statusCode).toBe(404);
    expect((await t.call(foreign, 'POST', `/api/v1/forces/contacts/${mine.items[0].id}/end`)).statusCode).toBe(404);
    // ending one frees its slot for the ninth
    const ended = await t.call(xiling, 'POST', `/api/v1/forces/contacts/${mine.items[2].id}/end`);
    expect(ended.statusCode).toBe(200);
    expect((await t.call(xiling, 'POST', `/api/v1/forces/contacts/${mine.items[2].id}/end`)).json().error.code).toBe('INVALID_TRANSITION');
    const again = await t.call(xiling, 'POST', '/api/v1/forces/contacts', { forceId: m, householdId: households[8] });
    expect(again.statusCode).toBe(201);
    expect(again.json().slot).toBe(3);
    // parallel assignments to one member never exceed eight
    const [p] = await buildForces(XILING, 1);
    const more = await freeHouseholds(XILING, 12);
    const answers = await Promise.all(more.map((h) => t.call(xiling, 'POST', '/api/v1/forces/contacts', { forceId: p, householdId: h })));
    expect(answers.filter((r) => r.statusCode === 201)).toHaveLength(Math.min(8, more.length));
    expect((await q<{ n: number }>(`select count(*)::int as n from party_mass_contact where force_id = $1 and until is null`, [p]))[0]!.n).toBe(Math.min(8, more.length));
  });

  it('auto-assigns a community\'s households to its members, nearest first, at most eight each, in one go', async () => {
    const admin = await t.login('admin');
    const members = await buildForces(FOREIGN, 3);
    const summaryBefore = (await t.call(admin, 'GET', `/api/v1/forces/contacts/summary?communityCode=${FOREIGN}`)).json();
    const res = await t.call(admin, 'POST', '/api/v1/forces/contacts/auto-assign', { communityCode: FOREIGN });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.assigned).toBe(Math.min(summaryBefore.households - summaryBefore.covered, summaryBefore.freeSlots));
    const perMember = await q<{ force_id: number; n: number }>(`select force_id::int as force_id, count(*)::int as n from party_mass_contact
      where until is null and force_id = any($1) group by 1`, [members]);
    expect(perMember.every((m) => m.n <= 8)).toBe(true);
    const summary = (await t.call(admin, 'GET', `/api/v1/forces/contacts/summary?communityCode=${FOREIGN}`)).json();
    expect(summary.covered).toBe(summaryBefore.covered + r.assigned);
    expect(summary.covered + r.unassigned).toBe(summary.households);
    // nearest first: a full member has no unassigned household nearer than the ones it got (greedy over nearest pairs)
    const [check] = await q<{ worse: number }>(`
      with hh as (select h.id, ST_X(b.location) as x, ST_Y(b.location) as y from household h join territory_node rn on rn.code = h.room_code
        join territory_node b on b.kind = 'building' and b.path @> rn.path join territory_node c on c.code = $2 where rn.path <@ c.path),
      m as (select id, ST_X(home_location) as x, ST_Y(home_location) as y from force_person where id = any($1)),
      d as (select m.id as force_id, hh.id as household_id, power((m.x - hh.x) * cos(radians(m.y)), 2) + power(m.y - hh.y, 2) as d from m cross join hh),
      mine as (select d.* from d join party_mass_contact c on c.force_id = d.force_id and c.household_id = d.household_id and c.until is null),
      free as (select d.* from d where not exists (select 1 from party_mass_contact c where c.household_id = d.household_id and c.until is null))
      select count(*)::int as worse from free join (select force_id, max(d) as dmax from mine group by force_id) x on x.force_id = free.force_id
      where free.d < x.dmax - 1e-12`, [members, FOREIGN]);
    expect(check!.worse).toBe(0);
    // another community's staff cannot run it here
    expect((await t.call(xiling, 'POST', '/api/v1/forces/contacts/auto-assign', { communityCode: FOREIGN })).statusCode).toBe(404);
    // running again gives nothing more to full members
    const again = (await t.call(admin, 'POST', '/api/v1/forces/contacts/auto-assign', { communityCode: FOREIGN })).json();
    expect(again.assigned).toBe(Math.max(0, Math.min(summary.households - summary.covered, summary.freeSlots)));
  });
});
