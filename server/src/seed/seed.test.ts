/** The generator against a real in-memory PGlite at scale 'test'. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../platform/auth/password.js';
import { openDatabase, type Database } from '../platform/db/index.js';
import { migrate } from '../platform/db/migrate.js';
import { isValidIdNumber } from './idcard.js';
import { DEMO_PASSWORD, demoAccounts, seedDatabase, type SeedSummary } from './index.js';

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
    household: 'select id, room_code, head_person_id, kind from household order by id',
    residence: 'select * from residence order by id',
    users: `select u.username, u.display_name, u.scope_kind, u.scope_codes, u.org_code, u.person_id, u.status, u.must_change_password,
      array_agg(r.role_code order by r.role_code) from app_user u join app_user_role r on r.user_id = u.id group by u.id order by u.username`,
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
  await migrate(database, process.env.LINLI_MIGRATIONS_DIR || undefined);
  passwordHash = await hashPassword(DEMO_PASSWORD);
  const started = performance.now();
  summary = await seedDatabase(database, { scale: 'test', passwordHash });
  const ms = performance.now() - started;
  expect(ms).toBeLessThan(5_000);
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
    expect(summary.persons).toBeLessThan(1500);
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

  it('refuses a database that already has a territory', async () => {
    await expect(seedDatabase(database, { scale: 'test', passwordHash })).rejects.toThrow(/not empty|already has/);
  });

  it('gives identical rows for the same seed and different ones for another seed', async () => {
    const first = await digest();
    const wipe = `delete from app_user_role; delete from app_user; delete from residence; delete from household; delete from person;
      delete from party_org_alliance_member; delete from party_org; delete from territory_node;`;
    await database.exec(wipe);
    await seedDatabase(database, { scale: 'test', passwordHash });
    expect(await digest()).toEqual(first);
    await database.exec(wipe);
    await seedDatabase(database, { scale: 'test', passwordHash, seed: 7 });
    const other = await digest();
    expect(other.person).not.toBe(first.person);
    expect(other.territory).not.toBe(first.territory);
  }, 30_000);
});
