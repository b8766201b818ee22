import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

describe('user and role administration', () => {
  let t: TestContext;
  let admin: string;
  let street: string;
  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
    street = await t.login('street.330108001');
  });
  afterAll(async () => t.close());

  it('lists the ten roles of SPEC.md with their permissions', async () => {
    const roles = (await t.call(admin, 'GET', '/api/v1/roles')).json().items;
    expect(roles.map((r: { code: string }) => r.code).sort()).toEqual([
      'community_staff', 'department_staff', 'district_admin', 'grid_worker', 'part_time_member', 'party_member',
      'property_partner', 'resident', 'street_staff', 'unit_party_org']);
  });

  it('a street administrator sees only users inside the street', async () => {
    const items: { username: string; scope: { codes: string[] } }[] = [];
    let cursor: string | null = null;
    do {
      const res: { items: typeof items; nextCursor: string | null } = (await t.call(street, 'GET', `/api/v1/users?limit=50${cursor ? `&cursor=${cursor}` : ''}`)).json();
      items.push(...res.items);
      cursor = res.nextCursor;
    } while (cursor);
    expect(items.length).toBeGreaterThan(5);
    for (const u of items) for (const c of u.scope.codes) expect(c.startsWith('330108001')).toBe(true);
    expect(items.map((u) => u.username)).not.toContain('admin');
  });

  it('creates a grid worker with a one-time initial password that meets the policy; masks the mobile', async () => {
    const res = await t.call(street, 'POST', '/api/v1/users', {
      username: 'wang.grid', displayName: '王网格', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: ['330108001001001'], mobile: '13812345678',
    });
    expect(res.statusCode).toBe(201);
    const { user, initialPassword } = res.json();
    expect(initialPassword).toMatch(/^(?=.*[A-Z])(?=.*[a-z])(?=.*\d).{12}$/);
    expect(user).toMatchObject({ username: 'wang.grid', roles: ['grid_worker'], scope: { kind: 'subtree', codes: ['330108001001001'] }, mobile: '138****5678', mustChangePassword: true });
    const dup = await t.call(street, 'POST', '/api/v1/users', { username: 'wang.grid', displayName: 'x', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: ['330108001001'] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.field).toBe('username');
  });

  it('never grants more than the granter holds', async () => {
    const wider = await t.call(street, 'POST', '/api/v1/users', { username: 'too.wide', displayName: 'x', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: ['330108002'] });
    expect(wider.statusCode).toBe(404);
    expect(wider.json().error.field).toBe('scopeCodes');
    const escalate = await t.call(street, 'POST', '/api/v1/users', { username: 'too.strong', displayName: 'x', roles: ['district_admin'], scopeKind: 'subtree', scopeCodes: ['330108001'] });
    expect(escalate.statusCode).toBe(403);
    const all = await t.call(street, 'POST', '/api/v1/users', { username: 'too.all', displayName: 'x', roles: ['grid_worker'], scopeKind: 'all' });
    expect(all.statusCode).toBe(403);
    const [{ n }] = (await t.database.query<{ n: number }>(`select count(*)::int as n from app_user where username like 'too.%'`)) as [{ n: number }];
    expect(n).toBe(0);
  });

  it('resets a password (ending the user\'s sessions), unlocks and disables', async () => {
    const target = await t.login('community.330108001002');
    const [{ id }] = (await t.database.query<{ id: number }>(`select id from app_user where username = 'community.330108001002'`)) as [{ id: number }];
    const reset = await t.call(street, 'POST', `/api/v1/users/${id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    expect((await t.call(target, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    await t.login('community.330108001002', reset.json().initialPassword);

    await t.database.query(`update app_user set locked_until = now() + interval '10 minutes' where id = $1`, [id]);
    const unlocked = await t.call(street, 'POST', `/api/v1/users/${id}/unlock`);
    expect(unlocked.json().lockedUntil).toBeNull();

    const disabled = await t.call(street, 'PATCH', `/api/v1/users/${id}`, { status: 'disabled' });
    expect(disabled.json().status).toBe('disabled');
    const login = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'community.330108001002', password: reset.json().initialPassword });
    expect(login.statusCode).toBe(401);
    const audit = (await t.call(admin, 'GET', `/api/v1/audit?targetType=user&targetId=${id}`)).json().items.map((i: { action: string }) => i.action);
    expect(audit).toEqual(['user.update', 'user.unlock', 'user.password_reset']);
  });

  it('replays a POST with the same Idempotency-Key instead of doing it twice', async () => {
    const body = { parentCode: '330108001001', kind: 'compound', name: '幂等小区' };
    const count = async () => ((await t.database.query<{ n: number }>(`select count(*)::int as n from territory_node where name = '幂等小区'`))[0]!).n;
    const first = await t.call(street, 'POST', '/api/v1/territory/nodes', body, { 'idempotency-key': 'k-123' });
    const second = await t.call(street, 'POST', '/api/v1/territory/nodes', body, { 'idempotency-key': 'k-123' });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.headers['idempotent-replay']).toBe('true');
    expect(second.json()).toEqual(first.json());
    expect(await count()).toBe(1);
    // responses carrying a one-time password are never stored for replay
    const user = { username: 'idem.user', displayName: '幂等', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: ['330108001001'] };
    expect((await t.call(street, 'POST', '/api/v1/users', user, { 'idempotency-key': 'k-456' })).statusCode).toBe(201);
    const rows = await t.database.query(`select 1 from idempotency_key where key = 'k-456'`);
    expect(rows).toHaveLength(0);
  });
});
