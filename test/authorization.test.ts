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
  'POST /api/v1/auth/totp/enroll': 'the caller\'s own second factor',
  'POST /api/v1/auth/totp/confirm': 'the caller\'s own second factor',
  'GET /api/v1/config': 'public client configuration',
  'GET /api/v1/service/communities/{code}/registration-qr': 'public: a community\'s registration QR is printed on posters',
  'GET /api/v1/service/communities/{code}/signup': 'public: the page the QR opens names its community and compounds, no person',
  'POST /api/v1/service/communities/{code}/signup': 'public: 码上报到 creates an account for someone who has none (refused to a session)',
  'GET /api/v1/notifications/stream': 'the caller\'s own inbox, as a live stream',
  'GET /api/v1/notifications': 'the caller\'s own inbox',
  'GET /api/v1/notifications/unread-count': 'the caller\'s own inbox',
  'POST /api/v1/notifications/read-all': 'the caller\'s own inbox',
  'POST /api/v1/files': 'the caller\'s own upload',
  'GET /api/v1/forces/skills': 'dictionary',
  'GET /api/v1/forces/post-kinds': 'dictionary',
  'GET /api/v1/service/order-states': 'dictionary',
  'GET /api/v1/cases/calendar': 'dictionary: the work calendar (statutory holidays and 调休), the same for everyone',
  'POST /api/v1/cases/intake/camera': 'public: a detector authenticates with its API key (X-Api-Key), bounded to the key\'s jurisdiction',
  'GET /api/v1/cases/intake/hotline/template': 'the same blank template for every desk',
  'GET /api/v1/cases/home-area': 'the outline of the caller\'s own home community',
};

/** GET routes with parameters left out of the positive control, each with the reason. */
const notInPositiveControl: Record<string, string> = {
  'GET /api/v1/service/calls/{id}/stream': 'a live stream never ends; the call itself is read by GET /calls/{id}',
  'GET /api/v1/files/{id}': 'fixture rows carry no stored bytes',
};

const FOREIGN_COMMUNITY = '330108002001'; // 长河街道's first community
const FOREIGN_STREET = '330108002';

interface Physical { compound: string; building: string; room: string; person: number }
/** One record of each service-loop kind in a community (issue 4), created for the test. */
interface ServiceSet { force: number; resource: number; team: number; contact: number; registration: number; post: number; need: number;
  project: number; order: number; task: number; claim: number; call: number; record: number; notification: number; file: string; unitOrg: string;
  civicCase: number }

