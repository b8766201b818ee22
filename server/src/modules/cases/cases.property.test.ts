/**
 * Property companies in the case loop (三方协同, issue 11): a property-class report inside a compound goes to its
 * property company, which accepts and feeds back with photos; the community verifies and the reporter rates. The
 * company sees only the cases at its seat, its own figures, and its compound's page without any person.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { uploadPhoto } from '../orders/test-factory.js';
import { caseActions } from './test-factory.js';

const XILING = '330108001001';

describe('cases: the property company accepts, feeds back and is rated', () => {
  let t: TestContext;
  let resident: string; let property: string; let staff: string; let otherStaff: string; let grid: string;
  let compound: { code: string; path: string; grid: string };
  let inside: { lng: number; lat: number };
  let elsewhere: { lng: number; lat: number };
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const report = async (body: Record<string, unknown>) => {
    const res = await t.call(resident, 'POST', '/api/v1/cases', { categoryCode: '0303', ...inside, description: '楼顶水箱漏水，顺着楼道往下渗', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const { act, ok } = caseActions(() => t);
  const count = async () => (await q<{ n: number }>(`select (select count(*) from civic_case_step)::int + (select count(*) from audit_log)::int as n`))[0]!.n;

  beforeAll(async () => {
    t = await createTestContext();
    const [p] = await q<{ username: string; code: string; path: string; grid: string }>(`select u.username, k.code, k.path::text as path, k.grid_code as grid
      from app_user u join app_user_role ur on ur.user_id = u.id and ur.role_code = 'property_partner'
      join territory_node k on k.code = u.scope_codes[1] order by u.id limit 1`);
    compound = { code: p!.code, path: p!.path, grid: p!.grid };
    // a building of the compound, and a building of another compound of the community
    [inside] = await q<{ lng: number; lat: number }>(`select ST_X(b.location) as lng, ST_Y(b.location) as lat from territory_node b
      where b.kind = 'building' and b.parent_code = $1 order by b.code limit 1`, [compound.code]) as [{ lng: number; lat: number }];
    [elsewhere] = await q<{ lng: number; lat: number }>(`select ST_X(b.location) as lng, ST_Y(b.location) as lat from territory_node b
      join territory_node k on k.code = b.parent_code
      where b.kind = 'building' and k.kind = 'compound' and k.parent_code = $1 and k.code <> $2
        and not ST_Covers((select boundary from territory_node where code = $2), b.location) order by b.code limit 1`, [XILING, compound.code]) as [{ lng: number; lat: number }];
    [resident, property, staff, otherStaff, grid] = await Promise.all(['resident.demo', p!.username, `community.${XILING}`, 'community.330108001002',
      `grid.${compound.grid}`].map((u) => t.login(u))) as [string, string, string, string, string];
  });
  afterAll(async () => t.close());

  it('routes a property matter inside the compound to its property company, which accepts and feeds back with a photo; the community verifies and the resident rates', async () => {
    const made = await report({});
    expect(made).toMatchObject({ state: 'reported', handlerTier: 'property', communityCode: XILING });
    expect(made.handlerName).toContain('物业');
    // the company is told; the grid worker of that grid is not (it is not their case)
    const told = await q<{ username: string }>(`select u.username from notification n join app_user u on u.id = n.recipient_user_id
      where n.ref_type = 'civic_case' and n.ref_id = $1`, [String(made.id)]);
    expect(told.map((x) => x.username)).toEqual([expect.stringMatching(/^property\./)]);

    // in its list, and on the case page with exactly the company's actions
    const list = await t.call(property, 'GET', '/api/v1/cases/property?state=reported');
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json().items.map((c: { id: number }) => c.id)).toContain(made.id);
    expect(list.json().items[0].reporterName).toMatch(/\*/);
    const page = (await t.call(property, 'GET', `/api/v1/cases/${made.id}`)).json();
    expect(page.viewerKinds).toEqual(['property']);
    expect(page.allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['accept', 'return']);
    // what the table does not give the company is refused and changes nothing
    const before = await count();
    const voiding = await act(property, made.id, { action: 'void', note: '不是我们的事' });
    expect(voiding.statusCode).toBe(409);
    expect(voiding.json().error.code).toBe('INVALID_TRANSITION');
    expect(await count()).toBe(before);

    const accepted = await ok(property, made.id, { action: 'accept' });
    expect(accepted.case.state).toBe('handling');
    expect(accepted.steps.at(-1)).toMatchObject({ action: 'accept', actorKind: 'property' });
    expect(accepted.allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['extend', 'resolve', 'return']);

    // feedback needs words or a photo; a photo must be the company's own upload
    const empty = await act(property, made.id, { action: 'resolve' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.field).toBe('note');
    const theirs = await uploadPhoto(t, resident);
    const foreign = await act(property, made.id, { action: 'resolve', note: '已修好', photos: [theirs.body.id] });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.field).toBe('photos');
    const photo = await uploadPhoto(t, property);
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    const resolved = await ok(property, made.id, { action: 'resolve', note: '已更换水箱进水阀，楼道清理干净', photos: [photo.body.id] });
    expect(resolved.case.state).toBe('resolved');
    expect(resolved.case.resultPhotos.map((f: { id: string }) => f.id)).toEqual([photo.body.id]);
    // the company reads the reporter's photos of its case and its own; nobody outside reads them
    expect((await t.call(property, 'GET', `/api/v1/files/${photo.body.id}`)).statusCode).toBe(200);
    expect((await t.call(otherStaff, 'GET', `/api/v1/files/${photo.body.id}`)).statusCode).toBe(404);

    // the community verifies: the case waits in its own queue, and the company cannot verify itself
    expect((await act(property, made.id, { action: 'verify' })).statusCode).toBe(409);
    const mine = (await t.call(staff, 'GET', '/api/v1/cases?queue=mine&limit=200')).json();
    expect(mine.items.map((c: { id: number }) => c.id)).toContain(made.id);
    const verified = await ok(staff, made.id, { action: 'verify' });
    expect(verified.case.state).toBe('rating');
    const rated = await ok(resident, made.id, { action: 'rate', satisfaction: 'satisfied', note: '物业来得很快' });
    expect(rated.case).toMatchObject({ state: 'closed', satisfaction: 'satisfied' });

    // its rating: the satisfaction of the cases it handled, and the cases behind the figure
    const summary = (await t.call(property, 'GET', '/api/v1/cases/property/summary')).json();
    expect(summary.compounds.map((k: { code: string }) => k.code)).toEqual([compound.code]);
    expect(summary.satisfaction).toEqual({ numerator: 1, denominator: 1, rate: 1 });
    expect(summary.resolution.numerator).toBe(1);
    expect(summary.states.closed).toBe(1);
    const behind = (await t.call(property, 'GET', '/api/v1/cases/property?measure=satisfaction&met=true')).json();
    expect(behind.items.map((c: { id: number }) => c.id)).toEqual([made.id]);
    expect((await t.call(property, 'GET', `/api/v1/cases/${made.id}`)).statusCode).toBe(200);
  });

  it('sees no other case: other categories, other compounds, the desk\'s list', async () => {
    const noise = await report({ categoryCode: '0103', description: '电动车堵在单元门口' });
    expect(noise.handlerTier).not.toBe('property');
    const outside = await report({ ...elsewhere, description: '隔壁小区地下室漏水' });
    expect(outside.handlerTier).not.toBe('property');
    for (const id of [noise.id, outside.id]) {
      const res = await t.call(property, 'GET', `/api/v1/cases/${id}`);
      expect(res.statusCode).toBe(404);
      expect((await act(property, id, { action: 'accept' })).statusCode).toBe(404);
    }
    const listed = (await t.call(property, 'GET', '/api/v1/cases/property?limit=200')).json().items.map((c: { id: number }) => c.id);
    expect(listed).not.toContain(noise.id);
    expect(listed).not.toContain(outside.id);
    expect((await t.call(property, 'GET', '/api/v1/cases')).statusCode).toBe(403);
    expect((await t.call(property, 'GET', '/api/v1/cases/property?state=bogus')).json().error.field).toBe('state');
  });

  it('a community hands a case to the compound\'s property company (交办), which may return it with a reason', async () => {
    const made = await report({ categoryCode: '0501', description: '小区里水泵房夜间噪声很大' });
    expect(made.handlerTier).toBe('grid');
    await ok(grid, made.id, { action: 'accept' });
    // the desk sees the compounds it may hand to; a resident may not ask
    const targets = await t.call(staff, 'GET', `/api/v1/cases/${made.id}/property-targets`);
    expect(targets.statusCode, targets.body).toBe(200);
    expect(targets.json().items.map((k: { code: string }) => k.code)).toContain(compound.code);
    expect((await t.call(resident, 'GET', `/api/v1/cases/${made.id}/property-targets`)).statusCode).toBe(403);
    // another community's compound is no target
    const [foreign] = await q<{ code: string }>(`select code from territory_node where kind = 'compound' and parent_code = '330108001002' order by code limit 1`);
    const wrong = await act(staff, made.id, { action: 'assign', targetOrg: foreign!.code });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('targetOrg');
    const handed = await ok(staff, made.id, { action: 'assign', targetOrg: compound.code });
    expect(handed.case).toMatchObject({ handlerTier: 'property', handlerCode: compound.code, state: 'handling' });
    const page = (await t.call(property, 'GET', `/api/v1/cases/${made.id}`)).json();
    expect(page.allowedActions.map((a: { action: string }) => a.action).sort()).toEqual(['extend', 'resolve', 'return']);
    // returning needs a reason, and goes back to whoever handed it
    expect((await act(property, made.id, { action: 'return' })).json().error.field).toBe('note');
    // the community above it supervises (督办) the company as it does a grid
    const supervised = await ok(staff, made.id, { action: 'supervise', note: '请物业尽快处理' });
    expect(supervised.cards.map((k: { color: string }) => k.color)).toContain('supervise');
    const returned = await ok(property, made.id, { action: 'return', note: '水泵房属供水公司管理，非物业设备' });
    expect(returned.case.handlerTier).toBe('grid');
    const [row] = await q<{ handler_tier: string; handler_code: string }>(`select handler_tier, handler_code from civic_case where id = $1`, [made.id]);
    expect(row).toEqual({ handler_tier: 'grid', handler_code: made.gridCode });
    expect((await t.call(property, 'GET', `/api/v1/cases/${made.id}`)).statusCode).toBe(404);
  });

  it('opens its compound\'s page at the compound level — buildings and counts, no person — and no other archive', async () => {
    const res = await t.call(property, 'GET', `/api/v1/archive/compounds/${compound.code}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = res.json();
    expect(page.buildings.length).toBeGreaterThan(0);
    expect(page.counts.households).toBeGreaterThan(0);
    expect(page.counts.tags).toEqual([]);
    expect(page.posts).toEqual([]);
    expect(page.partners.map((p: { kind: string }) => p.kind)).toContain('property_company');
    for (const p of page.partners) expect(p).toMatchObject({ members: [], contactName: null, contactPhone: null });
    // the community desk still sees the people of the same page (masked)
    const full = (await t.call(staff, 'GET', `/api/v1/archive/compounds/${compound.code}`)).json();
    expect(full.partners.some((p: { members: unknown[] }) => p.members.length > 0)).toBe(true);
    const [other] = await q<{ code: string }>(`select code from territory_node where kind = 'compound' and parent_code = $1 and code <> $2 order by code limit 1`, [XILING, compound.code]);
    expect((await t.call(property, 'GET', `/api/v1/archive/compounds/${other!.code}`)).statusCode).toBe(404);
    expect((await t.call(property, 'GET', `/api/v1/archive/buildings/${page.buildings[0].code}`)).statusCode).toBe(403);
    expect((await t.call(property, 'GET', '/api/v1/archive/persons?q=%E5%BC%A0')).statusCode).toBe(403);
    // what /roles says it can do
    const [role] = await q<{ description: string; permissions: string[] }>(`select description, permissions from role where code = 'property_partner'`);
    expect(role!.description).not.toContain('建设中');
    expect(role!.permissions).toEqual(expect.arrayContaining(['case:property', 'archive:compound']));
    expect(role!.permissions).not.toContain('people:read');
  });
});
