/**
 * Data scope over every route: a community worker of 西陵社区 (330108001001) asks for another community's
 * records through every operation in /openapi.json and gets 403/404 — never data — and changes nothing.
 * Routes are enumerated from the OpenAPI document, so a new route is covered (or fails for want of a fixture)
 * without anyone remembering to add it here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from './helpers.js';

/** Routes about the caller themselves or public by nature; each with the reason it is not scoped. */
const unscoped: Record<string, string> = {
  'POST /api/v1/auth/login': 'public: logging in',
  'POST /api/v1/auth/logout': 'ends the caller\'s own session',
  'GET /api/v1/auth/me': 'the caller\'s own profile',
  'POST /api/v1/auth/password': 'the caller\'s own password',
  'GET /api/v1/config': 'public client configuration',
};

const FOREIGN_COMMUNITY = '330108002001'; // 长河街道's first community
const FOREIGN_STREET = '330108002';

interface Physical { compound: string; building: string; room: string; person: number }
interface Fixtures { ownJob: string; foreignJob: string; own: Physical; foreign: Physical; foreignOrg: string; foreignUnitOrg: string; foreignUserId: number; ownOrg: string; ownUserId: number; lng: number; lat: number; foreignNames: string[] }

describe('authorization: another community\'s records are never served', () => {
  let t: TestContext;
  let token: string;
  let f: Fixtures;
  let operations: { method: string; path: string; op: Record<string, any> }[];

  beforeAll(async () => {
    t = await createTestContext();
    token = await t.login('community.330108001001');
    const q = async <T>(sql: string) => (await t.database.query<T>(sql))[0]!;
    const foreignOrg = await q<{ code: string }>(`select code from party_org where territory_code = '${FOREIGN_COMMUNITY}' order by code limit 1`);
    const ownOrg = await q<{ code: string }>(`select code from party_org where territory_code = '330108001001' order by code limit 1`);
    const unit = await q<{ code: string }>(`select o.code from party_org o join territory_node t on t.code = o.territory_code
      where o.kind = 'unit_org' and not t.path <@ '330108.330108001.330108001001'
        and not exists (select 1 from party_org_alliance_member m join party_org a on a.code = m.alliance_code
          join territory_node at on at.code = a.territory_code where m.member_code = o.code and at.path <@ '330108.330108001.330108001001')
      order by o.code limit 1`);
    const foreignUser = await q<{ id: number }>(`select id from app_user where username = 'community.${FOREIGN_COMMUNITY}'`);
    const ownUser = await q<{ id: number }>(`select id from app_user where username like 'grid.330108001001%' order by id limit 1`);
    const point = await q<{ lng: number; lat: number }>(`select ST_X(p) as lng, ST_Y(p) as lat from
      (select ST_PointOnSurface(boundary) as p from territory_node where code = '${FOREIGN_COMMUNITY}001001') s`);
    const names = await t.database.query<{ name: string }>(`select name from territory_node where code in ('${FOREIGN_COMMUNITY}', '${FOREIGN_STREET}')`);
    // a resident's room, building and compound in each community (archive routes)
    const physical = (community: string) => q<Physical>(`select c.code as compound, b.code as building, rn.code as room, r.person_id::int as person
      from residence r join territory_node rn on rn.code = r.room_code join territory_node u on u.code = rn.parent_code
      join territory_node b on b.code = u.parent_code join territory_node c on c.code = b.parent_code
      where c.parent_code = '${community}' and r.moved_out is null order by r.id limit 1`);
    // import jobs are private to their creator: one of the caller's own, one of the other community's worker
    const job = async (username: string) => (await q<{ id: string }>(`insert into import_job (kind, mode, file_name, created_by, status, error_report)
      select 'residents', 'valid_rows', 'probe.csv', id, 'succeeded', '\\x00'::bytea from app_user where username = '${username}' returning id::text as id`)).id;
    f = { ownJob: await job('community.330108001001'), foreignJob: await job(`community.${FOREIGN_COMMUNITY}`), own: await physical('330108001001'), foreign: await physical(FOREIGN_COMMUNITY), foreignOrg: foreignOrg.code, foreignUnitOrg: unit.code, foreignUserId: foreignUser.id, ownOrg: ownOrg.code, ownUserId: ownUser.id,
      lng: point.lng, lat: point.lat, foreignNames: names.map((n) => n.name) };
    const spec = t.app.swagger() as unknown as { paths: Record<string, Record<string, Record<string, any>>> };
    operations = Object.entries(spec.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, op })))
      .filter((o) => o.path.startsWith('/api/'));
  });
  afterAll(async () => t.close());

  function paramValue(path: string, name: string, own: boolean): string {
    if (name === 'code') {
      if (path.startsWith('/api/v1/territory/')) return own ? '330108001001' : FOREIGN_COMMUNITY;
      if (path.startsWith('/api/v1/org/')) return own ? f.ownOrg : f.foreignOrg;
    }
    if (name === 'id' && path.startsWith('/api/v1/users/')) return String(own ? f.ownUserId : f.foreignUserId);
    if (name === 'memberCode') return f.foreignUnitOrg;
    if (name === 'kind' && path.startsWith('/api/v1/imports/')) return own ? 'residents' : 'not_a_kind';
    if (name === 'id' && path.startsWith('/api/v1/imports/')) return own ? f.ownJob : f.foreignJob;
    if (path.startsWith('/api/v1/archive/')) {
      const p = own ? f.own : f.foreign;
      if (name === 'id') return String(p.person);
      if (path.includes('/compounds/') || path.includes('/counts/')) return p.compound;
      if (path.includes('/buildings/')) return p.building;
      if (path.includes('/rooms/')) return p.room;
    }
    throw new Error(`no fixture for path parameter {${name}} of ${path}: add one to authorization.test.ts`);
  }

  function queryFor(path: string): string {
    if (path === '/api/v1/territory/locate') return `?lng=${f.lng}&lat=${f.lat}`;
    if (path.endsWith('/search')) return `?q=${encodeURIComponent('长河')}`;
    return '';
  }

  function bodyFor(method: string, path: string): unknown {
    if (method === 'PATCH') return path.startsWith('/api/v1/users') ? { displayName: '越权修改' } : { name: '越权修改' };
    if (path === '/api/v1/territory/nodes') return { parentCode: FOREIGN_COMMUNITY, kind: 'grid', name: '越权网格' };
    if (path === '/api/v1/org/nodes') return { parentCode: f.foreignOrg, kind: 'branch', name: '越权支部' };
    if (path === '/api/v1/users') return { username: 'authz.probe', displayName: '越权', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: [FOREIGN_COMMUNITY] };
    if (path.endsWith('/alliance-members')) return { memberCode: f.foreignUnitOrg };
    if (path === '/api/v1/archive/visits') return { roomCode: f.foreign.room, note: '越权走访' };
    if (path.endsWith('/unmask')) return { reason: '越权查看原文', fields: ['name', 'idNumber'] };
    return undefined;
  }

  const state = async () => (await t.database.query<Record<string, number>>(`select
      (select count(*) from territory_node)::int as nodes, (select count(*) from party_org)::int as orgs,
      (select count(*) from app_user)::int as users, (select count(*) from audit_log)::int as audits,
      (select count(*) from party_org_alliance_member)::int as members,
      (select md5(string_agg(code || name, ',' order by code)) from territory_node where path <@ '330108.330108002') as foreign_names`))[0];

  it('covers every /api route in the OpenAPI document', () => {
    expect(operations.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses or filters every scoped route and changes nothing', async () => {
    const before = await state();
    const results: string[] = [];
    for (const { method, path } of operations) {
      const key = `${method} ${path}`;
      if (unscoped[key]) continue;
      const hasParams = /\{(\w+)\}/.test(path);
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(path, name, false)) + queryFor(path);
      const res = await t.call(token, method, url, bodyFor(method, path));
      const text = res.body;
      const leaked = f.foreignNames.some((n) => text.includes(n)) || text.includes(FOREIGN_COMMUNITY) || text.includes(f.foreignOrg);
      results.push(`${key} → ${res.statusCode}`);
      if (hasParams || method !== 'GET') {
        expect([400, 403, 404], `${key} answered ${res.statusCode}: ${text.slice(0, 200)}`).toContain(res.statusCode);
      } else {
        expect([200, 403], `${key} answered ${res.statusCode}`).toContain(res.statusCode);
      }
      expect(leaked, `${key} leaked another community's data: ${text.slice(0, 300)}`).toBe(false);
    }
    expect(await state()).toEqual(before);
    expect(results.length).toBeGreaterThan(15);
  });

  it('serves the same routes inside the caller\'s own community (the test is not vacuous)', async () => {
    for (const { method, path } of operations) {
      if (method !== 'GET' || !/\{(\w+)\}/.test(path) || path.includes('memberCode')) continue;
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(path, name, true));
      const res = await t.call(token, method, url);
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(200);
    }
  });
});