async function serviceSet(t: TestContext, community: string, staffUser: string): Promise<ServiceSet> {
  const one = async <T>(text: string, params: unknown[] = []) => (await t.database.query<T>(text, params))[0]!;
  const c = await one<{ path: string }>(`select path::text as path from territory_node where code = $1`, [community]);
  // two residents of the community who are not yet in the forces register
  const people = await t.database.query<{ person_id: number; household_id: number }>(`select r.person_id::int as person_id, r.household_id::int as household_id
    from residence r join territory_node rn on rn.code = r.room_code
    where rn.path <@ cast($1 as ltree) and r.moved_out is null and r.household_id is not null
      and not exists (select 1 from force_person f where f.person_id = r.person_id)
      and not exists (select 1 from member_registration m where m.person_id = r.person_id)
      and not exists (select 1 from party_mass_contact pc where pc.household_id = r.household_id and pc.until is null)
    order by r.id limit 2`, [c.path]);
  const [a, b] = people as [{ person_id: number; household_id: number }, { person_id: number; household_id: number }];
  const staff = await one<{ id: number }>(`select id from app_user where username = $1`, [staffUser]);
  const id = async (text: string, params: unknown[]) => (await one<{ id: number }>(text, params)).id;
  const force = await id(`insert into force_person (person_id, kind, community_code, community_path, skills)
    values ($1, 'volunteer', $2, cast($3 as ltree), '{legal}') returning id`, [a.person_id, community, c.path]);
  const unitOrg = (await one<{ code: string }>(`select code from party_org where kind = 'unit_org' and territory_code = $1 order by code limit 1`, [community]))?.code;
  const order = await id(`insert into service_order (service_no, community_code, community_path, title)
    values ('FWAUTHZ' || $1, $1, cast($2 as ltree), '授权测试订单') returning id`, [community, c.path]);
  const task = await id(`insert into service_task (title, scope_code, scope_path, capacity, starts_at, ends_at)
    values ('授权测试任务', $1, cast($2 as ltree), 5, now(), now() + interval '1 day') returning id`, [community, c.path]);
  const claim = await id(`insert into task_claim (task_id, force_id) values ($1, $2) returning id`, [task, force]);
  return {
    force, order, task, claim, unitOrg: unitOrg ?? '',
    resource: await id(`insert into force_resource (community_code, kind, name) values ($1, 'venue', '授权测试场地') returning id`, [community]),
    team: await id(`insert into force_team (community_code, kind, name) values ($1, 'volunteer', '授权测试队') returning id`, [community]),
    contact: await id(`insert into party_mass_contact (force_id, household_id, slot) values ($1, $2, 1) returning id`, [force, a.household_id]),
    registration: await id(`insert into member_registration (person_id, community_code, home_code, work_unit)
      values ($1, $2, $2, '授权测试单位') returning id`, [b.person_id, community]),
    post: await id(`insert into service_post (community_code, kind_code, title, capacity) values ($1, 'legal_aid', '授权测试岗位', 3) returning id`, [community]),
    need: await id(`insert into community_need (community_code, title, category) values ($1, '授权测试需求', 'other') returning id`, [community]),
    project: await id(`insert into coop_project (community_code, title, kind) values ($1, '授权测试项目', 'co_build') returning id`, [community]),
    call: await id(`insert into mobilisation_call (title, scope_code, scope_path) values ('授权测试召集', $1, cast($2 as ltree)) returning id`, [community, c.path]),
    record: await id(`insert into service_record (force_id, source, community_code, title, served_on, hours, hour_cap)
      values ($1, 'post', $2, '授权测试服务', current_date, 1, 4) returning id`, [force, community]),
    notification: await id(`insert into notification (recipient_user_id, kind, title) values ($1, 'system', '授权测试通知') returning id`, [staff.id]),
    file: (await one<{ id: string }>(`insert into stored_file (sha256, content_type, size, created_by)
      values (repeat('a', 64), 'image/png', 10, $1) returning id::text as id`, [staff.id])).id,
    // a case routed to the community's first micro-grid (issue 5)
    civicCase: await id(`insert into civic_case (service_no, channel, category_code, description, location, territory_path, street_code,
        community_code, grid_code, micro_grid_code, handler_tier, handler_code, step_deadline, accept_deadline)
      select 'AJAUTHZ' || m.code, 'h5', '0103', '授权测试案件', ST_PointOnSurface(m.boundary), m.path, subpath(m.path, 1, 1)::text,
        subpath(m.path, 2, 1)::text, subpath(m.path, 3, 1)::text, m.code, 'micro_grid', m.code, now() + interval '1 day', now() + interval '1 day'
      from territory_node m where m.kind = 'micro_grid' and m.path <@ cast($1 as ltree) order by m.code limit 1 returning id`, [c.path]),
  };
}

