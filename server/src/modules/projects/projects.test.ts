import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';

const XILING = '330108001001';      // 西陵社区 (西兴街道)
const NEIGHBOUR = '330108001002';   // another community of 西兴街道
const FOREIGN = '330108002001';     // a community of 长河街道: out of unit.demo's reach

describe('three lists, co-build projects and crowd-funding (C5)', () => {
  let t: TestContext;
  let admin: string;
  let xiling: string;
  let neighbour: string;
  let unit: string;
  let unitOrg: string;      // unit.demo's organisation
  let otherUnit: string;    // a second unit organisation, member of 西陵社区's 党建理事会
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const one = async <T>(text: string, params: unknown[] = []) => (await q<T>(text, params))[0]!;
  const audits = async () => (await one<{ n: number }>('select count(*)::int as n from audit_log')).n;

  beforeAll(async () => {
    t = await createTestContext();
    [admin, xiling, neighbour, unit] = await Promise.all(['admin', `community.${XILING}`, `community.${NEIGHBOUR}`, 'unit.demo'].map((u) => t.login(u))) as [string, string, string, string];
    unitOrg = (await one<{ org_code: string }>(`select org_code from app_user where username = 'unit.demo'`)).org_code;
    // A second unit joins 西陵社区's council (a factory step: the seed may give the council one unit only).
    otherUnit = (await one<{ code: string }>(`select code from party_org where kind = 'unit_org' and code <> $1 and territory_code like '330108001%' order by code limit 1`, [unitOrg])).code;
    await q(`insert into party_org_alliance_member (alliance_code, member_code, role) values ($1, $2, 'member') on conflict do nothing`, [`A${XILING}`, otherUnit]);
    // The resources list is kept by the forces register; two rows stand in for it here.
    await q(`insert into force_resource (community_code, kind, name, provider_org, provider_name, quantity, unit) values
      ($1, 'venue', '党群服务中心多功能厅', null, '西陵社区', 1, '间'), ($1, 'funds', '共建资金', $2, null, 20000, '元'),
      ($1, 'equipment', '已撤回的设备', null, null, 2, '台')`, [XILING, unitOrg]);
    await q(`update force_resource set status = 'withdrawn' where name = '已撤回的设备'`);
  });
  afterAll(async () => t.close());

  const createProject = async (token: string, body: Record<string, unknown>) => {
    const res = await t.call(token, 'POST', '/api/v1/service/projects', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; status: string; [k: string]: unknown };
  };

  it('keeps the needs list: create, filter, status changes with audit, and an .xlsx export that reads back', async () => {
    const a = await t.call(xiling, 'POST', '/api/v1/service/needs', { communityCode: XILING, title: '老年食堂助餐', category: 'elderly', beneficiaries: 120, source: 'visit' });
    expect(a.statusCode, a.body).toBe(201);
    const b = await t.call(xiling, 'POST', '/api/v1/service/needs', { communityCode: XILING, title: '儿童四点半课堂', category: 'children' });
    expect(b.statusCode, b.body).toBe(201);
    expect(a.json()).toMatchObject({ communityCode: XILING, communityName: '西陵社区', status: 'open', category: 'elderly', beneficiaries: 120, projectCount: 0 });

    // another community's staff neither sees nor writes it
    expect((await t.call(neighbour, 'GET', `/api/v1/service/needs/${a.json().id}`)).statusCode).toBe(404);
    expect((await t.call(neighbour, 'PATCH', `/api/v1/service/needs/${a.json().id}`, { status: 'closed' })).statusCode).toBe(404);
    expect((await t.call(neighbour, 'POST', '/api/v1/service/needs', { communityCode: XILING, title: '越权需求', category: 'other' })).statusCode).toBe(404);
    const theirs = await t.call(neighbour, 'GET', '/api/v1/service/needs');
    expect(theirs.json().items.some((n: { communityCode: string }) => n.communityCode === XILING)).toBe(false);

    const list = await t.call(xiling, 'GET', `/api/v1/service/needs?communityCode=${XILING}&category=children`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((n: { title: string }) => n.title)).toContain('儿童四点半课堂');
    expect(list.json().items.every((n: { category: string; communityCode: string }) => n.category === 'children' && n.communityCode === XILING)).toBe(true);
    // cursor pagination
    const p1 = (await t.call(xiling, 'GET', `/api/v1/service/needs?communityCode=${XILING}&limit=1`)).json();
    expect(p1.items).toHaveLength(1);
    expect(p1.nextCursor).not.toBeNull();
    const p2 = (await t.call(xiling, 'GET', `/api/v1/service/needs?communityCode=${XILING}&limit=1&cursor=${p1.nextCursor}`)).json();
    expect(p2.items[0].id).toBeLessThan(p1.items[0].id);

    // status: open → closed → open is allowed, met is final
    const before = await audits();
    expect((await t.call(xiling, 'PATCH', `/api/v1/service/needs/${b.json().id}`, { status: 'met' })).json().status).toBe('met');
    expect(await audits()).toBe(before + 1);
    const again = await t.call(xiling, 'PATCH', `/api/v1/service/needs/${b.json().id}`, { status: 'open' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('INVALID_TRANSITION');
    expect((await one<{ status: string }>('select status from community_need where id = $1', [b.json().id])).status).toBe('met');
    expect(await audits()).toBe(before + 1);

    const file = await t.call(xiling, 'GET', `/api/v1/service/needs?communityCode=${XILING}&format=xlsx`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('需求清单')!;
    const rows = sheet.getSheetValues().slice(2).map((r) => (r as unknown[]).slice(1));
    expect(sheet.getRow(1).getCell(3).value).toBe('需求');
    const { n } = await one<{ n: number }>('select count(*)::int as n from community_need where community_code = $1', [XILING]);
    expect(rows).toHaveLength(n);
    expect(rows.map((r) => r[2])).toEqual(expect.arrayContaining(['儿童四点半课堂', '老年食堂助餐']));
    expect(rows.find((r) => r[2] === '老年食堂助餐')).toEqual(expect.arrayContaining(['西陵社区', '为老服务', '待认领', 120]));
  });

  it('refuses a crowd-funded project without a target amount, and creates nothing', async () => {
    const before = await one<{ n: number }>('select count(*)::int as n from coop_project');
    const res = await t.call(xiling, 'POST', '/api/v1/service/projects', { communityCode: XILING, title: '楼道微改造', kind: 'crowdfunding' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ code: 'VALIDATION', field: 'targetAmount' });
    const cents = await t.call(xiling, 'POST', '/api/v1/service/projects', { communityCode: XILING, title: '楼道微改造', kind: 'crowdfunding', targetAmount: 10.005 });
    expect(cents.statusCode).toBe(400);
    expect(cents.json().error.field).toBe('targetAmount');
    expect(await one<{ n: number }>('select count(*)::int as n from coop_project')).toEqual(before);
  });

  it('crowd-funds a project: pledges from two units and a person, spending with progress; overspending is refused and changes nothing', async () => {
    const need = (await t.call(xiling, 'POST', '/api/v1/service/needs', { communityCode: XILING, title: '加装电梯前期费用', category: 'facility' })).json();
    const project = await createProject(xiling, { communityCode: XILING, title: '老旧小区加装电梯众筹', kind: 'crowdfunding', targetAmount: 10000,
      needId: need.id, startsOn: '2026-12-01', endsOn: '2027-03-31', description: '为 3 幢加装电梯筹集前期费用' });
    expect(project).toMatchObject({ status: 'published', kind: 'crowdfunding', targetAmount: 10000, pledgedAmount: 0, spentAmount: 0,
      progress: { pledged: 0, spent: null }, needId: need.id, needTitle: '加装电梯前期费用' });
    expect((await t.call(xiling, 'GET', `/api/v1/service/needs/${need.id}`)).json()).toMatchObject({ status: 'in_project', projectCount: 1 });

    // unit.demo pledges for itself; staff records the second unit and a person
    const own = await t.call(unit, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { donorName: '本单位', amount: 3000.5 });
    expect(own.statusCode, own.body).toBe(201);
    expect(own.json()).toMatchObject({ amount: 3000.5, pledgedAmount: 3000.5, spentAmount: 0 });
    const forOther = await t.call(unit, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { orgCode: otherUnit, donorName: '别的单位', amount: 1 });
    expect(forOther.statusCode).toBe(403);
    const second = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { orgCode: otherUnit, donorName: '共建单位', amount: 2000 });
    expect(second.statusCode, second.body).toBe(201);
    const person = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { donorName: '王建国', amount: 99.49 });
    expect(person.statusCode).toBe(201);
    expect(person.json().pledgedAmount).toBe(5099.99);
    const badCents = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { donorName: '王建国', amount: 1.234 });
    expect(badCents.statusCode).toBe(400);
    expect(badCents.json().error.field).toBe('amount');

    const spent = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/spending`, { amount: 1200, purpose: '可行性评估费', spentOn: '2026-12-10' });
    expect(spent.statusCode, spent.body).toBe(201);
    expect(spent.json()).toMatchObject({ pledgedAmount: 5099.99, spentAmount: 1200 });

    // over the pledged total: 409, and neither the totals nor the rows nor the audit trail change
    const state = async () => one(`select p.pledged_amount, p.spent_amount, (select count(*)::int from project_spending s where s.project_id = p.id) as rows,
      (select count(*)::int from audit_log) as audits from coop_project p where p.id = $1`, [project.id]);
    const before = await state();
    const over = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/spending`, { amount: 3900, purpose: '设计费', spentOn: '2026-12-12' });
    expect(over.statusCode).toBe(409);
    expect(over.json().error.code).toBe('CONFLICT');
    expect(over.json().error.message).toContain('资金支出不能超过已认捐金额');
    expect(await state()).toEqual(before);
    // exactly the rest is fine
    expect((await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/spending`, { amount: 3899.99, purpose: '设计费', spentOn: '2026-12-12' })).statusCode).toBe(201);

    const detail = (await t.call(xiling, 'GET', `/api/v1/service/projects/${project.id}`)).json();
    const names = new Map((await q<{ code: string; name: string }>('select code, name from party_org where code in ($1, $2)', [unitOrg, otherUnit])).map((o) => [o.code, o.name]));
    const [unitName, otherName] = [names.get(unitOrg), names.get(otherUnit)];
    expect(detail).toMatchObject({ pledgedAmount: 5099.99, spentAmount: 5099.99, pledgeCount: 3, progress: { pledged: 0.51, spent: 1 } });
    expect(detail.pledges.map((p: { donorName: string; orgCode: string | null }) => [p.orgCode, p.donorName])).toEqual([[unitOrg, unitName], [otherUnit, otherName], [null, '王**']]);
    expect(detail.spending.map((s: { amount: number }) => s.amount)).toEqual([1200, 3899.99]);
    expect(JSON.stringify(detail)).not.toContain('王建国');
    // the totals the triggers keep equal the rows
    const sums = await one(`select (select sum(amount) from project_pledge where project_id = $1) as pledged, (select sum(amount) from project_spending where project_id = $1) as spent`, [project.id]);
    expect(sums).toEqual({ pledged: 5099.99, spent: 5099.99 });

    // another community's staff: 404, and nothing is recorded
    expect((await t.call(neighbour, 'GET', `/api/v1/service/projects/${project.id}`)).statusCode).toBe(404);
    expect((await t.call(neighbour, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { donorName: '越权', amount: 1 })).statusCode).toBe(404);
    expect((await t.call(neighbour, 'POST', `/api/v1/service/projects/${project.id}/spending`, { amount: 1, purpose: '越权支出', spentOn: '2026-12-12' })).statusCode).toBe(404);
    expect((await t.call(neighbour, 'POST', `/api/v1/service/projects/${project.id}/status`, { status: 'cancelled' })).statusCode).toBe(404);
    expect((await one<{ n: number }>('select count(*)::int as n from project_pledge where project_id = $1', [project.id])).n).toBe(3);

    // the project runs its course; the need it came from is met
    const skip = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/status`, { status: 'done' });
    expect(skip.statusCode).toBe(409);
    expect(skip.json().error.code).toBe('INVALID_TRANSITION');
    const noUnit = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/status`, { status: 'claimed' });
    expect(noUnit.json().error.code).toBe('INVALID_TRANSITION');
    const claim = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/claims`, { orgCode: otherUnit, commitment: '出资并派志愿者' });
    expect(claim.statusCode, claim.body).toBe(201);
    expect(claim.json()).toMatchObject({ role: 'lead', status: 'claimed', orgCode: otherUnit });
    for (const status of ['in_progress', 'done']) {
      const res = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/status`, { status });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(status);
    }
    expect((await t.call(xiling, 'GET', `/api/v1/service/needs/${need.id}`)).json().status).toBe('met');
    const late = await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { donorName: '迟到的认捐', amount: 10 });
    expect(late.statusCode).toBe(409);
  });

  it('lets a unit claim the projects in its reach once, and hides the others', async () => {
    const near = await createProject(xiling, { communityCode: XILING, title: '社区邻里节共建', kind: 'co_build' });
    const street = await createProject(neighbour, { communityCode: NEIGHBOUR, title: '西兴街道口袋公园认领', kind: 'co_build' });
    const far = await createProject(admin, { communityCode: FOREIGN, title: '长河社区助老食堂', kind: 'menu' });

    const claimable = (await t.call(unit, 'GET', '/api/v1/service/projects?limit=200')).json().items.map((p: { id: number }) => p.id);
    expect(claimable).toEqual(expect.arrayContaining([near.id, street.id]));
    expect(claimable).not.toContain(far.id);
    expect((await t.call(unit, 'GET', `/api/v1/service/projects/${far.id}`)).statusCode).toBe(404);

    const before = await audits();
    const first = await t.call(unit, 'POST', `/api/v1/service/projects/${near.id}/claims`, { commitment: '提供场地和 10 名志愿者' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ projectId: near.id, orgCode: unitOrg, role: 'lead', status: 'claimed' });
    const twice = await t.call(unit, 'POST', `/api/v1/service/projects/${near.id}/claims`, {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_DONE');
    const farClaim = await t.call(unit, 'POST', `/api/v1/service/projects/${far.id}/claims`, {});
    expect(farClaim.statusCode).toBe(404);
    expect(await audits()).toBe(before + 1);
    expect((await one<{ n: number }>('select count(*)::int as n from coop_project_unit where project_id = $1', [far.id])).n).toBe(0);
    // the creator is told
    expect((await one<{ n: number }>(`select count(*)::int as n from notification n join app_user u on u.id = n.recipient_user_id
      where u.username = $1 and n.ref_type = 'coop_project' and n.ref_id = $2`, [`community.${XILING}`, String(near.id)])).n).toBe(1);

    // a second unit joins as co-builder; the unit sees its claimed project under "mine", no longer under claimable
    const co = await t.call(xiling, 'POST', `/api/v1/service/projects/${near.id}/claims`, { orgCode: otherUnit });
    expect(co.json()).toMatchObject({ role: 'co_builder' });
    const mine = (await t.call(unit, 'GET', '/api/v1/service/projects/mine')).json().items;
    expect(mine.find((p: { id: number }) => p.id === near.id)).toMatchObject({ unitCount: 2, status: 'claimed', leadUnit: expect.any(String) });
    const { n: joined } = await one<{ n: number }>('select count(*)::int as n from coop_project_unit where org_code = $1', [unitOrg]);
    expect(mine).toHaveLength(Math.min(joined, 20));
    expect((await t.call(unit, 'GET', '/api/v1/service/projects?limit=200')).json().items.map((p: { id: number }) => p.id)).not.toContain(near.id);
    const detail = (await t.call(unit, 'GET', `/api/v1/service/projects/${near.id}`)).json();
    expect(detail.units.map((u: { orgCode: string; role: string }) => [u.orgCode, u.role])).toEqual([[unitOrg, 'lead'], [otherUnit, 'co_builder']]);
    expect(detail.claimable).toBe(false);
    expect((await t.call(unit, 'GET', `/api/v1/service/projects/${street.id}`)).json().claimable).toBe(true);

    // a unit may not write the lists nor move a project
    expect((await t.call(unit, 'POST', '/api/v1/service/projects', { communityCode: XILING, title: '单位自建', kind: 'co_build' })).statusCode).toBe(403);
    expect((await t.call(unit, 'POST', `/api/v1/service/projects/${near.id}/status`, { status: 'in_progress' })).statusCode).toBe(403);
    // staff without service:unit have no "mine"
    expect((await t.call(xiling, 'GET', '/api/v1/service/projects/mine')).statusCode).toBe(403);
    // a project that has started takes no more units
    const started = await createProject(xiling, { communityCode: XILING, title: '已开工的项目', kind: 'co_build' });
    await t.call(xiling, 'POST', `/api/v1/service/projects/${started.id}/claims`, { orgCode: otherUnit });
    await t.call(xiling, 'POST', `/api/v1/service/projects/${started.id}/status`, { status: 'in_progress' });
    expect((await t.call(unit, 'POST', `/api/v1/service/projects/${started.id}/claims`, {})).statusCode).toBe(404);
    const late = await t.call(xiling, 'POST', `/api/v1/service/projects/${started.id}/claims`, { orgCode: unitOrg });
    expect(late.statusCode).toBe(409);
    expect(late.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('holds the money and the lead under parallel requests: never spent beyond the pledges, one lead unit', async () => {
    const project = await createProject(xiling, { communityCode: XILING, title: '并发支出测试', kind: 'crowdfunding', targetAmount: 1000 });
    expect((await t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/pledges`, { orgCode: otherUnit, donorName: '共建单位', amount: 100 })).statusCode).toBe(201);
    const spends = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      t.call(xiling, 'POST', `/api/v1/service/projects/${project.id}/spending`, { amount: 30, purpose: `并发支出${i}`, spentOn: '2026-12-01' })));
    expect(spends.map((r) => r.statusCode).sort()).toEqual([201, 201, 201, 409, 409, 409]);
    const totals = await one(`select p.spent_amount, (select coalesce(sum(amount), 0) from project_spending s where s.project_id = p.id) as rows_sum
      from coop_project p where p.id = $1`, [project.id]);
    expect(totals).toEqual({ spent_amount: 90, rows_sum: 90 });

    const open = await createProject(xiling, { communityCode: XILING, title: '并发认领测试', kind: 'co_build' });
    const claims = await Promise.all([
      t.call(unit, 'POST', `/api/v1/service/projects/${open.id}/claims`, {}),
      t.call(xiling, 'POST', `/api/v1/service/projects/${open.id}/claims`, { orgCode: otherUnit }),
    ]);
    expect(claims.map((r) => r.statusCode)).toEqual([201, 201]);
    expect(claims.map((r) => r.json().role).sort()).toEqual(['co_builder', 'lead']);
    const roles = await q<{ role: string }>('select role from coop_project_unit where project_id = $1 order by role', [open.id]);
    expect(roles.map((r) => r.role)).toEqual(['co_builder', 'lead']);
  });

  it('summarises the three lists of 西陵社区 from the records, and the overview per community', async () => {
    const res = await t.call(xiling, 'GET', `/api/v1/service/communities/${XILING}/lists`);
    expect(res.statusCode, res.body).toBe(200);
    const lists = res.json();
    const direct = await one<Record<string, unknown>>(`select
      (select count(*)::int from community_need where community_code = $1) as needs,
      (select count(*)::int from community_need where community_code = $1 and status = 'open') as open_needs,
      (select count(*)::int from force_resource where community_code = $1 and status <> 'withdrawn') as resources,
      (select count(*)::int from coop_project where community_code = $1) as projects,
      (select coalesce(sum(pledged_amount), 0) from coop_project where community_code = $1) as pledged,
      (select coalesce(sum(spent_amount), 0) from coop_project where community_code = $1) as spent,
      (select count(distinct org_code)::int from (select org_code from coop_project_unit u join coop_project p on p.id = u.project_id where p.community_code = $1
         union select org_code from project_pledge g join coop_project p on p.id = g.project_id where p.community_code = $1 and org_code is not null) x) as units`, [XILING]);
    const count = (rows: { key: string; count: number }[], key: string) => rows.find((r) => r.key === key)?.count ?? 0;
    expect({
      needs: lists.needs.total, open_needs: count(lists.needs.byStatus, 'open'), resources: lists.resources.total, projects: lists.projects.total,
      pledged: lists.projects.pledgedAmount, spent: lists.projects.spentAmount, units: lists.projects.unitsInvolved,
    }).toEqual(direct);
    expect(lists.needs.total).toBeGreaterThanOrEqual(3);
    expect(lists.projects.unitsInvolved).toBeGreaterThanOrEqual(2);
    expect(lists.resources.byKind).toEqual(await q(`select kind as key, count(*)::int as count from force_resource
      where community_code = $1 and status <> 'withdrawn' group by kind order by kind`, [XILING]));
    expect(lists.resources.latest.map((r: { name: string }) => r.name)).not.toContain('已撤回的设备');
    expect(lists.projects.latest[0].communityCode).toBe(XILING);

    expect((await t.call(neighbour, 'GET', `/api/v1/service/communities/${XILING}/lists`)).statusCode).toBe(404);

    // who may claim here: unit.demo (located in 西陵社区 and in its council) and the unit that joined the council
    const units = (await t.call(xiling, 'GET', `/api/v1/service/communities/${XILING}/units`)).json().items;
    expect(units.find((u: { orgCode: string }) => u.orgCode === unitOrg)).toMatchObject({ located: true, alliances: expect.arrayContaining(['西陵社区党建理事会']) });
    expect(units.map((u: { orgCode: string }) => u.orgCode)).toContain(otherUnit);
    expect((await t.call(neighbour, 'GET', `/api/v1/service/communities/${XILING}/units`)).statusCode).toBe(404);

    const street = await t.call(admin, 'GET', '/api/v1/service/overview?scopeCode=330108001');
    expect(street.statusCode, street.body).toBe(200);
    const row = street.json().items.find((i: { communityCode: string }) => i.communityCode === XILING);
    expect(row).toMatchObject({ communityName: '西陵社区', openNeeds: direct.open_needs, projects: direct.projects, pledgedAmount: direct.pledged,
      spentAmount: direct.spent, unitsInvolved: direct.units });
    expect(Object.values(row.projectsByStatus as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(direct.projects);
    expect(street.json().items.every((i: { communityCode: string }) => i.communityCode.startsWith('330108001'))).toBe(true);
    // a community worker's overview holds their community only
    const own = (await t.call(xiling, 'GET', '/api/v1/service/overview')).json();
    expect(own.items.map((i: { communityCode: string }) => i.communityCode)).toEqual([XILING]);
    expect((await t.call(xiling, 'GET', `/api/v1/service/overview?scopeCode=${FOREIGN}`)).statusCode).toBe(404);
  });
});
