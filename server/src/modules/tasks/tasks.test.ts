import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { buildMembers, buildTeam, CHANGHE_1, inHours, XILING, XIXING, type Member } from './test-factory.js';

describe('tasks with limited slots and emergency calls', () => {
  let t: TestContext;
  let xiling: string;   // community staff of 西陵社区
  let street: string;   // street staff of 西兴街道
  let members: Member[];
  let foreigner: Member; // a member of 长河街道
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const taskState = async (id: number) => (await q<{ claimed: number; status: string; claims: number; records: number }>(`
    select claimed, status, (select count(*)::int from task_claim where task_id = $1 and status <> 'cancelled') as claims,
      (select count(*)::int from service_record r join task_claim c on c.id = r.claim_id where c.task_id = $1) as records
    from service_task where id = $1`, [id]))[0]!;

  const newTask = async (token: string, body: Record<string, unknown> = {}) => {
    const res = await t.call(token, 'POST', '/api/v1/service/tasks', {
      title: '社区防汛沙袋搬运', size: 'micro', scopeCode: XILING, capacity: 3, startsAt: inHours(1), endsAt: inHours(4), ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as { id: number; capacity: number; claimed: number; status: string };
  };

  beforeAll(async () => {
    t = await createTestContext();
    [xiling, street] = await Promise.all([t.login(`community.${XILING}`), t.login(`street.${XIXING}`)]);
    members = await buildMembers(t, 8, [XILING]);
    foreigner = (await buildMembers(t, 1, [CHANGHE_1]))[0]!;
  });
  afterAll(async () => t.close());

  it('publishes a task in scope and refuses bad input, changing nothing', async () => {
    const before = (await q<{ n: number }>('select count(*)::int as n from service_task'))[0]!.n;
    const bad = await t.call(xiling, 'POST', '/api/v1/service/tasks', { title: '测试任务', size: 'micro', scopeCode: XILING, capacity: 3,
      startsAt: inHours(3), endsAt: inHours(2) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('endsAt');
    const foreign = await t.call(xiling, 'POST', '/api/v1/service/tasks', { title: '测试任务', size: 'micro', scopeCode: CHANGHE_1, capacity: 3,
      startsAt: inHours(1), endsAt: inHours(2) });
    expect(foreign.statusCode).toBe(404);
    const skill = await t.call(xiling, 'POST', '/api/v1/service/tasks', { title: '测试任务', size: 'micro', scopeCode: XILING, capacity: 3,
      startsAt: inHours(1), endsAt: inHours(2), skills: ['no_such_skill'] });
    expect(skill.statusCode).toBe(400);
    expect(skill.json().error.field).toBe('skills');
    const byMember = await t.call(members[0]!.token, 'POST', '/api/v1/service/tasks', { title: '测试任务', size: 'micro', scopeCode: XILING,
      capacity: 3, startsAt: inHours(1), endsAt: inHours(2) });
    expect(byMember.statusCode).toBe(403);
    expect((await q<{ n: number }>('select count(*)::int as n from service_task'))[0]!.n).toBe(before);

    const task = await newTask(xiling, { skills: ['logistics'], location: { type: 'Point', coordinates: [120.21, 30.21] }, hourCap: 3 });
    const got = await t.call(xiling, 'GET', `/api/v1/service/tasks/${task.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ capacity: 3, claimed: 0, status: 'open', scopeCode: XILING, scopeName: '西陵社区', hourCap: 3,
      skills: [{ code: 'logistics', name: '物资搬运' }], location: { type: 'Point', coordinates: [120.21, 30.21] } });
    // another community's staff does not see it
    const other = await t.login('community.330108001002');
    expect((await t.call(other, 'GET', `/api/v1/service/tasks/${task.id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/service/tasks')).json().items.map((i: { id: number }) => i.id)).not.toContain(task.id);
    expect((await t.call(street, 'GET', '/api/v1/service/tasks')).json().items.map((i: { id: number }) => i.id)).toContain(task.id);
  });

  it('claims: 201, ALREADY_DONE, FULL, out of reach 404; the counter follows the claims', async () => {
    const task = await newTask(xiling, { capacity: 2 });
    const [a, b, c] = members as [Member, Member, Member];
    const first = await t.call(a.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ taskId: task.id, forceId: a.forceId, status: 'claimed', claimed: 1, capacity: 2 });
    const again = await t.call(a.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('ALREADY_DONE');
    expect((await t.call(b.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`)).statusCode).toBe(201);
    const full = await t.call(c.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('FULL');
    const far = await t.call(foreigner.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(far.statusCode).toBe(404);
    expect(await taskState(task.id)).toMatchObject({ claimed: 2, claims: 2 });
    // the member sees it with their claim; the stranger does not see it at all
    const mine = (await t.call(a.token, 'GET', `/api/v1/service/tasks/${task.id}`)).json();
    expect(mine.myClaim).toMatchObject({ id: first.json().id, status: 'claimed' });
    expect((await t.call(foreigner.token, 'GET', `/api/v1/service/tasks/${task.id}`)).statusCode).toBe(404);
    const listed = (await t.call(a.token, 'GET', '/api/v1/service/tasks?mine=true')).json().items;
    expect(listed.map((i: { id: number }) => i.id)).toContain(task.id);
    // cancelling frees the slot; then c can claim
    const cancel = await t.call(b.token, 'DELETE', `/api/v1/service/tasks/${task.id}/claims/mine`);
    expect(cancel.statusCode).toBe(200);
    expect(cancel.json()).toEqual({ claimed: 1, capacity: 2 });
    expect((await t.call(b.token, 'DELETE', `/api/v1/service/tasks/${task.id}/claims/mine`)).statusCode).toBe(404);
    expect((await t.call(c.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).statusCode).toBe(201);
    expect(await taskState(task.id)).toMatchObject({ claimed: 2, claims: 2 });
    const claims = (await t.call(xiling, 'GET', `/api/v1/service/tasks/${task.id}/claims`)).json().items;
    expect(claims.map((x: { forceId: number; status: string }) => `${x.forceId}:${x.status}`).sort())
      .toEqual([`${a.forceId}:claimed`, `${b.forceId}:cancelled`, `${c.forceId}:claimed`].sort());
    expect(claims.every((x: { name: string }) => x.name.includes('*'))).toBe(true);
  });

  it('claims by a caller outside the register (not registered, or paused) get 403; an unknown task 404; nothing changes', async () => {
    const task = await newTask(xiling, { capacity: 2 });
    const demo = await t.login('member.demo'); // a party member not yet registered at a community
    const refused = await t.call(demo, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatchObject({ code: 'FORBIDDEN', message: '您尚未在居住社区报到（或已暂停服务），请先扫码报到' });
    const m = members[7]!;
    await q(`update force_person set status = 'paused' where id = $1`, [m.forceId]);
    try {
      expect((await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).statusCode).toBe(403);
    } finally {
      await q(`update force_person set status = 'active' where id = $1`, [m.forceId]);
    }
    const unknown = await t.call(m.token, 'POST', '/api/v1/service/tasks/999999999/claims', {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect(await taskState(task.id)).toMatchObject({ claimed: 0, claims: 0 });
    expect((await q<{ n: number }>('select count(*)::int as n from task_claim where force_id = $1', [m.forceId]))[0]!.n).toBe(0);
  });

  it('a retried request with the same Idempotency-Key returns the same claim and claims nothing more', async () => {
    const task = await newTask(xiling, { capacity: 5 });
    const m = members[3]!;
    const headers = { 'idempotency-key': `retry-${task.id}` };
    const one = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {}, headers);
    const two = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {}, headers);
    expect([one.statusCode, two.statusCode]).toEqual([201, 201]);
    expect(two.json().id).toBe(one.json().id);
    // even if the platform's store forgot the key, the database answers REPLAY
    await q(`delete from idempotency_key where key = $1`, [headers['idempotency-key']]);
    const three = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {}, headers);
    expect(three.statusCode).toBe(201);
    expect(three.json().id).toBe(one.json().id);
    expect(await taskState(task.id)).toMatchObject({ claimed: 1, claims: 1 });
  });

  it('a closed task refuses claims with 409 and nothing changes', async () => {
    const task = await newTask(xiling, { capacity: 5 });
    expect((await t.call(members[0]!.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).statusCode).toBe(201);
    const closed = await t.call(xiling, 'POST', `/api/v1/service/tasks/${task.id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().status).toBe('closed');
    expect((await t.call(xiling, 'POST', `/api/v1/service/tasks/${task.id}/close`)).statusCode).toBe(409);
    const before = await taskState(task.id);
    const res = await t.call(members[1]!.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'CONFLICT', message: '任务已结束' });
    expect(await taskState(task.id)).toEqual(before);
    // the open list of members no longer shows it
    const open = (await t.call(members[1]!.token, 'GET', '/api/v1/service/tasks')).json().items;
    expect(open.map((i: { id: number }) => i.id)).not.toContain(task.id);
  });

  it('reports done with hours under the cap once the task has started: a pending record; early 409, over the cap 400, nothing changes', async () => {
    const task = await newTask(xiling, { capacity: 2, hourCap: 3 });
    const m = members[4]!;
    const claim = (await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).json();
    // before the task starts: 409, nothing recorded, the claim still open
    const early = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`, { hours: 1 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error).toMatchObject({ code: 'CONFLICT', message: '任务尚未开始，开始后才能报告完成' });
    expect(await taskState(task.id)).toMatchObject({ claimed: 1, records: 0 });
    expect((await q<{ status: string }>('select status from task_claim where id = $1', [claim.id]))[0]!.status).toBe('claimed');
    await q(`update service_task set starts_at = now() - interval '1 hour' where id = $1`, [task.id]); // the task has begun
    const over = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`, { hours: 3.5 });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.field).toBe('hours');
    expect(await taskState(task.id)).toMatchObject({ records: 0 });
    const notMine = await t.call(members[5]!.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`, { hours: 1 });
    expect(notMine.statusCode).toBe(404);
    const badPhoto = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`,
      { hours: 2, evidence: ['00000000-0000-4000-8000-000000000000'] });
    expect(badPhoto.statusCode).toBe(400);
    const done = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`, { hours: 2.5, note: '搬运 40 袋' });
    expect(done.statusCode, done.body).toBe(201);
    expect(done.json()).toMatchObject({ claimId: claim.id, hours: 2.5, status: 'pending' });
    const [record] = await q<{ source: string; hours: number; hour_cap: number; status: string; community_code: string; force_id: number }>(
      `select source, hours, hour_cap, status, community_code, force_id::int from service_record where id = $1`, [done.json().recordId]);
    expect(record).toEqual({ source: 'task', hours: 2.5, hour_cap: 3, status: 'pending', community_code: m.communityCode, force_id: m.forceId });
    const twice = await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claim.id}/done`, { hours: 1 });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_DONE');
    expect((await t.call(m.token, 'DELETE', `/api/v1/service/tasks/${task.id}/claims/mine`)).statusCode).toBe(409);
    expect(await taskState(task.id)).toMatchObject({ claimed: 1, records: 1 });
    // the organiser is told a report waits for confirmation
    const inbox = (await t.call(xiling, 'GET', '/api/v1/notifications')).json().items;
    expect(inbox[0]).toMatchObject({ kind: 'reminder', refType: 'service_record', refId: String(done.json().recordId), read: false });
  });

  it('team claims: a member claims for their team; the leader claims for team mates all or nothing', async () => {
    const [leader, m1, m2, m3] = members.slice(4, 8) as [Member, Member, Member, Member];
    const team = await buildTeam(t, [leader, m1, m2]);
    const task = await newTask(xiling, { capacity: 2 });
    // not a member of the team
    expect((await t.call(m3.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, { teamId: team })).statusCode).toBe(404);
    // a plain member may not claim for others
    expect((await t.call(m1.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, { teamId: team, memberIds: [m1.forceId, m2.forceId] })).statusCode).toBe(403);
    // three slots wanted, two free: FULL and nothing claimed
    const tooMany = await t.call(leader.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, { teamId: team, memberIds: [leader.forceId, m1.forceId, m2.forceId] });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error.code).toBe('FULL');
    expect(await taskState(task.id)).toMatchObject({ claimed: 0, claims: 0 });
    const stranger = await t.call(leader.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, { teamId: team, memberIds: [m1.forceId, m3.forceId] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json().error.field).toBe('memberIds');
    const ok = await t.call(leader.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, { teamId: team, memberIds: [m1.forceId, m2.forceId] },
      { 'idempotency-key': `team-${task.id}` });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json().claims.map((c: { forceId: number }) => c.forceId)).toEqual([m1.forceId, m2.forceId]);
    expect(ok.json()).toMatchObject({ teamId: team, claimed: 2, capacity: 2 });
    const rows = await q<{ force_id: number; team_id: number }>(`select force_id::int, team_id::int from task_claim where task_id = $1 order by force_id`, [task.id]);
    expect(rows).toEqual([m1.forceId, m2.forceId].sort((x, y) => x - y).map((f) => ({ force_id: f, team_id: team })));
    // a team claim where one mate already holds the task: ALREADY_DONE, nothing more claimed
    const task2 = await newTask(xiling, { capacity: 5 });
    expect((await t.call(m2.token, 'POST', `/api/v1/service/tasks/${task2.id}/claims`, { teamId: team })).statusCode).toBe(201);
    const dup = await t.call(leader.token, 'POST', `/api/v1/service/tasks/${task2.id}/claims`, { teamId: team, memberIds: [m1.forceId, m2.forceId] });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ALREADY_DONE');
    expect(await taskState(task2.id)).toMatchObject({ claimed: 1, claims: 1 });
  });

  it('an emergency call creates its tasks, reaches members of the area, counts responses live', async () => {
    const calls = async () => (await q<{ n: number }>('select count(*)::int as n from mobilisation_call'))[0]!.n;
    const before = await calls(); // the seed may hold calls of its own
    const bad = await t.call(street, 'POST', '/api/v1/service/calls', { title: '防汛应急', message: '请就近报到', scopeCode: XIXING,
      tasks: [{ title: '沙袋', capacity: 2, startsAt: inHours(2), endsAt: inHours(1) }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('tasks.0.endsAt');
    expect(await calls()).toBe(before);
    const res = await t.call(street, 'POST', '/api/v1/service/calls', {
      title: '防汛应急召集', message: '台风将至，请在职党员就近报到', scopeCode: XIXING,
      tasks: [
        { title: '西兴路沙袋搬运', capacity: 3, startsAt: inHours(1), endsAt: inHours(5), hourCap: 4 },
        { title: '低洼小区转移老人', capacity: 2, startsAt: inHours(1), endsAt: inHours(5), skills: ['elderly_care'] },
      ],
    });
    expect(res.statusCode, res.body).toBe(201);
    const call = res.json();
    expect(call.counters).toEqual({ tasks: 2, capacity: 5, claimed: 0, members: 0, teams: 0, done: 0 });
    expect(call.tasks.every((x: { emergency: boolean; callId: number }) => x.emergency && x.callId === call.id)).toBe(true);
    const [t1, t2] = call.tasks.sort((x: { id: number }, y: { id: number }) => x.id - y.id);
    await t.call(members[0]!.token, 'POST', `/api/v1/service/tasks/${t1.id}/claims`, {});
    await t.call(members[0]!.token, 'POST', `/api/v1/service/tasks/${t2.id}/claims`, {});
    await t.call(members[1]!.token, 'POST', `/api/v1/service/tasks/${t1.id}/claims`, {});
    const live = (await t.call(street, 'GET', `/api/v1/service/calls/${call.id}`)).json();
    expect(live.counters).toEqual({ tasks: 2, capacity: 5, claimed: 3, members: 2, teams: 0, done: 0 });
    // members of the area see the call in their inbox and their call list; a member elsewhere does not
    const inbox = (await t.call(members[2]!.token, 'GET', '/api/v1/notifications')).json().items;
    expect(inbox.find((n: { kind: string; refId: string }) => n.kind === 'call' && n.refId === String(call.id))).toBeTruthy();
    expect((await t.call(members[2]!.token, 'GET', '/api/v1/service/calls?active=true')).json().items.map((c: { id: number }) => c.id)).toContain(call.id);
    expect((await t.call(members[2]!.token, 'GET', `/api/v1/service/calls/${call.id}`)).statusCode).toBe(200);
    const far = (await t.call(foreigner.token, 'GET', '/api/v1/notifications')).json().items;
    expect(far.find((n: { kind: string }) => n.kind === 'call')).toBeUndefined();
    expect((await t.call(foreigner.token, 'GET', `/api/v1/service/calls/${call.id}`)).statusCode).toBe(404);
    // community staff below the street do not see the street's call (scope is the subtree of the caller)
    expect((await t.call(xiling, 'GET', `/api/v1/service/calls/${call.id}`)).statusCode).toBe(404);
    // closing the call closes its tasks
    const closed = await t.call(street, 'POST', `/api/v1/service/calls/${call.id}/close`);
    expect(closed.statusCode).toBe(200);
    expect(closed.json().tasks.every((x: { status: string }) => x.status === 'closed')).toBe(true);
    expect((await t.call(members[3]!.token, 'POST', `/api/v1/service/tasks/${t1.id}/claims`, {})).statusCode).toBe(409);
  });

  it('check-in and check-out are optional: only the claimant, only while the task runs, idempotent, audited, never needed for hours', async () => {
    const [a, b, c] = (await buildMembers(t, 11, [XILING])).slice(8) as [Member, Member, Member];
    const audits = async (claimId: number) => (await q<{ action: string }>(`select action from audit_log where target_type = 'task_claim' and target_id = $1 order by id`,
      [String(claimId)])).map((x) => x.action);
    const attendance = async (claimId: number) => (await q<{ checked_in_at: Date | null; checked_out_at: Date | null }>(
      'select checked_in_at, checked_out_at from task_claim where id = $1', [claimId]))[0]!;
    const checkIn = (token: string, taskId: number) => t.call(token, 'POST', `/api/v1/service/tasks/${taskId}/check-in`);
    const checkOut = (token: string, taskId: number) => t.call(token, 'POST', `/api/v1/service/tasks/${taskId}/check-out`);

    // too early: check-in opens an hour before the start
    const later = await newTask(xiling, { capacity: 2, startsAt: inHours(3), endsAt: inHours(5) });
    const early = (await t.call(a.token, 'POST', `/api/v1/service/tasks/${later.id}/claims`, {})).json();
    const tooEarly = await checkIn(a.token, later.id);
    expect(tooEarly.statusCode).toBe(409);
    expect(tooEarly.json().error).toMatchObject({ code: 'CONFLICT', message: '任务开始前 1 小时内才能签到（签到为选填）' });
    expect(await attendance(early.id)).toEqual({ checked_in_at: null, checked_out_at: null });

    const task = await newTask(xiling, { capacity: 3, hourCap: 3, startsAt: inHours(0.5), endsAt: inHours(4) });
    const claimA = (await t.call(a.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).json();
    const claimB = (await t.call(b.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {})).json();
    // only the claimant: a member without a claim 404, staff (no service:claim) 403; a check-out before a check-in 409; nothing changes
    expect((await checkIn(c.token, task.id)).statusCode).toBe(404);
    expect((await checkIn(xiling, task.id)).statusCode).toBe(403);
    expect((await checkIn(a.token, 999_999_999)).statusCode).toBe(404);
    const outFirst = await checkOut(a.token, task.id);
    expect(outFirst.statusCode).toBe(409);
    expect(outFirst.json().error.code).toBe('INVALID_TRANSITION');
    expect(await attendance(claimA.id)).toEqual({ checked_in_at: null, checked_out_at: null });
    expect(await audits(claimA.id)).toEqual([]);

    // check in, twice: the first time stays, one audit record
    const first = await checkIn(a.token, task.id);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ claimId: claimA.id, taskId: task.id, checkedOutAt: null, suggestedHours: null });
    const again = await checkIn(a.token, task.id);
    expect(again.json().checkedInAt).toBe(first.json().checkedInAt);
    expect(await audits(claimA.id)).toEqual(['task.claim.check_in']);
    // two hours and ten minutes later (moved back here): check out, twice; the span suggests 2 hours
    await q(`update task_claim set checked_in_at = checked_in_at - interval '130 minutes' where id = $1`, [claimA.id]);
    const out = await checkOut(a.token, task.id);
    expect(out.statusCode, out.body).toBe(200);
    expect(out.json().suggestedHours).toBe(2);
    expect((await checkOut(a.token, task.id)).json().checkedOutAt).toBe(out.json().checkedOutAt);
    expect(await audits(claimA.id)).toEqual(['task.claim.check_in', 'task.claim.check_out']);
    const seen = (await t.call(a.token, 'GET', `/api/v1/service/tasks/${task.id}`)).json();
    expect(seen.myClaim).toMatchObject({ id: claimA.id, status: 'claimed', checkedOutAt: out.json().checkedOutAt, suggestedHours: 2 });
    const list = (await t.call(xiling, 'GET', `/api/v1/service/tasks/${task.id}/claims`)).json().items;
    expect(list.find((x: { id: number }) => x.id === claimA.id).checkedOutAt).toBe(out.json().checkedOutAt);
    expect(list.find((x: { id: number }) => x.id === claimB.id)).toMatchObject({ checkedInAt: null, checkedOutAt: null });
    // the database keeps the order: no check-out before the check-in
    await expect(q(`update task_claim set checked_out_at = checked_in_at - interval '1 minute' where id = $1`, [claimA.id])).rejects.toThrow(/task_claim_check_out_after_in/);

    // never a condition: B never checked in, reports done and the organiser confirms; A reports other hours than suggested
    await q(`update service_task set starts_at = now() - interval '1 hour' where id = $1`, [task.id]);
    const doneB = await t.call(b.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claimB.id}/done`, { hours: 1.5 });
    expect(doneB.statusCode, doneB.body).toBe(201);
    const confirmed = await t.call(xiling, 'POST', `/api/v1/service/records/${doneB.json().recordId}/confirm`, {});
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ status: 'confirmed', hours: 1.5, evidence: [] });
    const doneA = await t.call(a.token, 'POST', `/api/v1/service/tasks/${task.id}/claims/${claimA.id}/done`, { hours: 1 });
    expect(doneA.json()).toMatchObject({ hours: 1, status: 'pending' });
    // after the report: B cannot check in any more (409); A's repeated check-out still answers its time
    const lateIn = await checkIn(b.token, task.id);
    expect(lateIn.statusCode).toBe(409);
    expect(lateIn.json().error).toMatchObject({ code: 'INVALID_TRANSITION', message: '已报告完成，无需签到' });
    expect((await checkOut(a.token, task.id)).statusCode).toBe(200);
    expect(await attendance(claimB.id)).toEqual({ checked_in_at: null, checked_out_at: null });

    // a closed task takes no check-in (409) but still lets a checked-in member check out
    const closing = await newTask(xiling, { capacity: 2, startsAt: inHours(0.5), endsAt: inHours(3) });
    await t.call(c.token, 'POST', `/api/v1/service/tasks/${closing.id}/claims`, {});
    const claimC = (await t.call(a.token, 'POST', `/api/v1/service/tasks/${closing.id}/claims`, {})).json();
    expect((await checkIn(a.token, closing.id)).statusCode).toBe(200);
    expect((await t.call(xiling, 'POST', `/api/v1/service/tasks/${closing.id}/close`)).statusCode).toBe(200);
    const closedIn = await checkIn(c.token, closing.id);
    expect(closedIn.statusCode).toBe(409);
    expect(closedIn.json().error).toMatchObject({ code: 'INVALID_TRANSITION', message: '任务已结束，不能签到' });
    expect((await checkOut(a.token, closing.id)).statusCode).toBe(200);
    expect((await attendance(claimC.id)).checked_out_at).not.toBeNull();
  });

  it('cancelling a task releases its claims and tells the claimers', async () => {
    const task = await newTask(xiling, { capacity: 3 });
    const m = members[6]!;
    await t.call(m.token, 'POST', `/api/v1/service/tasks/${task.id}/claims`, {});
    const load = async () => (await q<{ open_load: number }>('select open_load from force_person where id = $1', [m.forceId]))[0]!.open_load;
    const before = await load();
    const res = await t.call(xiling, 'POST', `/api/v1/service/tasks/${task.id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'cancelled', claimed: 0 });
    expect(await load()).toBe(before - 1);
    const inbox = (await t.call(m.token, 'GET', '/api/v1/notifications')).json().items;
    expect(inbox[0]).toMatchObject({ kind: 'system', refType: 'service_task', refId: String(task.id) });
  });
});
