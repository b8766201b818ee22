import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { expireOverdueOrders } from './orders.service.js';
import { makeMemberAccount, PNG, registerMember, uploadPhoto, XILING, XILING_BRANCH, type Member } from './test-factory.js';

describe('the four-order loop (四单)', () => {
  let t: TestContext;
  let resident: string;
  let staff: string;
  let otherStaff: string;
  let member: Member;
  let member2: Member;
  let staffUserId: number;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const snapshot = async (orderId: number) => (await q<Record<string, unknown>>(`select o.state, o.assignee_force_id, o.dispatch_mode, o.hours, o.updated_at,
      (select count(*)::int from service_order_event e where e.order_id = o.id) as events,
      (select count(*)::int from service_record r where r.order_id = o.id) as records,
      (select count(*)::int from audit_log a where a.target_type = 'service_order' and a.target_id = o.id::text) as audits
    from service_order o where o.id = $1`, [orderId]))[0];
  const order = async (title = '帮忙修理水龙头') => {
    const res = await t.call(resident, 'POST', '/api/v1/service/orders', { title, skillCode: 'plumbing', description: '厨房水龙头漏水' });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().order.id as number;
  };
  const act = (token: string, id: number, body: Record<string, unknown>) => t.call(token, 'POST', `/api/v1/service/orders/${id}/actions`, body);

  beforeAll(async () => {
    t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-files-')) });
    [resident, staff, otherStaff] = await Promise.all(['resident.demo', `community.${XILING}`, 'community.330108001002'].map((u) => t.login(u))) as [string, string, string];
    member = await registerMember(t, 'member.demo');
    member2 = await makeMemberAccount(t, 'member.h2second');
    staffUserId = (await q<{ id: number }>(`select id::int as id from app_user where username = $1`, [`community.${XILING}`]))[0]!.id;
  });
  afterAll(async () => t.close());

  it('runs the whole loop: order → dispatch → accept → complete with hours and a photo → rate; every step on the timeline', async () => {
    const created = await t.call(resident, 'POST', '/api/v1/service/orders', { title: '帮忙修理水龙头', skillCode: 'plumbing', size: 'micro' });
    expect(created.statusCode, created.body).toBe(201);
    const o = created.json().order;
    expect(o.serviceNo).toMatch(/^FW\d{8}\d{6}$/);
    expect(o).toMatchObject({ state: 'ordered', stateName: '待派单', communityCode: XILING, skillName: '水电维修', hourCap: 4 });
    expect(o.placeCode).toMatch(new RegExp(`^${XILING}`)); // the resident's home room by default
    expect(o.placeAddress).toMatch(/室$/);
    expect(o.placeName).toMatch(/\*\*\*室$/);
    expect(o.residentName).toMatch(/\*/);
    expect(created.json().allowedActions.map((a: any) => a.action)).toEqual(['cancel']);
    // the community's staff are told; the neighbouring community's are not
    const told = await q<{ recipient_user_id: number; title: string }>(`select recipient_user_id::int as recipient_user_id, title from notification
      where ref_type = 'service_order' and ref_id = $1`, [String(o.id)]);
    expect(told.map((n) => n.recipient_user_id)).toContain(staffUserId);
    expect(told.every((n) => n.title.includes('帮忙修理水龙头'))).toBe(true);
    const otherId = (await q<{ id: number }>(`select id::int as id from app_user where username = 'community.330108001002'`))[0]!.id;
    expect(told.map((n) => n.recipient_user_id)).not.toContain(otherId);

    // desk, scope and the resident's own list
    const counts = (await t.call(staff, 'GET', '/api/v1/service/orders/counts')).json();
    const [direct] = await q<{ n: number }>(`select count(*)::int as n from service_order where state = 'ordered' and community_path <@ (select path from territory_node where code = $1)`, [XILING]);
    expect(counts.byState.ordered).toBe(direct!.n);
    expect(counts.byState.ordered).toBeGreaterThanOrEqual(1);
    const [other] = await q<{ n: number }>(`select count(*)::int as n from service_order where community_code = '330108001002'`);
    expect((await t.call(otherStaff, 'GET', '/api/v1/service/orders/counts')).json().total).toBe(other!.n);
    const desk = await t.call(staff, 'GET', '/api/v1/service/orders?state=ordered');
    expect(desk.json().items.map((i: any) => i.id)).toContain(o.id);
    expect((await t.call(otherStaff, 'GET', '/api/v1/service/orders')).json().items.map((i: any) => i.id)).not.toContain(o.id);
    expect((await t.call(otherStaff, 'GET', `/api/v1/service/orders/${o.id}`)).statusCode).toBe(404);
    expect((await t.call(resident, 'GET', '/api/v1/service/orders/mine')).json().items[0].id).toBe(o.id);
    const staffView = (await t.call(staff, 'GET', `/api/v1/service/orders/${o.id}`)).json();
    // the door number is the resident's and the serving member's: staff lists and views show the room masked
    expect(staffView.order).toMatchObject({ placeCode: null, placeAddress: null, placeName: o.placeName });
    expect(desk.json().items.find((i: any) => i.id === o.id)).toMatchObject({ placeCode: null, placeAddress: null });
    expect(staffView.allowedActions.map((a: any) => a.action).sort()).toEqual(['dispatch', 'reject']);

    // dispatch to member.demo: deadline now + 24 h, the member is told
    const before = Date.now();
    const dispatched = await act(staff, o.id, { action: 'dispatch', mode: 'member', forceId: member.forceId, note: '请尽快联系居民' });
    expect(dispatched.statusCode, dispatched.body).toBe(200);
    const d = dispatched.json().order;
    expect(d).toMatchObject({ state: 'dispatched', dispatchMode: 'member', assigneeForceId: member.forceId, dispatchCount: 1 });
    expect(Math.abs(Date.parse(d.acceptDeadline) - before - 24 * 3600_000)).toBeLessThan(60_000);
    const memberTold = await q(`select 1 from notification where recipient_user_id = $1 and kind = 'dispatch' and ref_id = $2`, [member.userId, String(o.id)]);
    expect(memberTold).toHaveLength(1);
    const assigned = await t.call(member.token, 'GET', '/api/v1/service/orders/assigned');
    expect(assigned.json().items.map((i: any) => i.id)).toContain(o.id);
    const memberView = (await t.call(member.token, 'GET', `/api/v1/service/orders/${o.id}`)).json();
    expect(memberView.allowedActions.map((a: any) => a.action).sort()).toEqual(['accept', 'decline']);
    expect((await t.call(member2.token, 'GET', `/api/v1/service/orders/${o.id}`)).statusCode).toBe(404);

    expect(memberView.order.placeAddress).toBeNull();
    const accepted = (await act(member.token, o.id, { action: 'accept' })).json().order;
    expect(accepted).toMatchObject({ state: 'accepted', placeAddress: o.placeAddress, placeCode: o.placeCode });

    // evidence photo: upload, read back; non-images and oversize files refused
    const photo = await uploadPhoto(t, member.token);
    expect(photo.status, JSON.stringify(photo.body)).toBe(201);
    expect(photo.body).toMatchObject({ size: PNG.length, contentType: 'image/png', url: `/api/v1/files/${photo.body.id}` });
    const back = await t.call(member.token, 'GET', photo.body.url);
    expect(back.statusCode).toBe(200);
    // not yet on the order: nobody but the uploader reads it (files.test.ts covers the whole rule)
    expect((await t.call(resident, 'GET', photo.body.url)).statusCode).toBe(404);
    expect(back.headers['content-type']).toBe('image/png');
    expect(Buffer.from(back.rawPayload).equals(PNG)).toBe(true);
    expect((await t.call(null, 'GET', photo.body.url)).statusCode).toBe(401);
    const text = await uploadPhoto(t, member.token, Buffer.from('not an image at all'), 'x.png');
    expect(text.status).toBe(400);
    expect(text.body.error.field).toBe('file');
    const big = await uploadPhoto(t, member.token, Buffer.concat([PNG, Buffer.alloc(5 * 1024 * 1024)]), 'big.png');
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('TOO_LARGE');

    // hours over the cap: 400 on `hours`, nothing changes
    const still = await snapshot(o.id);
    const over = await act(member.token, o.id, { action: 'complete', hours: 5, evidence: [photo.body.id] });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ code: 'VALIDATION', field: 'hours' });
    expect((await act(member.token, o.id, { action: 'complete', hours: 0, evidence: [photo.body.id] })).statusCode).toBe(400);
    const unknownPhoto = await act(member.token, o.id, { action: 'complete', hours: 2, evidence: ['00000000-0000-0000-0000-000000000000'] });
    expect(unknownPhoto.json().error.field).toBe('evidence');
    // someone else's upload cannot be named (it would make their photo readable to this order's parties)
    const foreign = await uploadPhoto(t, member2.token);
    expect((await act(member.token, o.id, { action: 'complete', hours: 2, evidence: [foreign.body.id] })).json().error.field).toBe('evidence');
    expect(await snapshot(o.id)).toEqual(still);

    const done = await act(member.token, o.id, { action: 'complete', hours: 2.5, evidence: [photo.body.id], note: '已更换阀芯' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().order).toMatchObject({ state: 'done', hours: 2.5, resultNote: '已更换阀芯', evidence: [{ id: photo.body.id, url: photo.body.url }] });
    expect((await t.call(resident, 'GET', photo.body.url)).statusCode).toBe(200);
    expect((await t.call(staff, 'GET', photo.body.url)).statusCode).toBe(200);
    expect((await t.call(otherStaff, 'GET', photo.body.url)).statusCode).toBe(404);
    const [record] = await q<Record<string, unknown>>(`select source, status, hours, hour_cap, force_id::int as force_id from service_record where order_id = $1`, [o.id]);
    expect(record).toEqual({ source: 'order', status: 'pending', hours: 2.5, hour_cap: 4, force_id: member.forceId });
    expect((await t.call(resident, 'GET', `/api/v1/service/orders/${o.id}`)).json().allowedActions).toEqual([]);

    // the resident rates: record confirmed by the served person, order rated
    const rated = await t.call(resident, 'POST', `/api/v1/service/orders/${o.id}/ratings`, { score: 5, comment: '师傅很专业' });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json().order).toMatchObject({ state: 'rated', residentScore: 5 });
    const [confirmed] = await q<Record<string, unknown>>(`select r.status, r.confirmed_as, u.username from service_record r join app_user u on u.id = r.confirmed_by where r.order_id = $1`, [o.id]);
    expect(confirmed).toEqual({ status: 'confirmed', confirmed_as: 'resident', username: 'resident.demo' });
    const residentName = (await q<{ name: string }>(`select p.name from app_user u join person p on p.id = u.person_id where u.username = 'resident.demo'`))[0]!.name;
    const rec = (await t.call(staff, 'GET', `/api/v1/service/records/${rated.json().order.recordId}`)).json();
    expect(rec).toMatchObject({ status: 'confirmed', confirmedAs: 'resident', confirmedByName: `${[...residentName][0]}${'*'.repeat([...residentName].length - 1)}` });
    const cert = (await t.call(member.token, 'GET', '/api/v1/service/members/me/certificate')).body;
    expect(cert).toContain('帮忙修理水龙头');
    expect(cert).not.toContain(residentName);
    // rating twice: 409, nothing changes
    const again = await t.call(resident, 'POST', `/api/v1/service/orders/${o.id}/ratings`, { score: 1 });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_DONE');
    expect(await q(`select score from service_rating where record_id = (select id from service_record where order_id = $1)`, [o.id])).toEqual([{ score: 5 }]);
    // the community rates too
    expect((await t.call(staff, 'POST', `/api/v1/service/orders/${o.id}/ratings`, { score: 4 })).statusCode).toBe(201);
    expect((await t.call(staff, 'POST', `/api/v1/service/orders/${o.id}/ratings`, { score: 4 })).json().error.code).toBe('ALREADY_DONE');
    // the member cannot rate themself
    expect((await t.call(member.token, 'POST', `/api/v1/service/orders/${o.id}/ratings`, { score: 5 })).statusCode).toBe(403);

    // the timeline: every transition with who and when
    const detail = (await t.call(staff, 'GET', `/api/v1/service/orders/${o.id}`)).json();
    expect(detail.events.map((e: any) => [e.action, e.from, e.to, e.actorKind])).toEqual([
      ['order', null, 'ordered', 'resident'],
      ['dispatch', 'ordered', 'dispatched', 'community'],
      ['accept', 'dispatched', 'accepted', 'assignee'],
      ['complete', 'accepted', 'done', 'assignee'],
      ['close', 'done', 'rated', 'system'],
    ]);
    expect(detail.events[1]).toMatchObject({ actionName: '社区派单', actorName: '西陵社区工作人员', note: '请尽快联系居民' });
    expect(detail.events[2].actorName).toBe(`${[...member.name][0]}${'*'.repeat([...member.name].length - 1)}`);
    expect(detail.events[4].actorName).toBe('系统');
    for (const e of detail.events) expect(Date.parse(e.at)).toBeGreaterThan(before - 60_000);
    expect(detail.ratings.map((r: any) => [r.raterKind, r.score])).toEqual([['resident', 5], ['community', 4]]);
    const audits = await q<{ action: string }>(`select action from audit_log where target_type = 'service_order' and target_id = $1 order by id`, [String(o.id)]);
    expect(audits.map((a) => a.action)).toEqual(['service_order.create', 'service_order.dispatch', 'service_order.accept', 'service_order.complete']);
  });

  it('completes without a photo: the hours wait for the organiser to confirm them (or the resident\'s rating), no photo asked anywhere', async () => {
    const id = await order('陪同老人就医');
    expect((await act(staff, id, { action: 'dispatch', mode: 'member', forceId: member.forceId })).statusCode).toBe(200);
    expect((await act(member.token, id, { action: 'accept' })).statusCode).toBe(200);
    const done = await act(member.token, id, { action: 'complete', hours: 1.5, note: '陪同挂号、取药' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().order).toMatchObject({ state: 'done', hours: 1.5, evidence: [], resultNote: '陪同挂号、取药' });
    const [record] = await q<{ id: number; status: string; evidence: unknown }>(`select id::int as id, status, evidence from service_record where order_id = $1`, [id]);
    expect(record).toMatchObject({ status: 'pending', evidence: [] });
    // the organiser confirms the hours: no photo is asked for
    const confirmed = await t.call(staff, 'POST', `/api/v1/service/records/${record!.id}/confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', confirmedAs: 'organiser', hours: 1.5, evidence: [] });
    // an empty list is the same as none
    const id2 = await order('帮忙搬运家具');
    await act(staff, id2, { action: 'dispatch', mode: 'member', forceId: member.forceId });
    await act(member.token, id2, { action: 'accept' });
    expect((await act(member.token, id2, { action: 'complete', hours: 1, evidence: [] })).json().order).toMatchObject({ state: 'done', evidence: [] });
    const rated = await t.call(resident, 'POST', `/api/v1/service/orders/${id2}/ratings`, { score: 5 });
    expect(rated.statusCode, rated.body).toBe(201);
    expect(rated.json().order.state).toBe('rated');
  });

  it('refuses every transition the table does not allow from the current state (409) or for another party (403), changing nothing', async () => {
    const id = await order('帮忙搬运家具');
    const cases: [string, Record<string, unknown>, number, string][] = [
      [staff, { action: 'accept' }, 409, 'INVALID_TRANSITION'],
      [resident, { action: 'complete', hours: 1, evidence: [] }, 409, 'INVALID_TRANSITION'],
      [member.token, { action: 'accept' }, 404, 'NOT_FOUND'], // not offered to them: its existence is private
      [staff, { action: 'close' }, 409, 'INVALID_TRANSITION'],
      [staff, { action: 'expire' }, 409, 'INVALID_TRANSITION'],
      [staff, { action: 'fly-away' }, 409, 'INVALID_TRANSITION'],
      [resident, { action: 'dispatch', mode: 'open' }, 403, 'FORBIDDEN'],
      [staff, { action: 'cancel' }, 403, 'FORBIDDEN'],
      [otherStaff, { action: 'dispatch', mode: 'open' }, 404, 'NOT_FOUND'],
      [staff, { action: 'dispatch' }, 400, 'VALIDATION'],
      [staff, { action: 'dispatch', mode: 'member' }, 400, 'VALIDATION'],
      [staff, { action: 'dispatch', mode: 'branch', orgCode: 'P330108002001F01' }, 404, 'NOT_FOUND'],
    ];
    const before = await snapshot(id);
    for (const [token, body, status, code] of cases) {
      const res = await act(token, id, body);
      expect([JSON.stringify(body), res.statusCode, res.json().error?.code]).toEqual([JSON.stringify(body), status, code]);
    }
    expect(await snapshot(id)).toEqual(before);

    // dispatched to member.demo: member2 may not accept, the resident may not complete
    expect((await act(staff, id, { action: 'dispatch', mode: 'member', forceId: member.forceId })).statusCode).toBe(200);
    const dispatched = await snapshot(id);
    expect((await act(member2.token, id, { action: 'accept' })).statusCode).toBe(404);
    expect((await act(resident, id, { action: 'accept' })).statusCode).toBe(403);
    expect((await act(member.token, id, { action: 'complete', hours: 1, evidence: [] })).json().error.code).toBe('INVALID_TRANSITION');
    expect((await act(staff, id, { action: 'dispatch', mode: 'open' })).json().error.code).toBe('INVALID_TRANSITION');
    expect(await snapshot(id)).toEqual(dispatched);

    // declined → back to ordered, staff told; the resident cancels; nothing more is possible
    const declined = await act(member.token, id, { action: 'decline', note: '本周出差' });
    expect(declined.json().order).toMatchObject({ state: 'ordered', assigneeForceId: null, dispatchMode: null });
    expect(await q(`select 1 from notification where recipient_user_id = $1 and ref_id = $2 and title like '婉拒%'`, [staffUserId, String(id)])).toHaveLength(1);
    expect((await act(resident, id, { action: 'cancel' })).json().order.state).toBe('cancelled');
    const cancelled = await snapshot(id);
    for (const action of ['dispatch', 'cancel', 'accept', 'reject']) {
      const res = await act(action === 'cancel' ? resident : staff, id, { action, mode: 'open' });
      expect(res.json().error.code).toBe('INVALID_TRANSITION');
    }
    expect(await snapshot(id)).toEqual(cancelled);
    // rating an order that is not done
    const notDone = await t.call(resident, 'POST', `/api/v1/service/orders/${id}/ratings`, { score: 5 });
    expect(notDone.json().error.code).toBe('INVALID_TRANSITION');
  });

  it('lets exactly one of many members accept an open order at the same time', async () => {
    const racers = [member, member2];
    for (let i = 0; i < 6; i += 1) racers.push(await makeMemberAccount(t, `member.h2race${i}`));
    const id = await order('帮忙搬运旧家具');
    expect((await act(staff, id, { action: 'dispatch', mode: 'open' })).statusCode).toBe(200);
    const results = await Promise.all(racers.map((m) => act(m.token, id, { action: 'accept' })));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'INVALID_TRANSITION')).toBe(true);
    expect(results.filter((r) => r.statusCode === 409)).toHaveLength(racers.length - 1);
    const winner = racers[results.findIndex((r) => r.statusCode === 200)]!;
    const [row] = await q<{ assignee: number; accepts: number; load: number }>(`select o.assignee_force_id::int as assignee,
      (select count(*)::int from service_order_event where order_id = o.id and action = 'accept') as accepts,
      (select open_load from force_person where id = o.assignee_force_id) as load from service_order o where o.id = $1`, [id]);
    expect(row).toMatchObject({ assignee: winner.forceId, accepts: 1 });
    expect(row!.load).toBeGreaterThanOrEqual(1); // the order counts in the winner's open load (trigger-kept)
    const loadBefore = row!.load;
    expect((await act(winner.token, id, { action: 'withdraw' })).json().order.state).toBe('ordered');
    expect((await q<{ load: number }>(`select open_load as load from force_person where id = $1`, [winner.forceId]))[0]!.load).toBe(loadBefore - 1);
  });

  it('lets exactly one of two members accept an open order', async () => {
    const id = await order('陪同老人就医');
    const open = await act(staff, id, { action: 'dispatch', mode: 'open' });
    expect(open.json().order).toMatchObject({ state: 'dispatched', dispatchMode: 'open', assigneeForceId: null });
    // an open offer is not one member's to turn down for everyone: no 婉拒, and trying changes nothing
    expect((await t.call(member.token, 'GET', `/api/v1/service/orders/${id}`)).json().allowedActions.map((a: any) => a.action)).toEqual(['accept']);
    const declined = await act(member.token, id, { action: 'decline' });
    expect(declined.statusCode).toBe(403);
    expect((await snapshot(id))!.state).toBe('dispatched');
    expect(await q(`select 1 from notification where audience_path = (select path from territory_node where code = $1) and ref_id = $2`, [XILING, String(id)])).toHaveLength(1);
    for (const m of [member, member2]) {
      expect((await t.call(m.token, 'GET', '/api/v1/service/orders/assigned')).json().items.map((i: any) => i.id)).toContain(id);
    }
    const results = await Promise.all([act(member.token, id, { action: 'accept' }), act(member2.token, id, { action: 'accept' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results[0]!.statusCode === 200 ? member : member2;
    const loser = winner === member ? member2 : member;
    expect(results.find((r) => r.statusCode === 409)!.json().error.code).toBe('INVALID_TRANSITION');
    const [row] = await q<{ assignee_force_id: number; accepts: number }>(`select assignee_force_id::int as assignee_force_id,
      (select count(*)::int from service_order_event where order_id = $1 and action = 'accept') as accepts from service_order where id = $1`, [id]);
    expect(row).toEqual({ assignee_force_id: winner.forceId, accepts: 1 });
    expect((await t.call(loser.token, 'GET', '/api/v1/service/orders/assigned')).json().items.map((i: any) => i.id)).not.toContain(id);
    // staff may take an accepted order back (the member left or cannot be reached); the member is told
    expect((await act(loser.token, id, { action: 'reclaim' })).statusCode).toBe(404);
    const reclaimed = await act(staff, id, { action: 'reclaim', note: '党员已暂停服务' });
    expect(reclaimed.json().order).toMatchObject({ state: 'ordered', assigneeForceId: null });
    expect(await q(`select 1 from notification where recipient_user_id = $1 and ref_id = $2 and title like '社区已收回%'`, [winner.userId, String(id)])).toHaveLength(1);
    // dispatched again, accepted, and the winner withdraws → back to the community
    expect((await act(staff, id, { action: 'dispatch', mode: 'member', forceId: winner.forceId })).statusCode).toBe(200);
    expect((await act(winner.token, id, { action: 'accept' })).statusCode).toBe(200);
    expect((await act(winner.token, id, { action: 'withdraw', note: '临时有事' })).json().order.state).toBe('ordered');
  });

  it('dispatches to a branch: any member placed in it may accept', async () => {
    const id = await order('社区活动摄影');
    const res = await act(staff, id, { action: 'dispatch', mode: 'branch', orgCode: XILING_BRANCH });
    expect(res.json().order).toMatchObject({ dispatchMode: 'branch', assigneeOrgCode: XILING_BRANCH });
    const told = await q<{ u: number }>(`select recipient_user_id::int as u from notification where kind = 'dispatch' and ref_id = $1 order by 1`, [String(id)]);
    expect(told.map((n) => n.u)).toEqual(expect.arrayContaining([member.userId, member2.userId]));
    const [branchUsers] = await q<{ n: number }>(`select count(distinct f.user_id)::int as n from member_registration r join force_person f on f.id = r.force_id
      where r.branch_code = $1 and r.status = 'approved' and f.status = 'active' and f.user_id is not null`, [XILING_BRANCH]);
    expect(told).toHaveLength(branchUsers!.n);
    const accepted = await act(member2.token, id, { action: 'accept' });
    expect(accepted.json().order).toMatchObject({ state: 'accepted', assigneeForceId: member2.forceId });
    expect((await act(member.token, id, { action: 'complete', hours: 1, evidence: [] })).statusCode).toBe(404);
  });

  it('re-dispatches an order nobody accepted in time to the whole community, then back to the staff, telling them each time', async () => {
    const id = await order('更换楼道灯泡');
    expect((await act(staff, id, { action: 'dispatch', mode: 'member', forceId: member.forceId })).statusCode).toBe(200);
    const inOneHour = new Date(Date.now() + 3600_000);
    expect(await expireOverdueOrders(t.database.db, inOneHour)).toBe(0);
    expect((await snapshot(id))!.state).toBe('dispatched');
    // first timeout: published to every registered member of the community, with a new deadline
    const tomorrow = new Date(Date.now() + 25 * 3600_000);
    expect(await expireOverdueOrders(t.database.db, tomorrow)).toBeGreaterThanOrEqual(1);
    let detail = (await t.call(staff, 'GET', `/api/v1/service/orders/${id}`)).json();
    expect(detail.order).toMatchObject({ state: 'dispatched', dispatchMode: 'open', assigneeForceId: null, dispatchCount: 2 });
    expect(new Date(detail.order.acceptDeadline).getTime()).toBe(tomorrow.getTime() + 24 * 3600_000);
    expect(detail.events.at(-1)).toMatchObject({ action: 'republish', from: 'dispatched', to: 'dispatched', actorKind: 'system', actorName: '系统' });
    const calls = await q<{ audience: string; community: string }>(`select n.audience_path::text as audience, t.path::text as community
      from notification n join service_order o on o.id = n.ref_id::bigint join territory_node t on t.code = o.community_code
      where n.ref_id = $1 and n.kind = 'dispatch' and n.audience_path is not null`, [String(id)]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.audience).toBe(calls[0]!.community);
    let told = await q<{ title: string }>(`select title from notification where recipient_user_id = $1 and ref_id = $2 and kind = 'reminder' order by id`, [staffUserId, String(id)]);
    expect(told.map((n) => n.title)).toEqual(['超时未接单，已转为社区公开招募：更换楼道灯泡']);
    // a second member of the community now sees it among the orders for them
    expect((await t.call(member2.token, 'GET', '/api/v1/service/orders/assigned')).json().items.map((o: { id: number }) => o.id)).toContain(id);
    // second timeout: nobody took the open order either → back to the staff's queue
    const dayAfter = new Date(tomorrow.getTime() + 25 * 3600_000);
    expect(await expireOverdueOrders(t.database.db, dayAfter)).toBeGreaterThanOrEqual(1);
    detail = (await t.call(staff, 'GET', `/api/v1/service/orders/${id}`)).json();
    expect(detail.order).toMatchObject({ state: 'ordered', assigneeForceId: null, acceptDeadline: null, dispatchCount: 2 });
    expect(detail.events.at(-1)).toMatchObject({ action: 'expire', from: 'dispatched', to: 'ordered', actorKind: 'system' });
    told = await q<{ title: string }>(`select title from notification where recipient_user_id = $1 and ref_id = $2 and kind = 'reminder' order by id`, [staffUserId, String(id)]);
    expect(told.map((n) => n.title)).toEqual(['超时未接单，已转为社区公开招募：更换楼道灯泡', '超时未接单，请重新派单：更换楼道灯泡']);
    expect(await expireOverdueOrders(t.database.db, dayAfter)).toBe(0);
    // and it can be dispatched again
    expect((await act(staff, id, { action: 'dispatch', mode: 'open' })).json().order.dispatchCount).toBe(3);
  });

  it('validates the order itself', async () => {
    const bad = await t.call(resident, 'POST', '/api/v1/service/orders', { title: '修水管', skillCode: 'nonsense' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('skillCode');
    expect((await t.call(resident, 'POST', '/api/v1/service/orders', { title: '修' })).json().error.field).toBe('title');
    expect((await t.call(resident, 'POST', '/api/v1/service/orders', { title: '修水管', placeCode: '330108' })).json().error.field).toBe('placeCode');
    expect((await t.call(staff, 'POST', '/api/v1/service/orders', { title: '修水管' })).statusCode).toBe(403);
    const states = (await t.call(resident, 'GET', '/api/v1/service/order-states')).json();
    expect(states.transitions).toContainEqual({ from: 'dispatched', action: 'republish', to: 'dispatched', actor: 'system', name: '超时未接单，自动转为社区公开招募' });
    expect(states.transitions).toContainEqual({ from: 'dispatched', action: 'expire', to: 'ordered', actor: 'system', name: '公开招募仍无人接单，退回社区重派' });
  });
});
