/** The generator against a real in-memory PGlite at scale 'test'. */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../platform/auth/password.js';
import { openDatabase, type Database } from '../platform/db/index.js';
import { migrate } from '../platform/db/migrate.js';
import { isValidIdNumber } from '../platform/idcard.js';
import { buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { addWorkdays, beijingDate, calendarWith } from '../platform/workdays.js';
import { seedCaseHistory } from './cases.js';
import { DEFAULT_SEED, DEMO_PASSWORD, demoAccounts, REFERENCE_DATE, seedDatabase, type SeedSummary } from './index.js';

const SERVICE_TABLES = ['member_negative_item', 'service_rating', 'service_record', 'task_claim', 'service_task', 'mobilisation_call', 'service_order_event',
  'service_order', 'project_spending', 'project_pledge', 'coop_project_unit', 'coop_project', 'community_need', 'party_mass_contact', 'service_post_holder',
  'service_post', 'force_resource', 'force_team_member', 'force_team', 'member_registration', 'force_person'];

let database: Database;
let summary: SeedSummary;
let passwordHash: string;

const q = <R = Record<string, unknown>>(text: string, params?: unknown[]) => database.query<R>(text, params);
const one = async <R>(text: string, params?: unknown[]) => (await q<R>(text, params))[0]!;

/** A digest of every seeded row in a stable order (timestamps, generated user ids and the salted hash left out). */
async function digest(): Promise<Record<string, string>> {
  const tables: Record<string, string> = {
    territory: `select code, parent_code, kind, name, name_pinyin, name_initials, stat_code, path::text, ST_AsEWKT(boundary),
      ST_AsEWKT(location), grid_code, micro_grid_code, sort_order, attrs::text from territory_node order by code`,
    party_org: `select code, parent_code, kind, name, name_pinyin, name_initials, path::text, territory_code, unit_name, secretary_name,
      attrs::text from party_org order by code`,
    alliance: 'select * from party_org_alliance_member order by alliance_code, member_code',
    person: 'select id, name, name_pinyin, name_initials, gender, birth_date, id_number, mobile from person order by id',
    household: 'select id, room_code, head_person_id, kind, registry_no, source from household order by id',
    residence: 'select * from residence order by id',
    users: `select u.username, u.display_name, u.scope_kind, u.scope_codes, u.org_code, u.person_id, u.status, u.must_change_password,
      array_agg(r.role_code order by r.role_code) from app_user u join app_user_role r on r.user_id = u.id group by u.id order by u.username`,
    party_member: 'select person_id, member_type, org_code, work_unit, joined_on, source from party_member order by person_id',
    person_tag: 'select person_id, tag_code, since, note, source from person_tag order by person_id, tag_code',
    partner: 'select * from compound_partner order by id',
    partner_member: 'select * from compound_partner_member order by partner_id, person_id',
    post: `select p.id, p.territory_code, p.post, p.person_id, u.username, p.since, p.until from territory_post p
      left join app_user u on u.id = p.user_id order by p.id`,
    visit: `select v.id, v.room_code, v.household_id, u.username, v.kind, v.note, v.visited_at from visit v
      join app_user u on u.id = v.visitor_user_id order by v.id`,
    // the service part, without the timestamps of the live rows (seeding time) and generated user ids
    force_person: `select f.id, f.person_id, u.username, f.kind, f.community_code, f.community_path::text, f.home_code, ST_AsEWKT(f.home_location),
      f.micro_grid_code, f.skills, f.availability::text, f.status, f.open_load from force_person f left join app_user u on u.id = f.user_id order by f.id`,
    registration: `select r.id, r.person_id, u.username, r.community_code, r.home_code, r.unit_org_code, r.work_unit, r.mobile, r.skills, r.wishes,
      r.availability::text, r.status, r.branch_code, r.micro_grid_code, r.force_id, r.channel from member_registration r left join app_user u on u.id = r.user_id order by r.id`,
    teams: `select t.id, t.community_code, t.kind, t.name, t.leader_id, array_agg(m.force_id || ':' || m.role order by m.force_id) from force_team t
      join force_team_member m on m.team_id = t.id group by t.id order by t.id`,
    resources: 'select community_code, kind, name, provider_org, quantity, ST_AsEWKT(location), status from force_resource order by id',
    posts: `select p.id, p.community_code, p.kind_code, p.capacity, p.taken, array_agg(h.force_id order by h.force_id) from service_post p
      left join service_post_holder h on h.post_id = p.id group by p.id order by p.id`,
    contacts: 'select force_id, household_id, slot, since from party_mass_contact order by id',
    lists: `select p.id, p.community_code, p.need_id, p.title, p.kind, p.status, p.target_amount, p.pledged_amount, p.spent_amount, n.title as need
      from coop_project p left join community_need n on n.id = p.need_id order by p.id`,
    orders: `select o.id, o.community_code, o.resident_person_id, o.title, o.skill_code, o.state, o.assignee_force_id, o.dispatch_count, o.hours,
      array_agg(e.action || ':' || e.to_state order by e.id) from service_order o join service_order_event e on e.order_id = o.id
      group by o.id order by o.id`,
    tasks: `select t.id, t.title, t.scope_code, t.capacity, t.claimed, t.status, array_agg(c.force_id || ':' || c.status order by c.id) from service_task t
      left join task_claim c on c.task_id = t.id group by t.id order by t.id`,
    records: `select r.id, r.force_id, r.source, r.order_id, r.claim_id, r.post_id, r.served_on, r.hours, r.status, r.confirmed_as,
      array_agg(g.rater_kind || ':' || g.score order by g.rater_kind) from service_record r left join service_rating g on g.record_id = r.id group by r.id order by r.id`,
    negatives: 'select force_id, reason, expires_on from member_negative_item order by id',
    departments: 'select code, name, short_name, kind, territory_code, duty, sort_order, active from department order by code',
    api_keys: 'select key_hash, kind, name, jurisdiction_code, revoked_at from case_api_key order by key_hash',
    department_users: 'select username, department_code from app_user where department_code is not null order by username',
  };
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(tables)) {
    const row = await one<{ h: string; n: number }>(`select md5(coalesce(string_agg(t::text, E'\\n'), '')) as h, count(*)::int as n from (${sql}) t`);
    out[name] = `${row.n}:${row.h}`;
  }
  return out;
}

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  await migrate(database);
  passwordHash = await hashPassword(DEMO_PASSWORD);
  const started = performance.now();
  summary = await seedDatabase(database, { scale: 'test', passwordHash });
  const ms = performance.now() - started;
  // About 1.5 s on an idle machine; the guard only catches the test scale growing by an order of magnitude.
  expect(ms).toBeLessThan(20_000);
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe('seed (scale test)', () => {
  it('loads the real Binjiang tree and a few hundred residents', async () => {
    expect(summary.territory.district).toBe(1);
    expect(summary.territory.street).toBe(3);
    expect(summary.territory.community).toBe(67);
    expect(summary.territory.grid).toBe(134);
    expect(summary.territory.micro_grid).toBe(268);
    expect(summary.persons).toBeGreaterThan(200);
    expect(summary.persons - summary.service.newPersons).toBeLessThan(1500); // plus the contract members' persons (service part)
    const counts = await q<{ kind: string; n: number }>('select kind, count(*)::int as n from territory_node group by kind');
    for (const { kind, n } of counts) expect(summary.territory[kind as keyof SeedSummary['territory']]).toBe(n);
    const xiling = await one<{ name: string; stat_code: string; path: string; name_pinyin: string; name_initials: string }>(
      `select name, stat_code, path::text, name_pinyin, name_initials from territory_node where code = '330108001001'`);
    expect(xiling).toEqual({ name: '西陵社区', stat_code: '330108001001', path: '330108.330108001.330108001001', name_pinyin: 'xilingshequ', name_initials: 'xlsq' });
    const physical = await q<{ c: string }>(`select distinct left(code, 12) as c from territory_node where kind = 'compound' order by 1`);
    expect(physical.map((r) => r.c)).toEqual(['330108001001', '330108001002', '330108002001']);
  });

  it('follows the code conventions', async () => {
    const bad = await q(`select code, kind from territory_node where not (
         (kind = 'district' and code ~ '^[0-9]{6}$' and stat_code = code || '000000')
      or (kind = 'street' and code ~ '^[0-9]{9}$' and stat_code = code || '000')
      or (kind = 'community' and code ~ '^[0-9]{12}$' and stat_code = code)
      or (kind = 'grid' and code ~ '^[0-9]{15}$' and left(code, 12) = parent_code)
      or (kind = 'micro_grid' and code ~ '^[0-9]{18}$' and left(code, 15) = parent_code)
      or (kind = 'compound' and code ~ '^[0-9]{12}C[0-9]{3}$' and grid_code like parent_code || '%')
      or (kind = 'building' and code ~ '^[0-9]{12}C[0-9]{3}B[0-9]{3}$' and micro_grid_code like grid_code || '%')
      or (kind = 'unit' and code ~ 'B[0-9]{3}U[0-9]{2}$')
      or (kind = 'room' and code ~ 'U[0-9]{2}R[0-9]{4}$'))`);
    expect(bad).toEqual([]);
    const paths = await one<{ n: number }>(`select count(*)::int as n from territory_node c left join territory_node p on p.code = c.parent_code
      where c.path::text <> coalesce(p.path::text || '.', '') || c.code`);
    expect(paths.n).toBe(0);
    const buildings = await one<{ n: number }>(`select count(*)::int as n from territory_node b join territory_node c on c.code = b.parent_code
      where b.kind = 'building' and (b.grid_code is distinct from c.grid_code or b.micro_grid_code is null)`);
    expect(buildings.n).toBe(0);
  });

  it('has valid, unique ID numbers that agree with gender and birth date, and well-formed mobiles', async () => {
    const people = await q<{ id_number: string; gender: string; birth_date: string; mobile: string | null; name: string; name_pinyin: string; name_initials: string }>(
      'select id_number, gender, birth_date, mobile, name, name_pinyin, name_initials from person');
    expect(people.length).toBe(summary.persons);
    expect(new Set(people.map((p) => p.id_number)).size).toBe(people.length);
    for (const p of people) {
      expect(isValidIdNumber(p.id_number, '2026-11-01'), p.id_number).toBe(true);
      expect(Number(p.id_number[16]) % 2 === 1 ? 'M' : 'F').toBe(p.gender);
      expect(p.id_number.slice(6, 14)).toBe(p.birth_date.replace(/-/g, ''));
      if (p.mobile !== null) expect(p.mobile).toMatch(/^1(3[0-9]|5[0-35-9]|7[03678]|8[0-9]|9[135-9])[0-9]{8}$/);
      expect(p.name).toMatch(/^[\u4e00-\u9fff]{2,4}$/);
      expect(p.name_pinyin).toMatch(/^[a-z]+$/);
      expect(p.name_initials).toMatch(/^[a-z]+$/);
      expect(p.name_initials.length).toBe(Array.from(p.name).length);
    }
    const local = people.filter((p) => p.id_number.startsWith('3301')).length;
    expect(local / people.length).toBeGreaterThan(0.4);
    expect(people.filter((p) => p.mobile === null).length).toBeGreaterThan(0); // children have none
  });

  it('records households and dated residences', async () => {
    const rel = await q<{ relation: string }>('select distinct relation from residence');
    expect(rel.map((r) => r.relation)).toEqual(expect.arrayContaining(['owner', 'family', 'tenant', 'floating']));
    const heads = await one<{ n: number }>(`select count(*)::int as n from household h where not exists (
      select 1 from residence r where r.household_id = h.id and r.person_id = h.head_person_id and r.room_code = h.room_code and r.moved_out is null)`);
    expect(heads.n).toBe(0);
    const rooms = await one<{ n: number }>(`select count(*)::int as n from household h join territory_node t on t.code = h.room_code where t.kind <> 'room'`);
    expect(rooms.n).toBe(0);
    const dates = await one<{ n: number }>(`select count(*)::int as n from residence r join person p on p.id = r.person_id
      where r.moved_in > date '2026-11-01' or r.moved_in < p.birth_date or (r.moved_out is not null and r.moved_out < r.moved_in)`);
    expect(dates.n).toBe(0);
    const next = await one<{ id: number }>(`insert into person (name) values ('测试') returning id`);
    expect(next.id).toBe(summary.persons + 1); // identity sequences continue after the explicit ids
    await q('delete from person where id = $1', [next.id]);
  });

  it('draws polygons that nest in their parents and never overlap their siblings', async () => {
    const box = await one<{ xmin: number; xmax: number; ymin: number; ymax: number }>(`select ST_XMin(b) as xmin, ST_XMax(b) as xmax, ST_YMin(b) as ymin, ST_YMax(b) as ymax
      from (select ST_Extent(boundary)::geometry as b from territory_node) t`);
    expect(box.xmin).toBeGreaterThanOrEqual(120.14);
    expect(box.xmax).toBeLessThanOrEqual(120.23);
    expect(box.ymin).toBeGreaterThanOrEqual(30.15);
    expect(box.ymax).toBeLessThanOrEqual(30.23);
    const outside = await q(`select c.code from territory_node c join territory_node p on p.code = c.parent_code
      where c.boundary is not null and not ST_CoveredBy(ST_Buffer(c.boundary, -1e-7), p.boundary)`);
    expect(outside).toEqual([]);
    const compounds = await q(`select c.code from territory_node c join territory_node g on g.code = c.grid_code
      where c.kind = 'compound' and not ST_CoveredBy(c.boundary, g.boundary)`);
    expect(compounds).toEqual([]);
    // shared edges are identical; where a vertex of one row meets the edge of another (T-junction), 1e-7° rounding
    // leaves slivers at most ~1e-7° (1 cm) wide, hence the inward buffer
    const overlapping = await q(`select a.code, b.code from territory_node a join territory_node b
      on a.parent_code = b.parent_code and a.code < b.code and a.kind = b.kind and a.boundary && b.boundary
      where a.boundary is not null and ST_Area(ST_Intersection(ST_Buffer(a.boundary, -2e-7), b.boundary)) > 1e-12`);
    expect(overlapping).toEqual([]);
    // the administrative and grid levels tile their parent: the children's areas add up to the parent's
    const tiling = await q<{ code: string; ratio: number }>(`select p.code, sum(ST_Area(c.boundary)) / ST_Area(p.boundary) as ratio
      from territory_node p join territory_node c on c.parent_code = p.code and c.kind in ('street', 'community', 'grid', 'micro_grid')
      group by p.code, p.boundary`);
    expect(tiling.length).toBeGreaterThan(200);
    for (const t of tiling) expect(Math.abs(t.ratio - 1), t.code).toBeLessThan(1e-4);
  });

  it("puts every building's location inside its micro-grid of its compound's grid", async () => {
    const bad = await q(`select b.code from territory_node b join territory_node m on m.code = b.micro_grid_code
      where b.kind = 'building' and (m.kind <> 'micro_grid' or m.parent_code <> b.grid_code
        or not ST_Covers(m.boundary, b.location) or not ST_Covers(b.boundary, b.location))`);
    expect(bad).toEqual([]);
    const n = await one<{ n: number }>(`select count(*)::int as n from territory_node where kind = 'building' and location is not null`);
    expect(n.n).toBe(summary.territory.building);
  });

  it('builds the party organisation tree and alliances', async () => {
    const kinds = await q<{ kind: string; n: number }>('select kind, count(*)::int as n from party_org group by kind order by kind');
    const by = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(by.street_committee).toBe(3);
    expect((by.community_committee ?? 0) + (by.general_branch ?? 0)).toBe(67);
    expect(by.functional_branch).toBe(67);
    expect(by.branch).toBe(134 + summary.territory.compound);
    expect(by.unit_org).toBeGreaterThan(10);
    expect(by.alliance).toBeGreaterThan(3);
    const paths = await one<{ n: number }>(`select count(*)::int as n from party_org c left join party_org p on p.code = c.parent_code
      where c.path::text <> coalesce(p.path::text || '.', '') || c.code`);
    expect(paths.n).toBe(0);
    const units = await one<{ n: number }>(`select count(*)::int as n from party_org where kind = 'unit_org' and (parent_code is not null or unit_name is null or territory_code is null)`);
    expect(units.n).toBe(0);
    const members = await q<{ alliance_code: string; kind: string; role: string }>(`select m.alliance_code, o.kind, m.role from party_org_alliance_member m
      join party_org o on o.code = m.member_code`);
    expect(members.some((m) => m.alliance_code === 'A330108001' && m.kind === 'unit_org')).toBe(true);
    expect(members.some((m) => m.alliance_code === 'A330108001001' && m.role === 'chair')).toBe(true);
    const named = await one<{ n: number }>(`select count(*)::int as n from party_org where name_pinyin = '' or (kind <> 'alliance' and secretary_name is null)`);
    expect(named.n).toBe(0);
  });

  it('creates the demo accounts with their roles and scopes', async () => {
    const users = await q<{ username: string; role: string; scope_kind: string; scope_codes: string[]; org_code: string | null; person_id: number | null; must_change_password: boolean; status: string; password_hash: string }>(
      `select u.username, r.role_code as role, u.scope_kind, u.scope_codes, u.org_code, u.person_id, u.must_change_password, u.status, u.password_hash
       from app_user u join app_user_role r on r.user_id = u.id`);
    const by = new Map(users.map((u) => [u.username, u]));
    for (const a of demoAccounts) expect(by.get(a.username)?.role, a.username).toBe(a.role);
    expect(users.every((u) => !u.must_change_password && u.status === 'active')).toBe(true);
    expect(await verifyPassword(by.get('admin')!.password_hash, DEMO_PASSWORD)).toBe(true);
    expect(by.get('admin')).toMatchObject({ scope_kind: 'all', scope_codes: [] });
    expect(by.get('street.330108002')).toMatchObject({ scope_kind: 'subtree', scope_codes: ['330108002'] });
    expect(users.filter((u) => u.role === 'community_staff').length).toBe(67);
    expect(by.get('community.330108003025')).toMatchObject({ scope_kind: 'subtree', scope_codes: ['330108003025'] });
    expect(by.get('parttime.330108001001')).toMatchObject({ scope_kind: 'subtree', scope_codes: ['330108001001'] });
    const grids = users.filter((u) => u.role === 'grid_worker').map((u) => u.username).sort();
    expect(grids).toEqual(['grid.330108001001001', 'grid.330108001001002']);
    expect(by.get('dept.chengguan')).toMatchObject({ scope_kind: 'custom', scope_codes: ['330108001', '330108002'] });
    for (const name of ['dept.market', 'dept.police', 'dept.housing']) {
      expect(by.get(name), name).toMatchObject({ role: 'department_staff', scope_kind: 'custom', scope_codes: ['330108001', '330108002'] });
    }
    expect(by.get('property.330108001001c001')).toMatchObject({ scope_kind: 'subtree', scope_codes: ['330108001001C001'] });
    for (const name of ['member.demo', 'resident.demo']) {
      const u = by.get(name)!;
      expect(u.scope_kind).toBe('self');
      const home = await q(`select 1 from residence r join territory_node t on t.code = r.room_code
        where r.person_id = $1 and r.moved_out is null and t.path <@ '330108.330108001.330108001001'`, [u.person_id]);
      expect(home.length, name).toBe(1);
    }
    expect(by.get('member.demo')!.person_id).not.toBe(by.get('resident.demo')!.person_id);
    const unit = await one<{ kind: string }>('select kind from party_org where code = $1', [by.get('unit.demo')!.org_code]);
    expect(unit.kind).toBe('unit_org');
    const audit = await q<{ action: string }>(`select action from audit_log where action = 'seed'`);
    expect(audit.length).toBe(1);
  });

  it('makes about 8 % of adult residents party members, typed and placed where they belong', async () => {
    // the contract members topped up by the service part are in-service members too (without a residence at scale test)
    expect(summary.archive.partyMembers + summary.service.newPersons).toBe((await one<{ n: number }>('select count(*)::int as n from party_member')).n);
    const adults = await one<{ n: number }>(`select count(distinct r.person_id)::int as n from residence r join person p on p.id = r.person_id
      where r.moved_out is null and p.birth_date <= date '2008-11-01'`);
    const share = summary.archive.partyMembers / adults.n;
    expect(share).toBeGreaterThan(0.06);
    expect(share).toBeLessThan(0.15); // ≈ 8 % plus the branch committees of small compounds
    const minors = await q(`select m.person_id from party_member m join person p on p.id = m.person_id
      where p.birth_date > date '2008-11-01' or m.joined_on < p.birth_date + interval '18 years' or m.joined_on > date '2026-11-01' or m.source <> 'seed'`);
    expect(minors).toEqual([]);
    const types = await q<{ member_type: string; n: number }>('select member_type, count(*)::int as n from party_member group by 1');
    const by = Object.fromEntries(types.map((t) => [t.member_type, t.n]));
    expect(by.in_register).toBeGreaterThan(by.in_residence!);
    expect(by.in_service).toBeGreaterThan(0);
    // in-register: the branch of the compound or grid where they live; in-service: a unit org and its unit; in-residence: kept elsewhere
    const misplaced = await q(`select m.person_id, m.member_type, m.org_code from party_member m
      join residence r on r.person_id = m.person_id and r.moved_out is null
      join territory_node c on c.code = left(r.room_code, 16) and c.kind = 'compound'
      left join party_org o on o.code = m.org_code
      where not ((m.member_type = 'in_register' and o.kind = 'branch' and o.territory_code in (c.code, c.grid_code) and m.work_unit is null)
        or (m.member_type = 'in_service' and o.kind = 'unit_org' and m.work_unit = o.unit_name)
        or (m.member_type = 'in_residence' and m.org_code is null and m.work_unit is null))`);
    expect(misplaced).toEqual([]);
    const buildings = await one<{ total: number; without: number }>(`select count(*)::int as total, count(*) filter (where not exists (
        select 1 from residence r join party_member m on m.person_id = r.person_id
        where r.moved_out is null and left(r.room_code, length(b.code)) = b.code))::int as without
      from territory_node b where b.kind = 'building'`);
    expect(buildings.without).toBeGreaterThan(0); // the compound map shows buildings with none
    expect(buildings.without).toBeLessThan(buildings.total / 2);
    const demo = await one<{ member_type: string; kind: string }>(`select m.member_type, o.kind from app_user u join party_member m on m.person_id = u.person_id
      join party_org o on o.code = m.org_code where u.username = 'member.demo'`);
    expect(demo).toEqual({ member_type: 'in_service', kind: 'unit_org' });
  });

  it('tags people only where the tag fits, the sensitive ones rarely', async () => {
    const tags = await q<{ tag_code: string; n: number }>('select tag_code, count(*)::int as n from person_tag group by 1');
    const by = Object.fromEntries(tags.map((t) => [t.tag_code, t.n]));
    expect(tags.reduce((a, t) => a + t.n, 0)).toBe(summary.archive.personTags);
    for (const code of ['elderly_alone', 'elderly_advanced', 'disabled']) expect(by[code], code).toBeGreaterThan(0);
    const age = `extract(year from age(date '2026-11-01', p.birth_date))`;
    const unfit = await q(`select t.person_id, t.tag_code, ${age} as age from person_tag t join person p on p.id = t.person_id where
         (t.tag_code in ('elderly_alone', 'elderly_empty_nest') and ${age} < 60)
      or (t.tag_code = 'elderly_advanced' and ${age} < 80)
      or (t.tag_code = 'left_behind_child' and ${age} >= 16)
      or (t.tag_code in ('unemployed', 'mental_disorder', 'community_correction', 'drug_rehab') and ${age} < 18)
      or t.since < p.birth_date or t.since > date '2026-11-01' or t.source <> 'seed'`);
    expect(unfit).toEqual([]);
    // 独居 = alone in the household; 空巢 = only people over 60 in it
    const household = await q(`select t.person_id, t.tag_code from person_tag t join residence r on r.person_id = t.person_id and r.moved_out is null
      join lateral (select count(*) as n, min(${age.replace('p.', 'q.')}) as youngest from residence x join person q on q.id = x.person_id
        where x.household_id = r.household_id and x.moved_out is null) h on true
      where (t.tag_code = 'elderly_alone' and h.n <> 1) or (t.tag_code = 'elderly_empty_nest' and (h.n < 2 or h.youngest < 60))`);
    expect(household).toEqual([]);
    const sensitive = await one<{ n: number; xiling: number }>(`select count(*)::int as n,
        count(*) filter (where r.room_code like '330108001001%')::int as xiling
      from person_tag t join attention_tag a on a.code = t.tag_code and a.sensitive
      join residence r on r.person_id = t.person_id and r.moved_out is null`);
    expect(sensitive.n).toBeLessThan(summary.persons * 0.02);
    expect(sensitive.xiling).toBeGreaterThan(0);
  });

  it('gives every compound its party branch and property company, most an owners\' committee, with residents as their people', async () => {
    const per = await q<{ code: string; party: number; property: number; owners: number }>(`select c.code,
        count(*) filter (where p.kind = 'party_org')::int as party, count(*) filter (where p.kind = 'property_company')::int as property,
        count(*) filter (where p.kind = 'owners_committee')::int as owners
      from territory_node c left join compound_partner p on p.compound_code = c.code where c.kind = 'compound' group by c.code`);
    expect(per.length).toBe(summary.territory.compound);
    for (const c of per) expect([c.party, c.property, c.owners <= 1], c.code).toEqual([1, 1, true]);
    const withOwners = per.filter((c) => c.owners === 1).length;
    expect(withOwners).toBeGreaterThan(0);
    expect(withOwners).toBeLessThan(per.length); // some (older) compounds have none
    const bad = await q(`select p.id, p.kind, p.name from compound_partner p left join party_org o on o.code = p.org_code
      where (p.kind = 'party_org' and (o.code is distinct from 'P' || p.compound_code or o.secretary_name is distinct from p.contact_name))
        or (p.kind <> 'party_org' and p.org_code is not null)
        or (p.kind = 'property_company' and p.name !~ '(物业服务|物业管理|城市服务|物业服务集团|物业服务股份)有限公司.+项目部$')
        or p.contact_phone !~ '^1[3-9][0-9]{9}$'
        or (select count(*) from compound_partner_member m where m.partner_id = p.id) not between 2 and 5`);
    expect(bad).toEqual([]);
    // the people are residents of the compound; the contact is one of them; the branch committee are its in-register members
    const outsiders = await q(`select m.partner_id, m.person_id from compound_partner_member m join compound_partner p on p.id = m.partner_id
      where not exists (select 1 from residence r where r.person_id = m.person_id and r.moved_out is null and r.room_code like p.compound_code || '%')
        or (p.kind = 'party_org' and not exists (select 1 from party_member pm where pm.person_id = m.person_id and pm.org_code = p.org_code))
        or m.role not in ('书记', '委员', '主任', '副主任', '项目经理', '客服主管')`);
    expect(outsiders).toEqual([]);
    const contacts = await q(`select p.id from compound_partner p where not exists (select 1 from compound_partner_member m
      join person x on x.id = m.person_id where m.partner_id = p.id and x.name = p.contact_name and x.mobile = p.contact_phone
        and m.role = any ('{书记,主任,项目经理}'))`);
    expect(contacts).toEqual([]);
  });

  it('staffs the posts: 小区专员, 楼长, 单元长 and the grid\'s 一长三员', async () => {
    const commissioners = await q(`select c.code from territory_node c where c.kind = 'compound' and (select count(*) from territory_post p
      where p.territory_code = c.code and p.post = 'compound_commissioner') <> 1`);
    expect(commissioners).toEqual([]);
    const leaders = await q(`select b.code from territory_node b where b.kind = 'building' and (select count(*) from territory_post p
      join residence r on r.person_id = p.person_id and r.moved_out is null and r.room_code like b.code || '%'
      where p.territory_code = b.code and p.post = 'building_leader') <> 1`);
    expect(leaders).toEqual([]);
    const units = await one<{ total: number; led: number; outside: number }>(`select count(*)::int as total,
        count(*) filter (where exists (select 1 from territory_post p where p.territory_code = u.code and p.post = 'unit_leader'))::int as led,
        count(*) filter (where exists (select 1 from territory_post p where p.territory_code = u.code and p.post = 'unit_leader' and not exists (
          select 1 from residence r where r.person_id = p.person_id and r.moved_out is null and r.room_code like u.code || '%')))::int as outside
      from territory_node u where u.kind = 'unit'`);
    expect(units.outside).toBe(0);
    expect(units.led / units.total).toBeGreaterThan(0.6);
    const membersLead = await one<{ n: number }>(`select count(*)::int as n from territory_post p join party_member m on m.person_id = p.person_id
      where p.post = 'building_leader'`);
    expect(membersLead.n / summary.territory.building).toBeGreaterThan(0.4);
    // every grid of a community with residents has its four posts; in 西陵社区 the 专职网格员 is the grid.<code> account
    const grids = await q<{ code: string; posts: string[] }>(`select g.code, array_agg(p.post order by p.post) as posts from territory_node g
      join territory_post p on p.territory_code = g.code where g.kind = 'grid' group by g.code order by g.code`);
    expect(grids.map((g) => g.code.slice(0, 12))).toEqual(['330108001001', '330108001001', '330108001002', '330108001002', '330108002001', '330108002001']);
    for (const g of grids) expect(g.posts, g.code).toEqual(['grid_instructor', 'grid_leader', 'grid_member', 'grid_part_time']);
    const xiling = await q<{ territory_code: string; username: string | null; person_id: number | null }>(`select p.territory_code, u.username, p.person_id
      from territory_post p left join app_user u on u.id = p.user_id where p.post = 'grid_member' and p.territory_code like '330108001001%' order by 1`);
    expect(xiling).toEqual([
      { territory_code: '330108001001001', username: 'grid.330108001001001', person_id: null },
      { territory_code: '330108001001002', username: 'grid.330108001001002', person_id: null },
    ]);
    const total = await one<{ n: number }>(`select count(*)::int as n from territory_post where until is null and since <= date '2026-11-01'`);
    expect(total.n).toBe(summary.archive.posts);
  });

  it('records a few visits in 西陵社区 by the grid worker of the household\'s grid, and registry numbers', async () => {
    const visits = await q<{ room_code: string; username: string; grid_code: string; ok: boolean }>(`select v.room_code, u.username, c.grid_code,
        h.room_code = v.room_code as ok
      from visit v join app_user u on u.id = v.visitor_user_id join household h on h.id = v.household_id
      join territory_node c on c.kind = 'compound' and v.room_code like c.code || '%'`);
    expect(visits.length).toBe(summary.archive.visits);
    expect(visits.length).toBeGreaterThan(0);
    for (const v of visits) {
      expect(v.room_code.startsWith('330108001001')).toBe(true);
      expect(v.username).toBe(`grid.${v.grid_code}`);
      expect(v.ok).toBe(true);
    }
    const hh = await one<{ n: number; seed: number; registry: number; rented: number }>(`select count(*)::int as n,
        count(*) filter (where source = 'seed')::int as seed, count(registry_no)::int as registry,
        count(registry_no) filter (where kind = 'rented')::int as rented from household`);
    expect(hh.seed).toBe(hh.n);
    expect(hh.registry).toBe(summary.archive.registryNos);
    expect(hh.registry / hh.n).toBeGreaterThan(0.2);
    expect(hh.registry / hh.n).toBeLessThan(0.8);
    expect(hh.rented).toBe(0);
  });

  it('registers the contract members member.0001 … member.2000 in 西兴街道\'s communities, with accounts that log in', async () => {
    const members = await q<{ username: string; person_id: number; org_code: string; scope_kind: string; roles: string[]; member_type: string;
      pm_org: string; org_kind: string; community: string; status: string; channel: string; branch_code: string; n: number }>(`
      select u.username, u.person_id, u.org_code, u.scope_kind, array(select role_code from app_user_role x where x.user_id = u.id) as roles,
        pm.member_type, pm.org_code as pm_org, o.kind as org_kind, r.community_code as community, r.status, r.channel, r.branch_code,
        (select count(*)::int from member_registration y where y.person_id = u.person_id) as n
      from app_user u join party_member pm on pm.person_id = u.person_id join party_org o on o.code = u.org_code
      join member_registration r on r.user_id = u.id where u.username ~ '^member\.[0-9]{4}$' order by u.username`);
    expect(members.length).toBe(2000);
    expect(summary.service.contractMembers).toBe(2000);
    expect(members[0]!.username).toBe('member.0001');
    expect(members[1999]!.username).toBe('member.2000');
    for (const m of members) {
      expect({ scope: m.scope_kind, roles: m.roles, type: m.member_type, org: m.pm_org, kind: m.org_kind, status: m.status, channel: m.channel, n: m.n }, m.username)
        .toEqual({ scope: 'self', roles: ['party_member'], type: 'in_service', org: m.org_code, kind: 'unit_org', status: 'approved', channel: 'seed', n: 1 });
      expect(m.community.startsWith('330108001'), m.username).toBe(true);
      expect(m.branch_code).toBe(`P${m.community}F01`);
    }
    expect(new Set(members.map((m) => m.person_id)).size).toBe(2000);
    expect(members.slice(0, 200).every((m) => m.community === '330108001001')).toBe(true); // member.0001–0200 live in 西陵社区
    expect(new Set(members.map((m) => m.community)).size).toBe(21); // every community of 西兴街道
    // existing in-service members of 西兴 come first in their community; the rest are new persons
    const existing = await one<{ n: number }>(`select count(*)::int as n from app_user u join residence r on r.person_id = u.person_id and r.moved_out is null
      where u.username ~ '^member\.[0-9]{4}$'`);
    expect(existing.n).toBe(2000 - summary.service.newPersons);
    expect(existing.n).toBeGreaterThan(0);

    // the same argon2 hash as every demo account; the real login route accepts them
    const hashes = await q<{ h: string }>(`select distinct password_hash as h from app_user where username ~ '^member\.[0-9]{4}$' or username = 'admin'`);
    expect(hashes.length).toBe(1);
    const config = loadConfig({ ...process.env, LINLI_DEMO: '1', LINLI_SEED: 'none' }, { webDist: '/nonexistent', sessionCacheSeconds: 0 });
    const app = await buildApp(database, config, { logger: false });
    try {
      for (const username of ['member.0001', 'member.2000']) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: DEMO_PASSWORD, client: 'api' } });
        expect(res.statusCode, username).toBe(200);
        const me = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${res.json().token}` } });
        expect(me.statusCode).toBe(200);
        expect(me.json().user).toMatchObject({ username, permissions: expect.arrayContaining(['service:claim', 'service:order']) });
      }
    } finally {
      await app.close();
    }
  });

  it('gives every approved registration a force row that agrees with it: home, micro-grid, location, skills, availability', async () => {
    const bad = await q(`select r.id, r.person_id from member_registration r
      left join force_person f on f.id = r.force_id
      left join territory_node c on c.code = r.community_code
      left join territory_node m on m.code = f.micro_grid_code
      left join residence res on res.person_id = r.person_id and res.moved_out is null
      left join territory_node b on b.code = left(res.room_code, 20)
      where r.status = 'approved' and not (
        f.person_id = r.person_id and f.user_id is not distinct from r.user_id and f.kind = 'in_service_member' and f.status = 'active'
        and f.community_code = r.community_code and f.community_path = c.path and c.kind = 'community'
        and f.home_code = r.home_code and f.micro_grid_code = r.micro_grid_code and f.skills = r.skills and f.availability = r.availability
        and m.kind = 'micro_grid' and m.parent_code like r.community_code || '%'
        and cardinality(f.skills) between 1 and 3 and f.skills <@ (select array_agg(code) from skill)
        and jsonb_typeof(f.availability -> 'days') = 'array' and jsonb_typeof(f.availability -> 'periods') = 'array'
        and r.wishes <@ (select array_agg(code) from post_kind) and cardinality(r.wishes) >= 1
        and r.work_unit = (select unit_name from party_org o where o.code = r.unit_org_code) and r.reviewed_by is not null
        and (case when res.room_code is not null
          then f.home_code = res.room_code and f.micro_grid_code = b.micro_grid_code and ST_Equals(f.home_location, b.location)
          else f.home_code = f.micro_grid_code and ST_Covers(m.boundary, f.home_location) end))`);
    expect(bad).toEqual([]);
    const reviewer = await q(`select r.id from member_registration r join app_user u on u.id = r.reviewed_by
      where u.username <> 'community.' || r.community_code`);
    expect(reviewer).toEqual([]);
    // member.demo registers through the API in the tests; resident.demo is a plain resident
    const demo = await q(`select u.username from app_user u where u.username in ('member.demo', 'resident.demo') and (
      exists (select 1 from member_registration r where r.person_id = u.person_id) or exists (select 1 from force_person f where f.person_id = u.person_id)
      or exists (select 1 from service_order o where o.resident_person_id = u.person_id or o.resident_user_id = u.id))`);
    expect(demo).toEqual([]);
    const forces = await one<{ n: number; members: number }>(`select count(*)::int as n, count(*) filter (where kind = 'in_service_member')::int as members from force_person`);
    expect(forces.n).toBe(summary.service.forcePersons);
    expect(forces.members).toBe(summary.service.approved);
  });

  it('adds a little of each kind in 西陵社区 at scale test, with counters that agree with the rows, and leaves member.0001–0190 untouched', async () => {
    const s = summary.service;
    for (const k of ['teams', 'resources', 'posts', 'postHolders', 'contacts', 'needs', 'projects', 'pledges', 'orders', 'orderEvents', 'tasks', 'claims', 'records', 'ratings', 'negatives'] as const) {
      expect(s[k], k).toBeGreaterThan(0);
    }
    const outside = await q(`select 'order' as t, community_code as c from service_order where community_code <> '330108001001'
      union all select 'task', scope_code from service_task where scope_code <> '330108001001'
      union all select 'post', community_code from service_post where community_code <> '330108001001'
      union all select 'team', community_code from force_team where community_code <> '330108001001'`);
    expect(outside).toEqual([]);
    const counters = await q(`select 'task' as t, id from service_task t where claimed <> (select count(*) from task_claim c where c.task_id = t.id and c.status <> 'cancelled')
      union all select 'post', id from service_post p where taken <> (select count(*) from service_post_holder h where h.post_id = p.id and h.until is null)
      union all select 'load', id from force_person f where open_load <> (select count(*) from task_claim c where c.force_id = f.id and c.status = 'claimed')
        + (select count(*) from service_order o where o.assignee_force_id = f.id and o.state in ('dispatched', 'accepted'))
      union all select 'project', id from coop_project p where pledged_amount <> coalesce((select sum(amount) from project_pledge x where x.project_id = p.id), 0)
        or spent_amount <> coalesce((select sum(amount) from project_spending x where x.project_id = p.id), 0)`);
    expect(counters).toEqual([]);
    // the order history follows the transitions table; records stay within their caps and confirmed ones say by whom
    const transitions = await q(`select e.id from service_order_event e where e.from_state is not null and not exists (
      select 1 from order_transition t where t.from_state = e.from_state and t.action = e.action and t.to_state = e.to_state)`);
    expect(transitions).toEqual([]);
    const lastState = await q(`select o.id from service_order o where o.state <> (select e.to_state from service_order_event e where e.order_id = o.id order by e.id desc limit 1)`);
    expect(lastState).toEqual([]);
    const records = await q(`select r.id from service_record r left join service_order o on o.id = r.order_id
      where r.hours > r.hour_cap or (r.source = 'order' and (o.state not in ('done', 'rated') or o.assignee_force_id <> r.force_id or o.hours <> r.hours))`);
    expect(records).toEqual([]);
    const states = await q<{ state: string }>('select distinct state from service_order order by 1');
    expect(states.map((x) => x.state)).toEqual(expect.arrayContaining(['ordered', 'dispatched', 'accepted', 'rated']));
    // the test accounts member.0001–member.0190 start with no history (member.0191–0200 serve, member.0200 keeps a few 1:8 households)
    const touched = await q<{ username: string }>(`select distinct u.username from app_user u join force_person f on f.user_id = u.id
      where u.username ~ '^member\.[0-9]{4}$' and (f.open_load > 0
        or exists (select 1 from task_claim c where c.force_id = f.id) or exists (select 1 from service_order o where o.assignee_force_id = f.id)
        or exists (select 1 from service_record r where r.force_id = f.id) or exists (select 1 from service_post_holder h where h.force_id = f.id)
        or exists (select 1 from force_team_member t where t.force_id = f.id) or exists (select 1 from party_mass_contact c where c.force_id = f.id)
        or exists (select 1 from member_negative_item n where n.force_id = f.id))`);
    expect(touched.length).toBeGreaterThan(1);
    expect(touched.every((t) => t.username >= 'member.0191' && t.username <= 'member.0200'), JSON.stringify(touched)).toBe(true);
    expect(touched.map((t) => t.username)).toContain('member.0200');
    // registered members of 西陵社区 have confirmed service this year, so its service rate is not empty; the member
    // flagged for a talk is a registered party member whose registration names a work unit
    const served = await q<{ n: number }>(`select count(distinct r.person_id)::int as n from member_registration r join service_record s on s.force_id = r.force_id
      where r.status = 'approved' and r.community_code = '330108001001' and s.status = 'confirmed' and s.served_on >= date '2026-01-01'`);
    expect(served[0]!.n).toBeGreaterThan(0);
    const flagged = await q<{ kind: string; work_unit: string | null }>(`select f.kind, r.work_unit from member_negative_item n join force_person f on f.id = n.force_id
      left join member_registration r on r.force_id = f.id and r.status = 'approved'`);
    expect(flagged.length).toBeGreaterThan(0);
    for (const f of flagged) expect(f).toMatchObject({ kind: 'in_service_member', work_unit: expect.stringMatching(/.{2,}/) });
  });

  it('derives every seeded project from a need of its own field, or from none', async () => {
    const projects = await q<{ title: string; need: string | null; category: string | null }>(`select p.title, n.title as need, n.category
      from coop_project p left join community_need n on n.id = p.need_id order by p.id`);
    expect(projects.length).toBeGreaterThan(0);
    const fields: [RegExp, string[]][] = [[/老年食堂|适老化|银龄/, ['elderly', 'health', 'facility']], [/儿童阅览角|四点半/, ['children', 'culture']],
      [/楼道微更新|议事厅/, ['facility', 'safety', 'environment', 'other']], [/花园/, ['environment']]];
    for (const p of projects) {
      if (p.need === null) continue;
      const field = fields.find(([re]) => re.test(p.title));
      expect(field, p.title).toBeDefined();
      expect(field![1], `${p.title} ← ${p.need}`).toContain(p.category);
    }
    const ids = await q<{ need_id: number }>(`select need_id from coop_project where need_id is not null group by need_id having count(*) > 1`);
    expect(ids).toEqual([]);
    // a need with a project is 已立项 or met; 已立项 means a project exists
    const states = await q<{ id: number }>(`select n.id from community_need n where
      (exists (select 1 from coop_project p where p.need_id = n.id) and n.status not in ('in_project', 'met'))
      or (n.status = 'in_project' and not exists (select 1 from coop_project p where p.need_id = n.id))`);
    expect(states).toEqual([]);
  });

  it('gives every district its six line departments, department staff their department, and the two demo API keys', async () => {
    const depts = await q<{ code: string; name: string; short_name: string; kind: string; territory_code: string }>(
      'select code, name, short_name, kind, territory_code from department order by sort_order, code');
    expect(depts).toEqual([
      { code: '330108CG', name: '滨江区城市管理局', short_name: '城管', kind: 'chengguan', territory_code: '330108' },
      { code: '330108SJ', name: '滨江区市场监督管理局', short_name: '市场监管', kind: 'market', territory_code: '330108' },
      { code: '330108GA', name: '滨江区公安分局', short_name: '公安', kind: 'police', territory_code: '330108' },
      { code: '330108ZJ', name: '滨江区住房和城乡建设局', short_name: '住建', kind: 'housing', territory_code: '330108' },
      { code: '330108XF', name: '滨江区消防救援大队', short_name: '消防', kind: 'fire', territory_code: '330108' },
      { code: '330108HB', name: '滨江区生态环境分局', short_name: '生态环境', kind: 'ecology', territory_code: '330108' },
    ]);
    expect(summary.cases.departments).toBe(6);
    // every kind a category names has a department to whistle
    const orphan = await q(`select code from case_category c where department_kind is not null
      and not exists (select 1 from department d where d.kind = c.department_kind)`);
    expect(orphan).toEqual([]);
    const staff = await q<{ username: string; department_code: string; display_name: string }>(
      `select username, department_code, display_name from app_user where department_code is not null order by username`);
    expect(staff).toEqual([
      { username: 'dept.chengguan', department_code: '330108CG', display_name: '滨江区城市管理局（城管）' },
      { username: 'dept.housing', department_code: '330108ZJ', display_name: '滨江区住房和城乡建设局（住建）' },
      { username: 'dept.market', department_code: '330108SJ', display_name: '滨江区市场监督管理局（市场监管）' },
      { username: 'dept.police', department_code: '330108GA', display_name: '滨江区公安分局（公安）' },
    ]);
    const keys = await q<{ key_hash: string; kind: string; name: string; jurisdiction_code: string; revoked_at: string | null }>(
      'select key_hash, kind, name, jurisdiction_code, revoked_at from case_api_key order by kind');
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(keys).toEqual([
      { key_hash: sha('linli-camera-demo-key'), kind: 'camera', name: '视频智能识别演示密钥', jurisdiction_code: '330108', revoked_at: null },
      { key_hash: sha('linli-demo-key'), kind: 'open311', name: 'Open311 演示密钥', jurisdiction_code: '330108', revoked_at: null },
    ]);
    expect(summary.cases.apiKeys).toBe(2);
  });

  it('generates a year of cases set-based: placed in their micro-grids, routed by category, working-day deadlines, steps and cards that agree', async () => {
    const calendar = calendarWith(new Map());
    const now = new Date('2026-11-20T04:00:00Z'); // the year of history moves to end here
    const opts = { count: 600, seed: DEFAULT_SEED, referenceDate: REFERENCE_DATE, now, within: '330108.330108001', calendar };
    const exec = (text: string, params?: unknown[]) => q(text, params);
    const counts = await seedCaseHistory(exec, opts);
    expect(counts.cases).toBe(600);
    expect(counts.steps).toBeGreaterThan(600 * 4);
    expect(counts.open).toBeGreaterThan(0);
    expect(counts.overdue).toBeLessThan(counts.open);
    expect(counts.merged).toBeGreaterThan(0);
    expect(counts.voided).toBeGreaterThan(0);
    type Row = { id: number; service_no: string; state: string; reported_at: Date; accept_deadline: Date; accepted_at: Date | null; handle_deadline: Date | null;
      accept_days: number; handle_days: number; reopen_count: number; handler_tier: string; handler_code: string; default_tier: string; tier_code: string; inside: boolean;
      territory_path: string; micro_grid_code: string; step_deadline: Date; card: string; merged_into: number | null };
    const rows = await q<Row>(`select c.*, k.accept_days, k.handle_days, k.default_tier, c.territory_path::text,
        ST_Covers(m.boundary, c.location) and m.path = c.territory_path as inside,
        case c.handler_tier when 'micro_grid' then c.micro_grid_code when 'grid' then c.grid_code when 'community' then c.community_code else c.street_code end as tier_code
      from civic_case c join case_category k on k.code = c.category_code join territory_node m on m.code = c.micro_grid_code order by c.id`);
    expect(rows.length).toBe(600);
    for (const c of rows) {
      expect(c.inside, c.service_no).toBe(true);
      expect(c.territory_path.startsWith('330108.330108001.')).toBe(true);
      expect([c.handler_tier, c.handler_code]).toEqual([c.default_tier, c.tier_code]);
      expect(c.service_no).toBe(`AJ${beijingDate(new Date(c.reported_at)).replace(/-/g, '')}S${c.service_no.slice(-5)}`);
      expect(c.service_no).toMatch(/^AJ[0-9]{8}S[0-9]{5}$/);
      expect(new Date(c.accept_deadline)).toEqual(addWorkdays(calendar, new Date(c.reported_at), c.accept_days));
      if (c.accepted_at && c.reopen_count === 0) expect(new Date(c.handle_deadline!)).toEqual(addWorkdays(calendar, new Date(c.accepted_at), c.handle_days));
      const overdue = ['reported', 'handling', 'resolved'].includes(c.state) && new Date(c.step_deadline) < now;
      expect(c.card !== 'none', c.service_no).toBe(overdue);
    }
    expect(new Set(rows.map((r) => r.service_no)).size).toBe(600);
    // merged duplicates point at an earlier case of the same category in the same micro-grid
    const merged = await q<{ ok: boolean }>(`select k.id < c.id and k.category_code = c.category_code and k.micro_grid_code = c.micro_grid_code as ok
      from civic_case c join civic_case k on k.id = c.merged_into`);
    expect(merged.length).toBe(counts.merged);
    expect(merged.every((m) => m.ok)).toBe(true);
    // the timeline: 上报 first, times in order, the last move lands on the case's state; every card raised has its step
    const tl = await q<{ id: number; state: string; first: string; ordered: boolean; last: string; n: number; cards: number; card_steps: number }>(`
      select c.id, c.state, (array_agg(s.action order by s.id))[1] as first, bool_and(s.at >= coalesce(p.at, s.at)) as ordered,
        (array_agg(s.to_state order by s.id desc) filter (where s.action <> 'card'))[1] as last, count(*)::int as n,
        (select count(*)::int from case_card k where k.case_id = c.id) as cards, count(*) filter (where s.action = 'card')::int as card_steps
      from civic_case c join civic_case_step s on s.case_id = c.id
      left join lateral (select at from civic_case_step p where p.case_id = c.id and p.id < s.id order by p.id desc limit 1) p on true
      group by c.id`);
    for (const t of tl) {
      expect([t.first, t.ordered, t.last], String(t.id)).toEqual(['report', true, t.state]);
      expect(t.n).toBeGreaterThanOrEqual(t.state === 'reported' ? 1 : 2);
      expect(t.cards).toBe(t.card_steps);
    }
    // the three rates, as the core defines them, in a believable range
    const [r] = await q<{ response: number; resolution: number; satisfaction: number }>(`select
      avg((responded_at <= accept_deadline)::int) filter (where state <> 'merged' and (responded_at is not null or accept_deadline < $1)) as response,
      avg((resolved_at is not null)::int) filter (where state <> 'merged' and accepted_at is not null) as resolution,
      avg((satisfaction in ('satisfied', 'basically'))::int) filter (where state <> 'merged' and satisfaction is not null) as satisfaction
      from civic_case`, [now]);
    expect(Number(r!.response)).toBeGreaterThan(0.88);
    expect(Number(r!.resolution)).toBeGreaterThan(0.9);
    expect(Number(r!.satisfaction)).toBeGreaterThan(0.88);
    expect(Number(r!.satisfaction)).toBeLessThan(0.99);
    // the same options give the same rows
    const caseDigest = async () => (await one<{ h: string }>(`select md5(string_agg(t::text, E'\\n')) as h from (
      select c.*, (select string_agg(concat_ws('|', action, from_state, to_state, actor_kind, actor_org, note, deadline, at), ',' order by id)
        from civic_case_step where case_id = c.id) as steps from civic_case c order by c.id) t`)).h;
    const first = await caseDigest();
    const wipe = 'delete from case_card; delete from civic_case_step; delete from civic_case;';
    await database.exec(wipe);
    await seedCaseHistory(exec, { ...opts, bulkFrom: 1 }); // the bulk path (indexes and keys restored after the load): the same rows
    expect(await caseDigest()).toBe(first);
    const keys = await one<{ n: number }>(`select count(*)::int as n from pg_constraint where contype = 'f' and conrelid = 'civic_case'::regclass`);
    expect(keys.n).toBeGreaterThanOrEqual(9);
    await database.exec(wipe);
  }, 60_000);

  it('gives the demo a district that mostly works: old cases closed, the open ones recent, a handful overdue per street with their cards', async () => {
    const calendar = calendarWith(new Map());
    const now = new Date('2027-03-10T02:30:00Z'); // months after the reference date: the year still ends here, without a gap
    const exec = (text: string, params?: unknown[]) => q(text, params);
    const counts = await seedCaseHistory(exec, { count: 3000, seed: DEFAULT_SEED, referenceDate: REFERENCE_DATE, now, calendar });
    expect(counts.cases).toBe(3000);
    // a year of points up to the day of seeding, every month of it
    const months = await q<{ m: string; n: number }>(`select to_char(reported_at at time zone 'Asia/Shanghai', 'YYYY-MM') as m, count(*)::int as n
      from civic_case group by 1 order by 1`);
    expect(months.length).toBeGreaterThanOrEqual(12);
    for (const m of months.slice(1, -1)) expect(m.n, m.m).toBeGreaterThan(150);
    const [span] = await q<{ first: Date; last: Date }>('select min(reported_at) as first, max(reported_at) as last from civic_case');
    expect(now.getTime() - new Date(span!.last).getTime()).toBeLessThan(2 * 86_400_000);
    expect(now.getTime() - new Date(span!.first).getTime()).toBeGreaterThan(360 * 86_400_000);

    // per street: the open cases are a few dozen at most, the overdue among them a handful, each carrying its card
    const streets = await q<{ street_code: string; open: number; overdue: number; carded: number; response: number; resolution: number; satisfaction: number }>(`
      select street_code, count(*) filter (where state in ('reported', 'handling', 'resolved', 'rating'))::int as open,
        count(*) filter (where state in ('reported', 'handling', 'resolved') and step_deadline < $1)::int as overdue,
        count(*) filter (where state in ('reported', 'handling', 'resolved') and step_deadline < $1 and card <> 'none')::int as carded,
        avg((responded_at <= accept_deadline)::int) filter (where state <> 'merged' and (responded_at is not null or accept_deadline < $1)) as response,
        avg((resolved_at is not null)::int) filter (where state <> 'merged' and accepted_at is not null) as resolution,
        avg((satisfaction in ('satisfied', 'basically'))::int) filter (where state <> 'merged' and satisfaction is not null) as satisfaction
      from civic_case group by 1 order by 1`, [now]);
    expect(streets.length).toBe(3);
    for (const st of streets) {
      expect(st.open, st.street_code).toBeGreaterThan(0);
      expect(st.open, st.street_code).toBeLessThan(40);
      expect(st.overdue, st.street_code).toBeLessThanOrEqual(10);
      expect(st.overdue / st.open, st.street_code).toBeLessThan(0.5);
      expect(st.carded, st.street_code).toBe(st.overdue);
      for (const rate of [st.response, st.resolution, st.satisfaction]) {
        expect(Number(rate), st.street_code).toBeGreaterThan(0.9);
        expect(Number(rate), st.street_code).toBeLessThan(0.998);
      }
    }
    expect(streets.reduce((a, s) => a + s.overdue, 0)).toBeGreaterThan(0);
    // nothing older than two months is still open; most open cases are from the last month and in progress (not waiting to be accepted)
    const [age] = await q<{ old: number; open: number; recent: number; waiting: number }>(`select
        count(*) filter (where reported_at < $1::timestamptz - interval '60 days')::int as old, count(*)::int as open,
        count(*) filter (where reported_at >= $1::timestamptz - interval '30 days')::int as recent, count(*) filter (where state = 'reported')::int as waiting
      from civic_case where state in ('reported', 'handling', 'resolved', 'rating')`, [now]);
    expect(age!.old).toBe(0);
    expect(age!.recent / age!.open).toBeGreaterThan(0.6);
    expect(age!.waiting / age!.open).toBeLessThan(0.3);

    // every step is a move of the state machine (case_transition) from where the previous one left the case, in time order;
    // a closed case went through 受理, 处置, 核查 and a rating or the window's end, and its closing time is its last step's
    const badSteps = await q(`select s.case_id, s.action, s.from_state, s.to_state, s.actor_kind from civic_case_step s
      left join lateral (select p.to_state, p.at from civic_case_step p where p.case_id = s.case_id and p.id < s.id order by p.id desc limit 1) p on true
      where s.action <> 'report' and (p.to_state is distinct from s.from_state or p.at > s.at or not exists (select 1 from case_transition t
        where t.from_state = s.from_state and t.action = s.action and t.to_state = s.to_state and t.actor = s.actor_kind))
      limit 5`);
    expect(badSteps).toEqual([]);
    const closed = await q<{ path: string; n: number; late: number }>(`select x.path, count(*)::int as n, count(*) filter (where x.late)::int as late from (
        select string_agg(s.action, ',' order by s.id) filter (where s.action <> 'card') as path,
          bool_or(s.action = 'card') as late, c.closed_at = max(s.at) and c.resolved_at is not null and c.accepted_at is not null as consistent
        from civic_case c join civic_case_step s on s.case_id = c.id where c.state = 'closed' group by c.id) x
      where x.consistent group by 1 order by 2 desc`);
    expect(closed.map((c) => c.path).sort()).toEqual(['report,accept,resolve,verify,auto_close', 'report,accept,resolve,verify,rate',
      'report,accept,resolve,verify,reopen,resolve,verify,rate'].sort());
    const closedTotal = closed.reduce((a, c) => a + c.n, 0);
    expect(closedTotal).toBe((await one<{ n: number }>(`select count(*)::int as n from civic_case where state = 'closed'`)).n);
    expect(closedTotal).toBeGreaterThan(2700);
    // most were closed without a card; the late ones are a minority
    const late = closed.reduce((a, c) => a + c.late, 0);
    expect(late / closedTotal).toBeGreaterThan(0.03);
    expect(late / closedTotal).toBeLessThan(0.25);
    await database.exec('delete from case_card; delete from civic_case_step; delete from civic_case;');
  }, 60_000);

  it('refuses a database that already has a territory', async () => {
    await expect(seedDatabase(database, { scale: 'test', passwordHash })).rejects.toThrow(/not empty|already has/);
  });

  it('gives identical rows for the same seed and different ones for another seed', async () => {
    const first = await digest();
    const wipe = `${SERVICE_TABLES.map((t) => `delete from ${t};`).join(' ')} delete from login_log; delete from user_session; delete from visit; delete from territory_post; delete from compound_partner_member; delete from compound_partner;
      delete from person_tag; delete from party_member; delete from case_card; delete from civic_case_step; delete from civic_case; delete from app_user_role; delete from app_user; delete from case_api_key; delete from department; delete from residence; delete from household; delete from person;
      delete from party_org_alliance_member; delete from party_org; delete from territory_node;`;
    await database.exec(wipe);
    await seedDatabase(database, { scale: 'test', passwordHash });
    expect(await digest()).toEqual(first);
    await database.exec(wipe);
    await seedDatabase(database, { scale: 'test', passwordHash, seed: 7 });
    const other = await digest();
    expect(other.person).not.toBe(first.person);
    expect(other.territory).not.toBe(first.territory);
  }, 180_000);   // two seeds of the test scale: ~15 s on an idle machine
});
