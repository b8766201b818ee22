import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

describe('party-organisation tree', () => {
  let t: TestContext;
  let admin: string;
  let xiling: string;
  beforeAll(async () => {
    t = await createTestContext();
    admin = await t.login('admin');
    xiling = await t.login('community.330108001001');
  });
  afterAll(async () => t.close());

  it('starts at the street working committees, each serving its street', async () => {
    const roots = (await t.call(admin, 'GET', '/api/v1/org/roots')).json().items;
    const committees = roots.filter((r: { kind: string }) => r.kind === 'street_committee');
    expect(committees.map((c: { territoryCode: string }) => c.territoryCode).sort()).toEqual(['330108001', '330108002', '330108003']);
    expect(committees[0].name).toMatch(/^中共.+街道工作委员会$/);
  });

  it('follows committee → community committee → grid/compound branch, each linked to its territory', async () => {
    const [committee] = await t.database.query<{ code: string }>(`select code from party_org where territory_code = '330108001001' and kind in ('community_committee', 'general_branch') limit 1`);
    const detail = (await t.call(xiling, 'GET', `/api/v1/org/nodes/${committee!.code}`)).json();
    expect(detail).toMatchObject({ territoryCode: '330108001001', territoryName: '西陵社区' });
    expect(detail.ancestors[0].kind).toBe('street_committee');
    const children = (await t.call(xiling, 'GET', `/api/v1/org/nodes/${committee!.code}/children`)).json().items;
    const kinds = new Set(children.map((c: { kind: string }) => c.kind));
    expect(kinds.has('branch')).toBe(true);
    expect(kinds.has('functional_branch')).toBe(true);
  });

  it('shows an alliance with the outside unit party organisations it joins', async () => {
    const [alliance] = await t.database.query<{ code: string }>(`select a.code from party_org a where a.kind = 'alliance' and a.territory_code = '330108001'
      and exists (select 1 from party_org_alliance_member m where m.alliance_code = a.code) limit 1`);
    const detail = (await t.call(admin, 'GET', `/api/v1/org/nodes/${alliance!.code}`)).json();
    expect(detail.kind).toBe('alliance');
    // the street committee leads; the outside unit party organisations are the members it joins
    const units = detail.allianceMembers.filter((m: { kind: string }) => m.kind === 'unit_org');
    expect(units.length).toBeGreaterThan(0);
    for (const m of units) expect(m.unitName).toBeTruthy();
  });

  it('joins a unit org to an alliance once; a second join is a conflict; leaving works', async () => {
    const [alliance] = await t.database.query<{ code: string }>(`select code from party_org where kind = 'alliance' order by code limit 1`);
    const [unit] = await t.database.query<{ code: string }>(`select o.code from party_org o where o.kind = 'unit_org'
      and not exists (select 1 from party_org_alliance_member m where m.member_code = o.code and m.alliance_code = '${alliance!.code}') limit 1`);
    const url = `/api/v1/org/nodes/${alliance!.code}/alliance-members`;
    expect((await t.call(admin, 'POST', url, { memberCode: unit!.code, role: 'member' })).statusCode).toBe(201);
    const again = await t.call(admin, 'POST', url, { memberCode: unit!.code });
    expect(again.statusCode).toBe(409);
    expect((await t.call(admin, 'DELETE', `${url}/${unit!.code}`)).statusCode).toBe(204);
    const notUnit = await t.call(admin, 'POST', url, { memberCode: alliance!.code });
    expect(notUnit.statusCode).toBe(400);
    expect(notUnit.json().error.field).toBe('memberCode');
  });

  it('creates a grid branch under the community committee and refuses a wrong place in the tree', async () => {
    const [committee] = await t.database.query<{ code: string }>(`select code from party_org where territory_code = '330108001001' and kind in ('community_committee', 'general_branch') limit 1`);
    const ok = await t.call(xiling, 'POST', '/api/v1/org/nodes', { parentCode: committee!.code, kind: 'branch', name: '第九网格党支部', territoryCode: '330108001001001' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().code.startsWith(committee!.code)).toBe(true);
    const wrong = await t.call(xiling, 'POST', '/api/v1/org/nodes', { parentCode: committee!.code, kind: 'street_committee', name: '错误' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.field).toBe('parentCode');
    expect(wrong.json().error.message).toMatch(/^parentCode: 街道党工委不能建立在(社区党委|党总支)下$/);
    const outside = await t.call(xiling, 'POST', '/api/v1/org/nodes', { parentCode: committee!.code, kind: 'branch', name: '越权', territoryCode: '330108002001' });
    expect(outside.statusCode).toBe(404);
    expect(outside.json().error.field).toBe('territoryCode');
  });
});
