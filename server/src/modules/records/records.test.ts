import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { makeMemberAccount, orderToDone, registerMember, XILING, type Member, type Tokens } from '../orders/test-factory.js';

describe('service records, ratings, flags, honours and the certificate', () => {
  let t: TestContext;
  let tok: Tokens;
  let otherStaff: string;
  let unit: string;
  let member: Member;
  let member2: Member;
  let unitUserId: number;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const recordRow = async (id: number) => (await q<Record<string, unknown>>(`select status, hours, confirmed_as, confirmed_by, note,
      (select count(*)::int from service_rating where record_id = $1) as ratings from service_record where id = $1`, [id]))[0];
  const masked = (name: string) => `${[...name][0]}${'*'.repeat([...name].length - 1)}`;

  /** A task record of `m` (what the tasks module writes when a claim is done), created by `creator`. */
  const taskRecord = async (m: Member, creator: string, hourCap = 3, hours = 2) => {
    const [task] = await q<{ id: number }>(`insert into service_task (title, scope_code, scope_path, capacity, starts_at, ends_at, hour_cap, created_by)
      values ('防汛物资搬运', $1, (select path from territory_node where code = $1), 10, now() - interval '2 hours', now() + interval '2 hours', $2,
        (select id from app_user where username = $3)) returning id::int as id`, [XILING, hourCap, creator]);
    const [claim] = await q<{ id: number }>(`insert into task_claim (task_id, force_id, claimed_by, status, done_at) values ($1, $2, $3, 'done', now()) returning id::int as id`,
      [task!.id, m.forceId, m.userId]);
    const [rec] = await q<{ id: number }>(`insert into service_record (force_id, source, claim_id, community_code, title, served_on, hours, hour_cap)
      values ($1, 'task', $2, $3, '防汛物资搬运', current_date, $4, $5) returning id::int as id`, [m.forceId, claim!.id, XILING, hours, hourCap]);
    return { taskId: task!.id, recordId: rec!.id };
  };

  beforeAll(async () => {
    t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-files-')) });
    const [resident, staff, other, u] = await Promise.all(['resident.demo', `community.${XILING}`, 'community.330108001002', 'unit.demo'].map((n) => t.login(n))) as string[];
    tok = { resident: resident!, staff: staff! };
    otherStaff = other!;
    unit = u!;
    member = await registerMember(t, 'member.demo');
    member2 = await makeMemberAccount(t, 'member.h2records');
    unitUserId = (await q<{ id: number }>(`select id::int as id from app_user where username = 'unit.demo'`))[0]!.id;
  });
  afterAll(async () => t.close());

  it('lets the organiser confirm a record with corrected hours up to the cap, or reject it with a reason', async () => {
    const { orderId, recordId } = await orderToDone(t, tok, member, '帮助独居老人买菜', 2);
    const rec = await t.call(tok.staff, 'GET', `/api/v1/service/records/${recordId}`);
    expect(rec.json()).toMatchObject({ source: 'order', orderId, status: 'pending', hours: 2, hourCap: 4, memberName: masked(member.name), communityCode: XILING });
    expect(rec.json().evidence).toHaveLength(1);
    expect((await t.call(otherStaff, 'GET', `/api/v1/service/records/${recordId}`)).statusCode).toBe(404);
    expect((await t.call(otherStaff, 'POST', `/api/v1/service/records/${recordId}/confirm`, {})).statusCode).toBe(404);
    expect((await t.call(member.token, 'POST', `/api/v1/service/records/${recordId}/confirm`, {})).statusCode).toBe(403);

    const before = await recordRow(recordId);
    const over = await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/confirm`, { hours: 4.5 });
    expect(over.statusCode).toBe(400);
    expect(over.json().error).toMatchObject({ code: 'VALIDATION', field: 'hours' });
    expect(await recordRow(recordId)).toEqual(before);

    const ok = await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/confirm`, { hours: 3 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'confirmed', hours: 3, confirmedAs: 'organiser', confirmedByName: '西陵社区工作人员' });
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/confirm`, {})).json().error.code).toBe('ALREADY_DONE');
    // the resident's rating still closes the order; the organiser's confirmation stands
    const rated = await t.call(tok.resident, 'POST', `/api/v1/service/orders/${orderId}/ratings`, { score: 4 });
    expect(rated.json().order.state).toBe('rated');
    expect(await recordRow(recordId)).toMatchObject({ status: 'confirmed', hours: 3, confirmed_as: 'organiser' });

    const second = await orderToDone(t, tok, member, '上门测量血压', 1);
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${second.recordId}/reject`, { reason: '' })).statusCode).toBe(400);
    const rejected = await t.call(tok.staff, 'POST', `/api/v1/service/records/${second.recordId}/reject`, { reason: '居民反映未上门' });
    expect(rejected.json()).toMatchObject({ status: 'rejected' });
    expect(rejected.json().note).toContain('驳回原因：居民反映未上门');
    const afterReject = await recordRow(second.recordId);
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${second.recordId}/confirm`, {})).json().error.code).toBe('INVALID_TRANSITION');
    expect(await recordRow(second.recordId)).toEqual(afterReject);

    const mine = (await t.call(member.token, 'GET', '/api/v1/service/records/mine')).json().items;
    expect(mine.map((r: any) => [r.id, r.status])).toEqual(expect.arrayContaining([[recordId, 'confirmed'], [second.recordId, 'rejected']]));
    const list = (await t.call(tok.staff, 'GET', '/api/v1/service/records?status=pending')).json().items;
    expect(list.every((r: any) => r.status === 'pending' && r.communityCode === XILING)).toBe(true);
    expect((await t.call(otherStaff, 'GET', '/api/v1/service/records')).json().items.map((r: any) => r.id)).not.toContain(recordId);
  });

  it('confirms and rates task records too: by the task creator, the community and the branch, once each', async () => {
    const { recordId } = await taskRecord(member2, 'unit.demo', 3, 2);
    expect((await t.call(unit, 'POST', `/api/v1/service/records/${recordId}/confirm`, { hours: 3.5 })).json().error.field).toBe('hours');
    const ok = await t.call(unit, 'POST', `/api/v1/service/records/${recordId}/confirm`, { hours: 3 });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ source: 'task', status: 'confirmed', hours: 3, confirmedAs: 'organiser' });
    expect(ok.json().taskId).toBeGreaterThan(0);

    const community = await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 5, comment: '积极主动' });
    expect(community.statusCode, community.body).toBe(201);
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 4, as: 'branch' })).statusCode).toBe(201);
    const twice = await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 1, as: 'branch' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.code).toBe('ALREADY_DONE');
    expect((await t.call(tok.resident, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 1 })).statusCode).toBe(404);
    const rec = (await t.call(tok.staff, 'GET', `/api/v1/service/records/${recordId}`)).json();
    expect(rec.ratings.map((r: any) => [r.raterKind, r.score])).toEqual([['community', 5], ['branch', 4]]);
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 6 })).statusCode).toBe(400);
  });

  it('flags a member under 70 % satisfaction for a talk by their unit secretary, and again after a negative-list item', async () => {
    const m = await makeMemberAccount(t, 'member.h2flag');
    // two earlier rated services (one poor), then a third poor rating through the API
    for (const score of [2, 5]) {
      const { recordId } = await taskRecord(m, `community.${XILING}`, 3, 1);
      await q(`insert into service_rating (record_id, force_id, rater_kind, score) values ($1, $2, 'community', $3)`, [recordId, m.forceId, score]);
    }
    expect((await t.call(unit, 'GET', '/api/v1/service/flags')).json().items.map((f: any) => f.forceId)).not.toContain(m.forceId);
    const { recordId } = await taskRecord(m, `community.${XILING}`, 3, 1);
    expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 1, comment: '迟到早退' })).statusCode).toBe(201);

    const flags = (await t.call(unit, 'GET', '/api/v1/service/flags')).json().items;
    const flag = flags.find((f: any) => f.forceId === m.forceId);
    expect(flag).toMatchObject({ name: masked(m.name), communityCode: XILING, ratings: 3, satisfaction: 0.33, negativeItems: 0 });
    expect(flag.reasons[0]).toContain('满意率 33%');
    expect((await t.call(tok.staff, 'GET', '/api/v1/service/flags')).json().items.map((f: any) => f.forceId)).toContain(m.forceId);
    expect((await t.call(otherStaff, 'GET', '/api/v1/service/flags')).json().items.map((f: any) => f.forceId)).not.toContain(m.forceId);
    const told = await q<{ kind: string; title: string }>(`select kind, title from notification where recipient_user_id = $1 and ref_type = 'force_person' and ref_id = $2`,
      [unitUserId, String(m.forceId)]);
    expect(told).toEqual([{ kind: 'flag', title: `党员服务预警，请安排谈话：${masked(m.name)}` }]);
    expect((await t.call(member.token, 'GET', '/api/v1/service/members/me')).json().flagged).toBe(false);
    expect((await t.call(m.token, 'GET', '/api/v1/service/members/me')).json().flagged).toBe(true);

    // the unit secretary talks with the member: the flag clears
    expect((await t.call(unit, 'POST', `/api/v1/service/flags/${m.forceId}/talks`, { talkedOn: '2026-11-20', note: '' })).statusCode).toBe(400);
    const talk = await t.call(unit, 'POST', `/api/v1/service/flags/${m.forceId}/talks`, { talkedOn: '2026-11-29', note: '谈心谈话，了解困难，提出改进要求' });
    expect(talk.statusCode, talk.body).toBe(201);
    expect((await t.call(unit, 'GET', '/api/v1/service/flags')).json().items.map((f: any) => f.forceId)).not.toContain(m.forceId);
    expect((await t.call(otherStaff, 'POST', `/api/v1/service/flags/${m.forceId}/talks`, { talkedOn: '2026-11-29', note: '越权谈话' })).statusCode).toBe(404);

    // a negative-list item flags them again
    expect((await t.call(unit, 'POST', `/api/v1/service/members/${m.forceId}/negative-items`, { reason: '无故缺席' })).statusCode).toBe(403);
    expect((await t.call(otherStaff, 'POST', `/api/v1/service/members/${m.forceId}/negative-items`, { reason: '无故缺席' })).statusCode).toBe(404);
    const neg = await t.call(tok.staff, 'POST', `/api/v1/service/members/${m.forceId}/negative-items`, { reason: '应急值守无故缺席', expiresOn: '2027-11-29' });
    expect(neg.statusCode, neg.body).toBe(201);
    expect(neg.json()).toMatchObject({ forceId: m.forceId, flagged: true });
    const again = (await t.call(unit, 'GET', '/api/v1/service/flags')).json().items.find((f: any) => f.forceId === m.forceId);
    expect(again.negativeItems).toBe(1);
    expect(again.reasons.join()).toContain('应急值守无故缺席');
    expect(await q(`select 1 from notification where recipient_user_id = $1 and kind = 'flag' and ref_id = $2`, [unitUserId, String(m.forceId)])).toHaveLength(2);
    // flagged members are not recommended for honours
    const year = new Date().getFullYear();
    expect((await t.call(tok.staff, 'GET', `/api/v1/service/honours?year=${year}&minRatings=1`)).json().items.map((h: any) => h.forceId)).not.toContain(m.forceId);
  });

  it('lists the best rated for honours, sums a member\'s confirmed hours and prints a certificate of them', async () => {
    for (let i = 0; i < 3; i += 1) {
      const { recordId } = await taskRecord(member, `community.${XILING}`, 4, 2);
      expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/confirm`, {})).statusCode).toBe(200);
      expect((await t.call(tok.staff, 'POST', `/api/v1/service/records/${recordId}/ratings`, { score: 5 })).statusCode).toBe(201);
    }
    const year = Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
    const honours = (await t.call(tok.staff, 'GET', `/api/v1/service/honours?year=${year}&scopeCode=${XILING}`)).json();
    const me = honours.items.find((h: any) => h.forceId === member.forceId);
    const [direct] = await q<{ hours: number; services: number; ratings: number; good: number }>(`select
        (select coalesce(sum(hours), 0)::float8 from service_record where force_id = $1 and status = 'confirmed') as hours,
        (select count(*)::int from service_record where force_id = $1 and status = 'confirmed') as services,
        (select count(*)::int from service_rating where force_id = $1) as ratings,
        (select count(*)::int from service_rating where force_id = $1 and score >= 4) as good`, [member.forceId]);
    expect(me).toMatchObject({ name: masked(member.name), confirmedHours: direct!.hours, services: direct!.services, ratings: direct!.ratings });
    expect((await t.call(otherStaff, 'GET', `/api/v1/service/honours?scopeCode=${XILING}`)).statusCode).toBe(404);

    const summary = (await t.call(member.token, 'GET', '/api/v1/service/members/me')).json();
    expect(summary).toMatchObject({ registered: true, forceId: member.forceId, name: member.name, communityCode: XILING, branchCode: `P${XILING}F01`,
      services: direct!.services, ratings: direct!.ratings, satisfaction: Math.round((direct!.good / direct!.ratings) * 100) / 100, flagged: false });
    expect(summary.hours.total).toBe(direct!.hours);
    expect(summary.hours.year).toBe(direct!.hours);
    expect((await t.call(tok.resident, 'GET', '/api/v1/service/members/me')).json()).toMatchObject({ registered: false, forceId: null });
    const staffView = (await t.call(tok.staff, 'GET', `/api/v1/service/members/${member.forceId}`)).json();
    expect(staffView.name).toBe(masked(member.name));
    expect((await t.call(otherStaff, 'GET', `/api/v1/service/members/${member.forceId}`)).statusCode).toBe(404);

    const cert = await t.call(member.token, 'GET', '/api/v1/service/members/me/certificate');
    expect(cert.statusCode).toBe(200);
    expect(cert.headers['content-type']).toMatch(/^text\/html/);
    expect(cert.body).toContain('服务证明');
    expect(cert.body).toContain(`data-testid="cert-name">${member.name}<`);
    expect(cert.body).toContain(`data-testid="cert-total">${direct!.hours}<`);
    expect(cert.body).toContain('@page { size: A4');
    const confirmed = await q<{ title: string }>(`select title from service_record where force_id = $1 and status = 'confirmed'`, [member.forceId]);
    for (const r of confirmed) expect(cert.body).toContain(r.title);
    expect(cert.body).not.toContain('上门测量血压'); // the rejected record
    const residentName = (await q<{ name: string }>(`select p.name from app_user u join person p on p.id = u.person_id where u.username = 'resident.demo'`))[0]!.name;
    expect(cert.body).not.toContain(residentName);
    expect(cert.body).toMatch(/data-testid="cert-no">LL\d{8}\d{6}[0-9A-F]{8}</);
    const staffCert = await t.call(tok.staff, 'GET', `/api/v1/service/members/${member.forceId}/certificate`);
    expect(staffCert.body).toContain(`data-testid="cert-name">${masked(member.name)}<`);
    expect(staffCert.body).not.toContain(member.name);
    expect((await t.call(tok.resident, 'GET', '/api/v1/service/members/me/certificate')).statusCode).toBe(403);
  });
});
