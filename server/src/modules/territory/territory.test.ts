import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const square = (x: number, y: number, d: number) => ({
  type: 'Polygon', coordinates: [[[x, y], [x + d, y], [x + d, y + d], [x, y + d], [x, y]]],
});

describe('territory tree', () => {
  let t: TestContext;
  let admin: string;
  let xiling: string;
  const counts = async () => (await t.database.query<{ nodes: number; audits: number }>(
    `select (select count(*) from territory_node)::int as nodes, (select count(*) from audit_log)::int as audits`))[0]!;

  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
    xiling = await t.login('community.330108001001');
  });
  afterAll(async () => t.close());

  it('is built on the real division codes of Binjiang', async () => {
    const district = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108')).json();
    expect(district).toMatchObject({ code: '330108', name: '滨江区', kind: 'district', parentCode: null, path: '330108', statCode: '330108000000' });
    const streets = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108/children')).json().items;
    expect(streets.map((s: { code: string; name: string }) => [s.code, s.name])).toEqual([
      ['330108001', '西兴街道'], ['330108002', '长河街道'], ['330108003', '浦沿街道'],
    ]);
    const community = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001001')).json();
    expect(community).toMatchObject({ name: '西陵社区', kind: 'community', parentCode: '330108001', statCode: '330108001001', path: '330108.330108001.330108001001' });
    expect(community.boundary.type).toBe('MultiPolygon');
    expect(community.ancestors.map((a: { name: string }) => a.name)).toEqual(['滨江区', '西兴街道']);
    const { n } = (await t.database.query<{ n: number }>(`select count(*)::int as n from territory_node where kind = 'community' and path <@ '330108'`))[0]!;
    expect(n).toBe(67);
  });

  it('codes grids as community code + 3 digits and micro-grids as grid code + 3 digits', async () => {
    const grids = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001001/children?limit=200')).json().items
      .filter((c: { kind: string }) => c.kind === 'grid');
    expect(grids.length).toBeGreaterThan(0);
    for (const g of grids) expect(g.code).toMatch(/^330108001001\d{3}$/);
    const micro = (await t.call(admin, 'GET', `/api/v1/territory/nodes/${grids[0].code}/children`)).json().items;
    for (const m of micro) expect(m.code).toMatch(new RegExp(`^${grids[0].code}\\d{3}$`));
  });

  it('pages children with an opaque cursor', async () => {
    const first = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001/children?limit=5')).json();
    expect(first.items).toHaveLength(5);
    const second = (await t.call(admin, 'GET', `/api/v1/territory/nodes/330108001/children?limit=5&cursor=${first.nextCursor}`)).json();
    expect(second.items[0].code > first.items[4].code).toBe(true);
    expect((await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001/children?cursor=garbage')).json().error.field).toBe('cursor');
  });

  it('locates a point to its micro-grid, grid, community, street and district', async () => {
    const [p] = await t.database.query<{ lng: number; lat: number; code: string }>(`
      select code, ST_X(ST_PointOnSurface(boundary)) as lng, ST_Y(ST_PointOnSurface(boundary)) as lat
      from territory_node where kind = 'micro_grid' and path <@ '330108.330108002' order by code limit 1`);
    const res = await t.call(admin, 'GET', `/api/v1/territory/locate?lng=${p!.lng}&lat=${p!.lat}`);
    expect(res.statusCode).toBe(200);
    const r = res.json();
    expect(r.microGrid.code).toBe(p!.code);
    expect(r.grid.code).toBe(p!.code.slice(0, 15));
    expect(r.community.code).toBe(p!.code.slice(0, 12));
    expect(r.street).toEqual({ code: '330108002', name: '长河街道' });
    expect(r.district).toEqual({ code: '330108', name: '滨江区' });
    // outside the district: nothing
    expect((await t.call(admin, 'GET', '/api/v1/territory/locate?lng=116.4&lat=39.9')).json()).toEqual(
      { district: null, street: null, community: null, grid: null, microGrid: null });
    expect((await t.call(admin, 'GET', '/api/v1/territory/locate?lng=500&lat=30')).json().error.field).toBe('lng');
  });

  it('answers subtree questions through the materialised path', async () => {
    const [row] = await t.database.query<{ n: number; m: number }>(`
      select count(*) filter (where kind = 'micro_grid')::int as n, count(*)::int as m from territory_node where path <@ '330108.330108001.330108001001'`);
    expect(row!.n).toBeGreaterThan(0);
    expect(row!.m).toBeGreaterThan(row!.n);
  });

  it('serves boundaries as GeoJSON, converted to GCJ-02 on request', async () => {
    const wgs = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001/map')).json();
    const gcj = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001/map?crs=gcj02')).json();
    expect(wgs.type).toBe('FeatureCollection');
    expect(wgs.features[0].properties).toMatchObject({ code: '330108001', role: 'self' });
    const children = (await t.call(admin, 'GET', '/api/v1/territory/nodes/330108001')).json().childCount;
    expect(wgs.features).toHaveLength(1 + children);
    const a = wgs.features[0].geometry.coordinates[0][0][0];
    const b = gcj.features[0].geometry.coordinates[0][0][0];
    // In Hangzhou GCJ-02 lies a few hundred metres from WGS-84: about +0.0047° lng, -0.0025° lat.
    expect(b[0] - a[0]).toBeGreaterThan(0.003);
    expect(b[0] - a[0]).toBeLessThan(0.007);
    expect(a[1] - b[1]).toBeGreaterThan(0.001);
  });

  it('searches by name fragment, pinyin initials and code prefix within scope', async () => {
    const byName = (await t.call(admin, 'GET', `/api/v1/territory/search?q=${encodeURIComponent('西陵')}`)).json().items;
    expect(byName[0]).toMatchObject({ code: '330108001001', name: '西陵社区' });
    const byInitials = (await t.call(admin, 'GET', '/api/v1/territory/search?q=xlsq')).json().items;
    expect(byInitials.map((i: { code: string }) => i.code)).toContain('330108001001');
    const byPinyin = (await t.call(admin, 'GET', '/api/v1/territory/search?q=xiling')).json().items;
    expect(byPinyin.map((i: { code: string }) => i.code)).toContain('330108001001');
    const outOfScope = (await t.call(xiling, 'GET', `/api/v1/territory/search?q=${encodeURIComponent('长河')}`)).json().items;
    expect(outOfScope).toEqual([]);
  });

  it('creates a grid with an allocated code inside its community and audits it', async () => {
    const before = await counts();
    const res = await t.call(xiling, 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'grid', name: '测试网格' });
    expect(res.statusCode).toBe(201);
    const grid = res.json();
    expect(grid.code).toMatch(/^330108001001\d{3}$/);
    expect(grid.path).toBe(`330108.330108001.330108001001.${grid.code}`);
    expect(grid.namePinyin).toBe('ceshiwangge');
    const after = await counts();
    expect(after).toEqual({ nodes: before.nodes + 1, audits: before.audits + 1 });
  });

  describe('bad input gets a 4xx naming the problem and changes nothing', () => {
    const cases: [string, string, string, unknown, number, string, RegExp][] = [
      ['unknown parent', 'POST', '/api/v1/territory/nodes', { parentCode: '330108009999', kind: 'grid', name: 'x' }, 404, 'parentCode', /上级节点不存在/],
      ['wrong kind under parent', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'room', name: 'x' }, 400, 'kind', /社区下不能建立户/],
      ['duplicate code', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'grid', name: 'x', code: '330108001001001' }, 409, 'code', /已存在/],
      ['code not extending the parent', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'grid', name: 'x', code: '330108001002999' }, 400, 'code', /上级编码/],
      ['polygon not closed', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'compound', name: 'x',
        boundary: { type: 'Polygon', coordinates: [[[120.2, 30.2], [120.201, 30.2], [120.201, 30.201], [120.2, 30.201]]] } }, 400, 'boundary', /未闭合/],
      ['self-intersecting polygon', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'compound', name: 'x',
        boundary: { type: 'Polygon', coordinates: [[[120.2, 30.2], [120.201, 30.201], [120.201, 30.2], [120.2, 30.201], [120.2, 30.2]]] } }, 400, 'boundary', /自相交/],
      ['polygon outside the parent', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'compound', name: 'x', boundary: square(116.4, 39.9, 0.001) }, 400, 'boundary', /超出上级/],
      ['not GeoJSON polygon', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'compound', name: 'x', boundary: { type: 'Point', coordinates: [120.2, 30.2] } }, 400, 'boundary', /Polygon/],
      ['missing name', 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'grid' }, 400, 'name', /缺少必填项/],
      ['move under its own descendant', 'PATCH', '/api/v1/territory/nodes/330108001001', { parentCode: '330108001001001' }, 400, 'parentCode', /自身或它的下级/],
      ['move to a parent of the wrong kind', 'PATCH', '/api/v1/territory/nodes/330108001001001', { parentCode: '330108002' }, 400, 'parentCode', /不能放置/],
    ];
    for (const [label, method, url, body, status, field, message] of cases) {
      it(label, async () => {
        const before = await counts();
        const res = await t.call(admin, method, url, body);
        expect(res.statusCode).toBe(status);
        expect(res.json().error.field).toBe(field);
        expect(res.json().error.message).toMatch(message);
        expect(await counts()).toEqual(before);
      });
    }

    it('a grid overlapping its sibling is refused', async () => {
      const [g] = await t.database.query<{ geo: unknown }>(`select ST_AsGeoJSON(ST_Buffer(ST_PointOnSurface(boundary), 0.0002, 4))::json as geo
        from territory_node where code = '330108001001001'`);
      const before = await counts();
      const res = await t.call(admin, 'POST', '/api/v1/territory/nodes', { parentCode: '330108001001', kind: 'grid', name: '重叠网格', boundary: g!.geo });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/重叠/);
      expect(await counts()).toEqual(before);
    });
  });

  it('moves a subtree: every descendant path follows', async () => {
    // a compound moves to the neighbouring community with its buildings, units and rooms
    const [compound] = await t.database.query<{ code: string; n: number }>(`
      select c.code, (select count(*) from territory_node d where d.path <@ c.path)::int as n
      from territory_node c where c.kind = 'compound' and c.parent_code = '330108001001' order by c.code limit 1`);
    const res = await t.call(admin, 'PATCH', `/api/v1/territory/nodes/${compound!.code}`, { parentCode: '330108001002' });
    expect(res.statusCode).toBe(200);
    expect(res.json().path).toBe(`330108.330108001.330108001002.${compound!.code}`);
    const { n } = (await t.database.query<{ n: number }>(`select count(*)::int as n from territory_node where path <@ $1::ltree`,
      [`330108.330108001.330108001002.${compound!.code}`]))[0]!;
    expect(n).toBe(compound!.n);
  });
});
