import ExcelJS from 'exceljs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { notificationBus, registerSender, transact, unregisterSenders, type NotificationEvent } from '../../platform/notify.js';
import { forgetCalendar } from '../../platform/workdays.js';
import { uploadPhoto } from '../orders/test-factory.js';
import { caseActions } from './test-factory.js';
import { actOnCase, intakeCase } from './cases.service.js';
import { superviseCases } from './cases.supervision.js';

const XILING = '330108001001';
const GRID1 = '330108001001001';
const STREET = '330108001';

describe('cases: intake, routing, tiered handling, deadlines, closure by rating', () => {
  let t: TestContext;
  let resident: string; let grid: string; let grid2: string; let staff: string; let otherStaff: string; let street: string; let dept: string; let admin: string;
  let point: { lng: number; lat: number; micro: string; grid: string };
  let point2: { lng: number; lat: number; micro: string; grid: string };
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const report = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await t.call(token, 'POST', '/api/v1/cases', { categoryCode: '0103', lng: point.lng, lat: point.lat, description: '3幢北侧电动车乱停，堵住消防通道', ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const { act, ok } = caseActions(() => t);

  beforeAll(async () => {
    t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-cases-')) });
    [resident, grid, grid2, staff, otherStaff, street, dept, admin] = await Promise.all(['resident.demo', `grid.${GRID1}`, 'grid.330108001001002',
      `community.${XILING}`, 'community.330108001002', `street.${STREET}`, 'dept.chengguan', 'admin'].map((u) => t.login(u))) as string[] as [string, string, string, string, string, string, string, string];
    const pick = async (gridCode: string) => (await q<{ lng: number; lat: number; micro: string; grid: string }>(`
      select ST_X(b.location) as lng, ST_Y(b.location) as lat, b.micro_grid_code as micro, b.grid_code as grid
      from territory_node b where b.kind = 'building' and b.grid_code = $1 order by b.code limit 1`, [gridCode]))[0]!;
    point = await pick(GRID1);
    point2 = await pick('330108001001002');
  });
  afterAll(async () => t.close());

  it('routes a report by position to its micro-grid, numbers it and sets the acceptance deadline in working days', async () => {
    const made = await report(resident);
    expect(made.serviceNo).toMatch(/^AJ\d{8}\d{6}$/);
    expect(made).toMatchObject({ state: 'reported', gridCode: point.grid, microGridCode: point.micro, communityCode: XILING, streetCode: STREET, handlerTier: 'micro_grid' });
    expect(made.handlerName).toContain('西陵社区');
    expect(Date.parse(made.deadline)).toBeGreaterThan(Date.now());
    expect(made.case).toMatchObject({ channel: 'h5', categoryName: '非机动车乱停放', majorName: '市容环境', kind: 'event', stateName: '待受理' });
    expect(made.case.reporterName).toMatch(/\*/);
    // the grid worker of that grid is told; the neighbouring grid's is not
    const told = await q<{ username: string }>(`select u.username from notification n join app_user u on u.id = n.recipient_user_id
      where n.ref_type = 'civic_case' and n.ref_id = $1`, [String(made.id)]);
    expect(told.map((x) => x.username)).toContain(`grid.${GRID1}`);
    expect(told.map((x) => x.username)).not.toContain('grid.330108001001002');
    // a second report of the same thing nearby is offered as a duplicate
    const again = await report(resident, { description: '电动车又把通道堵了' });
    expect(again.duplicates.map((d: { id: number }) => d.id)).toContain(made.id);
    expect(again.case.duplicateOf).toBe(made.id);
    // the neighbour may +1 the case they were shown, though not read its file; another community's worker may do neither
    const follow = await t.call(resident, 'POST', `/api/v1/cases/${made.id}/follow`);
    expect(follow.statusCode, follow.body).toBe(200);
    expect(follow.json().followers).toBe(1);
    expect((await t.call(otherStaff, 'POST', `/api/v1/cases/${made.id}/follow`)).statusCode).toBe(404);
  });

  it('files in one statement: the handler\'s notification is pushed once it is written and queued on every channel; a refused filing writes and pushes nothing', async () => {
    const pushed: NotificationEvent[] = [];
    const listen = (e: NotificationEvent) => pushed.push(e);
    notificationBus.on('notification', listen);
    registerSender({ channel: 'sms', async send() { /* delivery is the notifications module's; here only the queue row matters */ } });
    try {
      const made = await report(resident, { description: '楼道灯坏了一周，晚上看不见台阶' });
      const rows = await q<{ id: string; recipient_user_id: string; channels: string[] | null }>(`select n.id, n.recipient_user_id,
        (select array_agg(d.channel) from notification_delivery d where d.notification_id = n.id) as channels
        from notification n where n.ref_type = 'civic_case' and n.ref_id = $1 order by n.id`, [String(made.id)]);
      expect(rows.length).toBeGreaterThan(0);
      expect(pushed.filter((e) => e.refId === String(made.id)).map((e) => e.id).sort()).toEqual(rows.map((r) => Number(r.id)).sort());
      expect(rows.every((r) => r.channels?.join() === 'sms')).toBe(true);
      const [before] = await q<{ cases: number; audits: number; notes: number }>(`select (select count(*)::int from civic_case) as cases,
        (select count(*)::int from audit_log) as audits, (select count(*)::int from notification) as notes`);
      const count = pushed.length;
      const refused = await t.call(resident, 'POST', '/api/v1/cases', { categoryCode: '0103', lng: 100.0, lat: 20.0, description: '不在任何网格里的位置' });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.field).toBe('lng');
      const [after] = await q<{ cases: number; audits: number; notes: number }>(`select (select count(*)::int from civic_case) as cases,
        (select count(*)::int from audit_log) as audits, (select count(*)::int from notification) as notes`);
      expect(after).toEqual(before);
      expect(pushed.length).toBe(count);
    } finally {
      notificationBus.off('notification', listen);
      unregisterSenders();
    }
  });

  it('exports what the desk lists, the reporter masked as on the screen, and nothing outside the caller', async () => {
    const made = await report(resident, { description: '导出测试：井盖松动' });
    const [me] = await q<{ display_name: string }>(`select display_name from app_user where username = 'resident.demo'`);
    const file = await t.call(staff, 'GET', `/api/v1/cases?q=${encodeURIComponent('导出测试')}&format=xlsx`);
    expect(file.statusCode, file.body.slice(0, 200)).toBe(200);
    expect(file.headers['content-disposition']).toContain(encodeURIComponent('案件清单.xlsx'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.worksheets[0]!.eachRow((row) => row.eachCell((cell) => { cells.push(String(cell.value ?? '')); }));
    expect(cells).toContain(made.serviceNo);
    expect(cells).toContain(made.case.reporterName);
    expect(made.case.reporterName).toMatch(/\*/);
    expect(cells.join('\n')).not.toContain(me!.display_name);
    const other = await t.call(otherStaff, 'GET', `/api/v1/cases?q=${encodeURIComponent('导出测试')}&format=xlsx`);
    const theirs = new ExcelJS.Workbook();
    await theirs.xlsx.load(other.rawPayload as unknown as ArrayBuffer);
    const theirCells: string[] = [];
    theirs.worksheets[0]!.eachRow((row) => row.eachCell((cell) => { theirCells.push(String(cell.value ?? '')); }));
    expect(theirCells).not.toContain(made.serviceNo);
  });

  it('routes a category whose default tier is the community to the community desk, and a component to its tier', async () => {
    const made = await report(resident, { categoryCode: '0104', description: '沿街店铺把货摆到人行道上' });
    expect(made).toMatchObject({ handlerTier: 'community', handlerName: '西陵社区' });
    const road = await report(resident, { categoryCode: '0203', description: '人行道路面塌陷一个坑' });
    expect(road).toMatchObject({ handlerTier: 'street' });
  });

  it('refuses bad input with 400 naming the field and writes nothing', async () => {
    const [before] = await q<{ n: number }>(`select count(*)::int as n from civic_case`);
    const bad = [
      [{ categoryCode: '9999' }, 'categoryCode'],
      [{ categoryCode: '01' }, 'categoryCode'],
      [{ lng: 100.1, lat: 30.2 }, 'lng'],
      [{ description: ' ' }, 'description'],
      [{ photos: ['00000000-0000-0000-0000-000000000000'] }, 'photos'],
    ] as const;
    for (const [body, field] of bad) {
      const res = await t.call(resident, 'POST', '/api/v1/cases', { categoryCode: '0103', lng: point.lng, lat: point.lat, description: '有问题', ...body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.field ?? res.json().error.message).toContain(field);
    }
    const [after] = await q<{ n: number }>(`select count(*)::int as n from civic_case`);
    expect(after!.n).toBe(before!.n);
  });

  it('runs the whole loop: report → accept → resolve with a photo → verify → rate satisfied → closed, every step on the timeline', async () => {
    const made = await report(resident);
    const id = made.id as number;
    const gridView = (await t.call(grid, 'GET', `/api/v1/cases/${id}`)).json();
    expect(gridView.viewerKinds).toContain('handler');
    expect(gridView.allowedActions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['accept', 'void', 'escalate']));
    // the resident may not accept; the neighbouring grid's worker does not even see it
    expect((await act(resident, id, { action: 'accept' })).statusCode).toBe(409);
    expect((await t.call(grid2, 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(404);
    const accepted = await ok(grid, id, { action: 'accept' });
    expect(accepted.case.state).toBe('handling');
    // resolve needs a note or a photo
    expect((await act(grid, id, { action: 'resolve' })).statusCode).toBe(400);
    const photo = (await uploadPhoto(t, grid)).body.id as string;
    const resolved = await ok(grid, id, { action: 'resolve', note: '已联系物业清理，车辆移至车棚', photos: [photo] });
    expect(resolved.case.state).toBe('resolved');
    expect(resolved.case.resultPhotos.map((p: { id: string }) => p.id)).toEqual([photo]);
    // only the seat above verifies: the grid worker cannot, the community can
    expect((await act(grid, id, { action: 'verify' })).statusCode).toBe(409);
    expect((await act(resident, id, { action: 'rate', satisfaction: 'satisfied' })).statusCode).toBe(409);
    const verified = await ok(staff, id, { action: 'verify' });
    expect(verified.case.state).toBe('rating');
    // the reporter sees the photo of the result, and rates
    expect((await t.call(resident, 'GET', `/api/v1/files/${photo}`)).statusCode).toBe(200);
    const mine = (await t.call(resident, 'GET', `/api/v1/cases/${id}`)).json();
    expect(mine.allowedActions.map((a: { action: string }) => a.action)).toEqual(['rate']);
    const closed = await ok(resident, id, { action: 'rate', satisfaction: 'satisfied', note: '处理很及时' });
    expect(closed.case).toMatchObject({ state: 'closed', satisfaction: 'satisfied' });
    expect(closed.steps.map((s: { action: string }) => s.action)).toEqual(['report', 'accept', 'resolve', 'verify', 'rate']);
    expect(closed.steps.every((s: { actorOrg: string; at: string }) => s.actorOrg && s.at)).toBe(true);
    expect(closed.steps[1]).toMatchObject({ actorKind: 'handler' });
    expect(closed.steps[0].actorOrg).toBe('随手拍'); // the resident's name is not written on the timeline
    expect(closed.steps[0].actorName).toMatch(/\*/);
    expect(closed.steps[3]).toMatchObject({ actorKind: 'superior', actorOrg: '西陵社区' });
    // nothing more can be done
    expect((await act(resident, id, { action: 'rate', satisfaction: 'unsatisfied', note: 'x' })).statusCode).toBe(409);
    const audits = await q<{ action: string; actor_username: string }>(`select action, actor_username from audit_log
      where target_type = 'civic_case' and target_id = $1 order by id`, [String(id)]);
    expect(audits.map((a) => a.action)).toEqual(['case.report', 'case.accept', 'case.resolve', 'case.verify', 'case.rate']);
    expect(audits[0]!.actor_username).toBe('resident.demo'); // the filing is audited too, whoever files it
    // the reporter was told at every stage
    const told = await q<{ title: string }>(`select title from notification n join app_user u on u.id = n.recipient_user_id
      where u.username = 'resident.demo' and ref_id = $1 order by n.id`, [String(id)]);
    expect(told.map((n) => n.title)).toEqual(['您反映的问题已受理', '您反映的问题已办结，请评价']);
  });

  it('reopens once to the same handler when the reporter is not satisfied, and closes unsatisfied the second time', async () => {
    const { id } = await report(resident);
    await ok(grid, id, { action: 'accept' });
    await ok(grid, id, { action: 'resolve', note: '已处理' });
    await ok(staff, id, { action: 'verify' });
    expect((await act(resident, id, { action: 'rate', satisfaction: 'unsatisfied' })).statusCode).toBe(400); // a reason is required
    const reopened = await ok(resident, id, { action: 'rate', satisfaction: 'unsatisfied', note: '车还在，没有处理' });
    expect(reopened.case).toMatchObject({ state: 'handling', reopenCount: 1, handlerTier: 'micro_grid', handlerCode: point.micro });
    expect(reopened.steps.at(-1)).toMatchObject({ action: 'reopen', note: '车还在，没有处理' });
    await ok(grid, id, { action: 'resolve', note: '已再次处理' });
    await ok(staff, id, { action: 'verify' });
    const closed = await ok(resident, id, { action: 'rate', satisfaction: 'unsatisfied', note: '还是不行' });
    expect(closed.case).toMatchObject({ state: 'closed', satisfaction: 'unsatisfied', reopenCount: 1 });
  });

  it('climbs the tiers: convene (会商) → escalate to the community → whistle to a department who reports in and responds → resolve', async () => {
    const { id } = await report(resident, { categoryCode: '0102', description: '绿化带里堆了大量装修垃圾' });
    await ok(grid, id, { action: 'accept' });
    expect((await act(grid, id, { action: 'convene', participants: ['网格长'] })).statusCode).toBe(400); // a conclusion is required
    const convened = await ok(grid, id, { action: 'convene', participants: ['网格长 王', '物业 李', '楼长 张'], conclusion: '物业无力清运，上报社区', heldAt: new Date().toISOString() });
    expect(convened.case.handlerTier).toBe('grid');
    expect(convened.consultations).toHaveLength(1);
    expect((await act(grid, id, { action: 'whistle', targetOrg: ['330108CG'] })).statusCode).toBe(409); // only the community/street whistles
    const escalated = await ok(grid, id, { action: 'escalate' });
    expect(escalated.case).toMatchObject({ handlerTier: 'community', handlerCode: XILING });
    // the grid worker no longer holds the case; the community does
    expect((await t.call(grid, 'GET', `/api/v1/cases/${id}`)).json().viewerKinds).not.toContain('handler');
    expect((await act(staff, id, { action: 'whistle', targetOrg: ['NOPE01'] })).statusCode).toBe(400);
    const whistled = await ok(staff, id, { action: 'whistle', targetOrg: ['330108CG'], note: '请城管到场清运' });
    expect(whistled.whistles).toHaveLength(1);
    expect(whistled.whistles[0]).toMatchObject({ departmentCode: '330108CG', reportedInAt: null });
    expect((await act(staff, id, { action: 'whistle', targetOrg: ['330108CG'] })).statusCode).toBe(409); // already whistled, not yet answered
    // the department sees it, reports in, then responds
    const deptView = (await t.call(dept, 'GET', `/api/v1/cases/${id}`)).json();
    expect(deptView.allowedActions.map((a: { action: string }) => a.action)).toEqual(expect.arrayContaining(['report_in', 'respond']));
    expect((await t.call(dept, 'GET', '/api/v1/cases?queue=department')).json().items.map((c: { id: number }) => c.id)).toContain(id);
    await ok(dept, id, { action: 'report_in' });
    expect((await act(dept, id, { action: 'report_in' })).statusCode).toBe(409);
    expect((await act(dept, id, { action: 'respond' })).statusCode).toBe(400); // a note
    const responded = await ok(dept, id, { action: 'respond', note: '已安排清运车，今日清理完毕' });
    expect(responded.whistles[0].respondedAt).not.toBeNull();
    expect((await act(dept, id, { action: 'respond', note: 'again' })).statusCode).toBe(409);
    await ok(staff, id, { action: 'resolve', note: '城管已清运' });
    const verified = await ok(street, id, { action: 'verify' });
    expect(verified.case.state).toBe('rating');
    expect(verified.steps.map((s: { action: string }) => s.action)).toEqual(['report', 'accept', 'convene', 'escalate', 'whistle', 'report_in', 'respond', 'resolve', 'verify']);
  });

  it('hands a case to a department (交办), which may send it back (退回) with a reason; copies (抄告) notify', async () => {
    const { id } = await report(resident, { categoryCode: '0104', description: '门店跨门经营' });
    await ok(staff, id, { action: 'accept' });
    expect((await act(staff, id, { action: 'assign', targetOrg: '330108002' })).statusCode).toBe(400); // another street is not on its ancestry
    const assigned = await ok(staff, id, { action: 'assign', targetOrg: '330108SJ' });
    expect(assigned.case).toMatchObject({ handlerTier: 'department', handlerCode: '330108SJ' });
    const market = await t.login('dept.market');
    expect((await act(market, id, { action: 'return' })).statusCode).toBe(400); // a reason
    const back = await ok(market, id, { action: 'return', note: '属于城管职责，请改派' });
    expect(back.case).toMatchObject({ handlerTier: 'community', handlerCode: XILING });
    await ok(staff, id, { action: 'copy', targetOrg: ['330108CG'], note: '请知悉' });
    const [copied] = await q<{ n: number }>(`select count(*)::int as n from notification n join app_user u on u.id = n.recipient_user_id
      where u.username = 'dept.chengguan' and n.ref_id = $1 and n.title like '抄告%'`, [String(id)]);
    expect(copied!.n).toBe(1);
    expect((await t.call(dept, 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(200); // copied: it may read the case
  });

  it('asks for an extension that only the seat above decides, once at a time', async () => {
    const { id } = await report(resident);
    const accepted = await ok(grid, id, { action: 'accept' });
    const before = accepted.case.deadline;
    expect((await act(grid, id, { action: 'extend', note: '等待配件' })).statusCode).toBe(400); // days
    await ok(grid, id, { action: 'extend', days: 2, note: '等待物业采购配件' });
    expect((await act(grid, id, { action: 'extend', days: 1, note: '再延' })).statusCode).toBe(409);
    expect((await act(grid, id, { action: 'approve_extension' })).statusCode).toBe(409);
    const approved = await ok(staff, id, { action: 'approve_extension', note: '同意' });
    expect(Date.parse(approved.case.deadline)).toBeGreaterThan(Date.parse(before));
    expect(approved.extensions[0]).toMatchObject({ days: 2, decision: 'approved' });
    expect((await act(staff, id, { action: 'refuse_extension', note: 'x' })).statusCode).toBe(409);
  });

  it('lets only the right seat act, and refuses what the state does not allow (409 INVALID_TRANSITION)', async () => {
    const { id } = await report(resident);
    const refused = await act(staff, id, { action: 'resolve', note: 'x' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe('INVALID_TRANSITION');
    expect((await act(staff, id, { action: 'fly' })).statusCode).toBe(400);
    expect((await act(otherStaff, id, { action: 'void', note: 'x' })).statusCode).toBe(404); // not in their scope
    expect((await act(dept, id, { action: 'accept' })).statusCode).toBe(404); // not involved
    expect((await act(grid, id, { action: 'void' })).statusCode).toBe(400); // a reason is required
    expect((await act(grid, id, { action: 'withdraw' })).statusCode).toBe(409); // only the reporter
    // the street desk holds case:handle (to grant it) but is not a grid worker: it supervises, it does not accept
    expect((await t.call(street, 'GET', '/api/v1/auth/me')).json().user.gridWorker).toBe(false);
    expect((await t.call(grid, 'GET', '/api/v1/auth/me')).json().user.gridWorker).toBe(true);
    const streetView = (await t.call(street, 'GET', `/api/v1/cases/${id}`)).json();
    expect(streetView.viewerKinds).toEqual(['superior']);
    expect((await act(street, id, { action: 'accept' })).statusCode).toBe(409);
    const voided = await ok(staff, id, { action: 'void', note: '已由物业自行处理，无需立案' });
    expect(voided.case.state).toBe('voided');
    for (const action of ['accept', 'resolve', 'verify', 'escalate']) expect((await act(staff, id, { action, note: 'x' })).statusCode).toBe(409);
    // withdraw by the reporter while it waits
    const second = await report(resident);
    expect((await ok(resident, second.id, { action: 'withdraw' })).case.state).toBe('voided');
  });

  it('merges a duplicate into the case it repeats; the reporter follows the kept case', async () => {
    const first = await report(resident, { categoryCode: '0106', description: '单元门口贴满小广告' });
    const dup = await report(resident, { categoryCode: '0106', description: '门口小广告' });
    const detail = (await t.call(grid, 'GET', `/api/v1/cases/${dup.id}`)).json();
    expect(detail.duplicates.map((d: { id: number }) => d.id)).toContain(first.id);
    expect((await act(grid, dup.id, { action: 'merge' })).statusCode).toBe(400);
    const merged = await ok(grid, dup.id, { action: 'merge', mergeInto: first.id });
    expect(merged.case.state).toBe('merged');
    expect((await t.call(grid, 'GET', `/api/v1/cases/${first.id}`)).json().case.followers).toBe(1);
  });

  it('keeps cases inside their scope: other communities, grids and residents get 404, lists hold only their own', async () => {
    const { id } = await report(resident);
    expect((await t.call(otherStaff, 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(404);
    const other = (await t.call(otherStaff, 'GET', '/api/v1/cases?limit=200')).json();
    expect(other.items.every((c: { communityCode: string }) => c.communityCode === '330108001002')).toBe(true);
    const someoneElse = await t.login('member.0001');
    expect((await t.call(someoneElse, 'GET', `/api/v1/cases/${id}`)).statusCode).toBe(404);
    expect((await t.call(resident, 'GET', '/api/v1/cases')).statusCode).toBe(403);
    const home = await t.call(resident, 'GET', '/api/v1/cases/home-area');
    expect(home.statusCode, home.body).toBe(200);
    expect(home.json().features[0].properties).toMatchObject({ kind: 'community', role: 'self' });
    expect(home.json().features.every((f: { properties: { kind: string } }) => ['community', 'grid'].includes(f.properties.kind))).toBe(true);
    expect((await t.call(staff, 'GET', '/api/v1/cases/home-area')).statusCode).toBe(404);
    const mine = (await t.call(resident, 'GET', '/api/v1/cases/mine?limit=200')).json();
    expect(mine.items.map((c: { id: number }) => c.id)).toContain(id);
    // a grid worker's patrol report outside their grid is refused
    const res = await t.call(grid, 'POST', '/api/v1/cases', { categoryCode: '0101', lng: point2.lng + 0.5, lat: point2.lat, description: '外区' });
    expect(res.statusCode).toBe(400);
    // a patrol report is channel patrol and can be rated by the grid's residents, not by the worker
    const patrol = await report(grid, { categoryCode: '0101' });
    expect(patrol.case.channel).toBe('patrol');
  });

  it('counts the desk queues from the records', async () => {
    const counts = (await t.call(staff, 'GET', '/api/v1/cases/counts')).json();
    const [direct] = await q<{ n: number }>(`select count(*)::int as n from civic_case where state = 'reported' and territory_path <@ (select path from territory_node where code = $1)`, [XILING]);
    expect(counts.reported).toBe(direct!.n);
    const mine = (await t.call(grid, 'GET', '/api/v1/cases?queue=mine&limit=200')).json();
    expect(mine.items.length).toBeGreaterThan(0);
    expect(mine.items.every((c: { handlerTier: string; state: string }) => ['micro_grid', 'grid'].includes(c.handlerTier) && ['reported', 'handling', 'resolved'].includes(c.state))).toBe(true);
  });
});

describe('cases: working-day deadlines and the supervision clock (injected time)', () => {
  let t: TestContext;
  let point: { lng: number; lat: number };
  let gridAuth: Awaited<ReturnType<typeof authOfUser>>;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const meta = { ip: '127.0.0.1', requestId: 'test', userAgent: 'vitest' };
  async function authOfUser(username: string) {
    const token = await t.login(username);
    const { resolveSession } = await import('../../platform/auth/session.js');
    return (await resolveSession(t.database.db, t.config, token))!;
  }
  const file = (reportedAt: Date, categoryCode = '0103') => transact(t.database.db, (trx, onCommit) => intakeCase(trx, onCommit,
    { channel: 'h5', categoryCode, description: '测试期限', lng: point.lng, lat: point.lat, reportedAt }, 'test'));

  beforeAll(async () => {
    t = await createTestContext();
    point = (await q<{ lng: number; lat: number }>(`select ST_X(location) as lng, ST_Y(location) as lat from territory_node
      where kind = 'building' and grid_code = $1 order by code limit 1`, [GRID1]))[0]!;
    gridAuth = await authOfUser(`grid.${GRID1}`);
  });
  afterAll(async () => t.close());

  it('counts across the National Day holiday and the make-up Saturday (2026)', async () => {
    // reported Wednesday 30 September, 1 working day: 1–7 October are holidays, 8 October (Thursday) is the first working day
    const a = await file(new Date('2026-09-30T02:00:00Z'));
    expect(a.acceptDeadline.toISOString()).toBe('2026-10-08T16:00:00.000Z'); // 24:00 Beijing on 8 October
    // reported Friday 9 October: Saturday 10 October is a make-up working day
    const b = await file(new Date('2026-10-09T03:00:00Z'));
    expect(b.acceptDeadline.toISOString()).toBe('2026-10-10T16:00:00.000Z');
    // reported on a Saturday that is a plain weekend: Monday
    const c = await file(new Date('2026-11-14T03:00:00Z'));
    expect(c.acceptDeadline.toISOString()).toBe('2026-11-16T16:00:00.000Z');
    // the handling deadline for 0103 (1 working day) after accepting on Friday 9 October is Saturday 10 October
    await actOnCase(t.database.db, gridAuth, b.id, { action: 'accept' }, meta, new Date('2026-10-09T05:00:00Z'));
    const [row] = await q<{ handle_deadline: Date }>(`select handle_deadline from civic_case where id = $1`, [b.id]);
    expect(new Date(row!.handle_deadline).toISOString()).toBe('2026-10-10T16:00:00.000Z');
  });

  it('follows the platform calendar override (a day off declared locally)', async () => {
    const admin = await t.login('admin');
    const put = await t.call(admin, 'PUT', '/api/v1/cases/calendar/2026-11-16', { workday: false, name: '台风停工' });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ workday: false, name: '台风停工', source: 'override' });
    const c = await file(new Date('2026-11-14T03:00:00Z'));
    expect(c.acceptDeadline.toISOString()).toBe('2026-11-17T16:00:00.000Z');
    const cal = (await t.call(admin, 'GET', '/api/v1/cases/calendar?year=2026')).json();
    expect(cal.days.find((d: { day: string }) => d.day === '2026-10-10')).toMatchObject({ workday: true });
    expect(cal.overrides).toEqual([{ day: '2026-11-16', workday: false, name: '台风停工' }]);
    const staff = await t.login(`community.${XILING}`);
    expect((await t.call(staff, 'PUT', '/api/v1/cases/calendar/2026-11-17', { workday: false })).statusCode).toBe(403);
    await t.call(admin, 'DELETE', '/api/v1/cases/calendar/2026-11-16');
    forgetCalendar();
  });

  it('raises a yellow card when a step is overdue and a red card (escalated to the seat above) after the threshold, each once', async () => {
    const { id } = await file(new Date('2026-11-02T02:00:00Z')); // Monday; accept due Tuesday 3 Nov 24:00 Beijing
    expect((await superviseCases(t.database.db, new Date('2026-11-03T10:00:00Z'))).yellow).toBe(0);
    const y = await superviseCases(t.database.db, new Date('2026-11-03T17:00:00Z'));
    expect(y.yellow).toBeGreaterThanOrEqual(1);
    let [c] = await q<{ card: string }>(`select card from civic_case where id = $1`, [id]);
    expect(c!.card).toBe('yellow');
    await superviseCases(t.database.db, new Date('2026-11-04T01:00:00Z'));
    expect((await q<{ n: number }>(`select count(*)::int as n from case_card where case_id = $1`, [id]))[0]!.n).toBe(1);
    // red: 2 working days after the deadline's day → end of Thursday 5 November
    await superviseCases(t.database.db, new Date('2026-11-05T10:00:00Z'));
    [c] = await q<{ card: string }>(`select card from civic_case where id = $1`, [id]);
    expect(c!.card).toBe('yellow');
    await superviseCases(t.database.db, new Date('2026-11-05T16:30:00Z'));
    [c] = await q<{ card: string }>(`select card from civic_case where id = $1`, [id]);
    expect(c!.card).toBe('red');
    const cards = await q<{ color: string }>(`select color from case_card where case_id = $1 order by id`, [id]);
    expect(cards.map((k) => k.color)).toEqual(['yellow', 'red']);
    const told = await q<{ username: string; title: string }>(`select u.username, n.title from notification n join app_user u on u.id = n.recipient_user_id
      where n.ref_id = $1 and n.kind = 'reminder' order by n.id`, [String(id)]);
    expect(told.filter((n) => n.title.startsWith('黄牌')).map((n) => n.username)).toContain(`grid.${GRID1}`);
    expect(told.filter((n) => n.title.includes('红牌')).map((n) => n.username)).toEqual(expect.arrayContaining([`grid.${GRID1}`, `community.${XILING}`]));
    const steps = await q<{ action: string; actor_kind: string }>(`select action, actor_kind from civic_case_step where case_id = $1 order by id`, [id]);
    expect(steps.filter((s) => s.action === 'card')).toHaveLength(2);
    // accepting starts the handling clock afresh: the card goes
    await actOnCase(t.database.db, gridAuth, id, { action: 'accept' }, meta, new Date('2026-11-06T01:00:00Z'));
    [c] = await q<{ card: string }>(`select card from civic_case where id = $1`, [id]);
    expect(c!.card).toBe('none');
  });

  it('cards what is due even behind a full batch of yellow cards still waiting for red', async () => {
    // three steps due Tuesday 17 Nov 24:00 go yellow on Wednesday and red only at the end of Thursday…
    const older = await Promise.all([0, 1, 2].map(() => file(new Date('2026-11-16T02:00:00Z'))));
    for (let i = 0; i < 3; i++) await superviseCases(t.database.db, new Date('2026-11-18T02:00:00Z'), 2);
    const cards = async (ids: number[]) => (await q<{ card: string }>(`select card from civic_case where id = any($1) order by id`, [ids])).map((c) => c.card);
    expect(await cards(older.map((o) => o.id))).toEqual(['yellow', 'yellow', 'yellow']);
    // …while a step due Wednesday 18 Nov 24:00 is due its yellow card on Thursday: it must get it, batch of two or not
    const newer = await file(new Date('2026-11-17T02:00:00Z'));
    for (let i = 0; i < 3; i++) await superviseCases(t.database.db, new Date('2026-11-19T10:00:00Z'), 2);
    expect(await cards([newer.id])).toEqual(['yellow']);
    expect(await cards(older.map((o) => o.id))).toEqual(['yellow', 'yellow', 'yellow']);
  });

  it('cards a whistled department late to report in', async () => {
    const staffAuth = await authOfUser(`community.${XILING}`);
    const { id } = await file(new Date('2026-11-09T02:00:00Z'), '0104'); // community tier
    await actOnCase(t.database.db, staffAuth, id, { action: 'accept' }, meta, new Date('2026-11-09T03:00:00Z'));
    await actOnCase(t.database.db, staffAuth, id, { action: 'whistle', targetOrg: ['330108CG'] }, meta, new Date('2026-11-09T04:00:00Z'));
    const run = await superviseCases(t.database.db, new Date('2026-11-10T16:30:00Z'));
    expect(run.whistleCards).toBeGreaterThanOrEqual(1);
    const [w] = await q<{ card: string }>(`select card from case_whistle where case_id = $1`, [id]);
    expect(w!.card).toBe('yellow');
  });

  it('closes a case left unrated after the window by the explicit policy', async () => {
    const staffAuth = await authOfUser(`community.${XILING}`);
    const { id } = await file(new Date('2026-11-16T02:00:00Z'));
    await actOnCase(t.database.db, gridAuth, id, { action: 'accept' }, meta, new Date('2026-11-16T03:00:00Z'));
    await actOnCase(t.database.db, gridAuth, id, { action: 'resolve', note: '已处理' }, meta, new Date('2026-11-16T04:00:00Z'));
    await actOnCase(t.database.db, staffAuth, id, { action: 'verify' }, meta, new Date('2026-11-16T05:00:00Z'));
    expect((await superviseCases(t.database.db, new Date('2026-11-18T00:00:00Z'))).autoClosed).toBe(0);
    const run = await superviseCases(t.database.db, new Date('2026-11-21T17:00:00Z')); // rating window 5 days from 16 Nov (Beijing)
    expect(run.autoClosed).toBeGreaterThanOrEqual(1);
    const [c] = await q<{ state: string; closed_unrated: boolean; satisfaction: string | null }>(`select state, closed_unrated, satisfaction from civic_case where id = $1`, [id]);
    expect(c).toEqual({ state: 'closed', closed_unrated: true, satisfaction: null });
  });
});