interface Fixtures { ownService: ServiceSet; foreignService: ServiceSet; ownJob: string; foreignJob: string; own: Physical; foreign: Physical; foreignOrg: string; foreignUnitOrg: string; foreignUserId: number; ownOrg: string; ownUserId: number; lng: number; lat: number; foreignNames: string[] }

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
    f = { ownService: await serviceSet(t, '330108001001', 'community.330108001001'),
      foreignService: await serviceSet(t, FOREIGN_COMMUNITY, `community.${FOREIGN_COMMUNITY}`),
      ownJob: await job('community.330108001001'), foreignJob: await job(`community.${FOREIGN_COMMUNITY}`), own: await physical('330108001001'), foreign: await physical(FOREIGN_COMMUNITY), foreignOrg: foreignOrg.code, foreignUnitOrg: unit.code, foreignUserId: foreignUser.id, ownOrg: ownOrg.code, ownUserId: ownUser.id,
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
    const svc = own ? f.ownService : f.foreignService;
    if (name === 'code' && path.startsWith('/api/v1/service/communities/')) return own ? '330108001001' : FOREIGN_COMMUNITY;
    if (name === 'orgCode') return own ? f.ownService.unitOrg : f.foreignUnitOrg;
    if (name === 'forceId') return String(svc.force);
    if (name === 'day') return '2026-12-01';
    if (name === 'claimId') return String(svc.claim);
    if (name === 'id') {
      const byPrefix: [string, string | number][] = [
        ['/api/v1/forces/contacts/', svc.contact], ['/api/v1/forces/persons/', svc.force], ['/api/v1/forces/resources/', svc.resource],
        ['/api/v1/forces/teams/', svc.team], ['/api/v1/notifications/', svc.notification], ['/api/v1/files/', svc.file],
        ['/api/v1/service/calls/', svc.call], ['/api/v1/service/needs/', svc.need], ['/api/v1/service/orders/', svc.order],
        ['/api/v1/service/posts/', svc.post], ['/api/v1/service/projects/', svc.project], ['/api/v1/service/records/', svc.record],
        ['/api/v1/service/registrations/', svc.registration], ['/api/v1/service/tasks/', svc.task],
        ['/api/v1/cases/intake/keys/', 'ffffffffffff'], // API keys are no community's records: refused for want of case:admin
        ['/api/v1/cases/', svc.civicCase],
      ];
      const hit = byPrefix.find(([prefix]) => path.startsWith(prefix));
      if (hit) return String(hit[1]);
    }
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
    // issue 5: the case lists, rates and maps asked for the other community
    if (path === '/api/v1/cases/calendar') return '?year=2026';
    if (/^\/api\/v1\/cases(\/rates(\/[a-z]+)?|\/map|\/heat|\/wishes)?$/.test(path)) {
      return `?scopeCode=${FOREIGN_COMMUNITY}&communityCode=${FOREIGN_COMMUNITY}&from=2026-01-01&to=2026-12-31`;
    }
    if (path.endsWith('/search')) return `?q=${encodeURIComponent('长河')}`;
    // issue 4 lists name the community or scope they list: ask for the other community's
    if (/^\/api\/v1\/(service|forces)\/[a-z-]+$/.test(path) || path === '/api/v1/forces/contacts/summary') {
      return `?communityCode=${FOREIGN_COMMUNITY}&scopeCode=${FOREIGN_COMMUNITY}`;
    }
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
    // issue 4: creations that name another community
    const soon = new Date(Date.now() + 3_600_000).toISOString();
    const later = new Date(Date.now() + 7_200_000).toISOString();
    if (path === '/api/v1/service/tasks') return { title: '越权任务', size: 'micro', scopeCode: FOREIGN_COMMUNITY, capacity: 5, startsAt: soon, endsAt: later };
    if (path === '/api/v1/service/calls') return { title: '越权召集', message: '越权', scopeCode: FOREIGN_COMMUNITY,
      tasks: [{ title: '越权任务', capacity: 5, startsAt: soon, endsAt: later }] };
    if (path === '/api/v1/service/posts') return { communityCode: FOREIGN_COMMUNITY, kindCode: 'legal_aid', title: '越权岗位', capacity: 3 };
    if (path === '/api/v1/service/needs') return { communityCode: FOREIGN_COMMUNITY, title: '越权需求', category: 'other' };
    if (path === '/api/v1/service/projects') return { communityCode: FOREIGN_COMMUNITY, title: '越权项目', kind: 'co_build' };
    if (path === '/api/v1/forces/resources') return { communityCode: FOREIGN_COMMUNITY, kind: 'venue', name: '越权场地' };
    if (path === '/api/v1/forces/teams') return { communityCode: FOREIGN_COMMUNITY, kind: 'volunteer', name: '越权队伍' };
    if (path === '/api/v1/forces/contacts') return { forceId: f.foreignService.force, householdId: 1 };
    if (path === '/api/v1/forces/contacts/auto-assign') return { communityCode: FOREIGN_COMMUNITY };
    if (path === '/api/v1/cases') return { categoryCode: '0103', lng: f.lng, lat: f.lat, description: '越权登记案件' };
    if (path.startsWith('/api/v1/cases/') && path.endsWith('/actions')) return { action: 'void', note: '越权作废' };
    return undefined;
  }

  const state = async () => (await t.database.query<Record<string, number>>(`select
      (select count(*) from territory_node)::int as nodes, (select count(*) from party_org)::int as orgs,
      (select count(*) from app_user)::int as users, (select count(*) from audit_log)::int as audits,
      (select count(*) from party_org_alliance_member)::int as members,
      (select count(*) from force_person)::int as forces, (select count(*) from force_resource)::int as resources,
      (select count(*) from force_team_member)::int as team_members, (select count(*) from party_mass_contact where until is null)::int as contacts,
      (select count(*) from member_registration where status = 'pending')::int as pending, (select count(*) from service_post_holder)::int as holders,
      (select count(*) from community_need)::int as needs, (select count(*) from coop_project)::int as projects,
      (select count(*) from coop_project_unit)::int as project_units, (select count(*) from project_pledge)::int as pledges,
      (select count(*) from service_order_event)::int as order_events, (select count(*) from service_task)::int as tasks,
      (select count(*) from task_claim where status = 'claimed')::int as claims, (select count(*) from mobilisation_call where closed_at is null)::int as calls,
      (select count(*) from service_record where status = 'pending')::int as records, (select count(*) from service_rating)::int as ratings,
      (select count(*) from member_talk)::int as talks, (select count(*) from member_negative_item)::int as negatives,
      (select count(*) from notification_read)::int as reads,
      (select count(*) from civic_case)::int as cases, (select count(*) from civic_case_step)::int as case_steps,
      (select count(*) from case_follow)::int as case_follows, (select count(*) from case_api_key)::int as api_keys,
      (select md5(string_agg(yellow_after_days || '/' || red_after_days, ',')) from case_policy) as case_policy,
      (select count(*) from work_calendar_day)::int as calendar_days,
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
        expect.soft([400, 403, 404], `${key} answered ${res.statusCode}: ${text.slice(0, 200)}`).toContain(res.statusCode);
      } else {
        // a list asked for another community's records may also answer 404 (the scope itself is private)
        expect.soft([200, 403, ...(queryFor(path).includes(FOREIGN_COMMUNITY) ? [404] : [])], `${key} answered ${res.statusCode}: ${text.slice(0, 200)}`).toContain(res.statusCode);
      }
      expect.soft(leaked, `${key} leaked another community's data: ${text.slice(0, 300)}`).toBe(false);
    }
    expect(await state()).toEqual(before);
    expect(results.length).toBeGreaterThan(15);
  });

  it('serves the same routes inside the caller\'s own community (the test is not vacuous)', async () => {
    for (const { method, path } of operations) {
      if (method !== 'GET' || !/\{(\w+)\}/.test(path) || path.includes('memberCode') || notInPositiveControl[`${method} ${path}`]) continue;
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(path, name, true));
      const res = await t.call(token, method, url);
      expect(res.statusCode, `${method} ${url}: ${res.body.slice(0, 200)}`).toBe(200);
    }
  });
});
