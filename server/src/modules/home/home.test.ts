import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

/** The demo accounts, one per role (as the quick start lists them). */
const ACCOUNTS = ['admin', 'street.330108001', 'community.330108001001', 'parttime.330108001001', 'grid.330108001001001', 'member.demo',
  'unit.demo', 'dept.chengguan', 'property.330108001001c001', 'resident.demo'];

/** To-dos whose count is exactly the length of the list they link to (the others count open items of a longer list). */
const EXACT = new Set(['case.reported', 'case.mine', 'case.overdue', 'case.red', 'case.whistle', 'case.department', 'case.todo', 'case.open',
  'property.reported', 'property.handling', 'visit.due', 'registration.pending', 'order.ordered', 'record.pending', 'import.errors', 'member.posts', 'member.pending', 'resident.orders']);

interface Item { key: string; label: string; count: number; href: string; list: { path: string; query: Record<string, string> }; hint: string | null }

describe('GET /api/v1/home: the to-dos of each role, each count the length of the list it links to', () => {
  let t: TestContext;
  const tokens: Record<string, string> = {};
  const home = async (user: string) => {
    const res = await t.call(tokens[user]!, 'GET', '/api/v1/home');
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { role: string; roleName: string; items: Item[] };
  };
  const listLength = async (user: string, item: Item) => {
    let n = 0;
    let cursor: string | null = null;
    do {
      const query = new URLSearchParams({ ...item.list.query, limit: '100', ...(cursor ? { cursor } : {}) });
      const res = await t.call(tokens[user]!, 'GET', `${item.list.path}?${query}`);
      expect(res.statusCode, `${item.key} → ${item.list.path}?${query}: ${res.body}`).toBe(200);
      const body = res.json() as { items: unknown[]; nextCursor?: string | null };
      n += body.items.length;
      cursor = body.nextCursor ?? null;
    } while (cursor);
    return n;
  };

  beforeAll(async () => {
    t = await createTestContext();
    for (const u of ACCOUNTS) tokens[u] = await t.login(u);
    // something in every desk's queue: a resident's report at a building of 西陵's first grid
    const [point] = await t.database.query<{ lng: number; lat: number }>(`select ST_X(b.location) as lng, ST_Y(b.location) as lat
      from territory_node b where b.kind = 'building' and b.grid_code = '330108001001001' order by b.code limit 1`);
    const filed = await t.call(tokens['resident.demo']!, 'POST', '/api/v1/cases', {
      categoryCode: '0103', description: '楼道里堆满了纸箱，影响通行', lng: point!.lng, lat: point!.lat,
    });
    expect(filed.statusCode, filed.body).toBe(201);
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers every demo account with its main role and to-dos in Chinese, each linking to a page and an API list', async () => {
    for (const user of ACCOUNTS) {
      const h = await home(user);
      expect(h.role, user).not.toBe('');
      expect(h.roleName, user).toMatch(/[\u4e00-\u9fa5]/);
      for (const item of h.items) {
        expect(item.label, item.key).toMatch(/[\u4e00-\u9fa5]/);
        expect(item.count, item.key).toBeGreaterThanOrEqual(0);
        expect(item.href.startsWith('/'), item.key).toBe(true);
        expect(item.list.path.startsWith('/api/v1/'), item.key).toBe(true);
      }
    }
  });

  it('gives each role the to-dos of its work', async () => {
    const keys = async (user: string) => (await home(user)).items.map((i) => i.key);
    expect(await keys('community.330108001001')).toEqual(expect.arrayContaining(['case.reported', 'case.mine', 'case.overdue', 'registration.pending',
      'order.ordered', 'record.pending', 'import.errors']));
    expect(await keys('street.330108001')).toEqual(expect.arrayContaining(['case.mine', 'case.overdue', 'case.red', 'case.whistle']));
    expect(await keys('dept.chengguan')).toEqual(['case.department']);
    expect(await keys('grid.330108001001001')).toEqual(expect.arrayContaining(['case.todo', 'visit.due']));
    expect(await keys('member.demo')).toEqual(expect.arrayContaining(['member.orders', 'member.claims', 'member.posts', 'member.pending']));
    expect(await keys('resident.demo')).toEqual(expect.arrayContaining(['resident.orders', 'resident.cases', 'resident.wishes']));
    expect(await keys('property.330108001001c001')).toEqual(['property.reported', 'property.handling']);
    expect(await keys('unit.demo')).toEqual(expect.arrayContaining(['unit.unregistered', 'unit.pending']));
    expect(await keys('parttime.330108001001')).toEqual(expect.arrayContaining(['case.open', 'registration.pending']));
    // read-only: a part-time member is never given work to do on the desk
    expect(await keys('parttime.330108001001')).not.toContain('case.reported');
    expect(await keys('resident.demo')).not.toContain('registration.pending');
  });

  it('counts exactly what the linked list holds, for every role', async () => {
    let checked = 0;
    for (const user of ACCOUNTS) {
      for (const item of (await home(user)).items) {
        if (!EXACT.has(item.key)) continue;
        expect(await listLength(user, item), `${user} ${item.key}`).toBe(item.count);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(15);
  });

  it("moves a count when the work is done: the grid accepting a case takes it off the desk's 待受理, the grid's 待办 keeps it", async () => {
    const desk = 'community.330108001001', grid = 'grid.330108001001001';
    const count = async (user: string, key: string) => (await home(user)).items.find((i) => i.key === key)!.count;
    const reported = await count(desk, 'case.reported');
    expect(reported).toBeGreaterThan(0);
    const todo = await count(grid, 'case.todo');
    const list = (await t.call(tokens[grid]!, 'GET', '/api/v1/cases?queue=mine&state=reported&limit=1')).json().items as { id: number }[];
    const accept = await t.call(tokens[grid]!, 'POST', `/api/v1/cases/${list[0]!.id}/actions`, { action: 'accept' });
    expect(accept.statusCode, accept.body).toBe(200);
    expect(await count(desk, 'case.reported')).toBe(reported - 1);
    expect(await count(grid, 'case.todo')).toBe(todo);
  });

  it('needs a session', async () => {
    expect((await t.call(null, 'GET', '/api/v1/home')).statusCode).toBe(401);
  });
});
