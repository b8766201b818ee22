import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { buildMembers, XILING, type Member } from '../tasks/test-factory.js';
import { distanceText } from './matching.service.js';

/** The next Saturday 09:00 China Standard Time, as ISO. */
function nextSaturdayMorning(): string {
  const now = new Date(Date.now() + 8 * 3600_000);
  const days = ((6 - now.getUTCDay() + 7) % 7) || 7;
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + days, 1, 0)); // 09:00 +08:00
  return d.toISOString();
}

describe('matching members to needs', () => {
  let t: TestContext;
  let xiling: string;
  let lng: number; let lat: number;
  let skilledNear: Member; let skilledFarBusy: Member; let idleNearby: Member; let skilledMid: Member;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  /** Puts a member's home `meters` north of the place, with skills, availability and load. */
  const shape = (m: Member, meters: number, skills: string[], availability: object, load: number) => q(`update force_person set
      home_location = ST_Project(ST_SetSRID(ST_MakePoint($2, $3), 4326)::geography, $4::float8, 0::float8)::geometry, skills = $5, availability = $6, open_load = $7
    where id = $1`, [m.forceId, lng, lat, meters, skills, JSON.stringify(availability), load]);
  /** `n` ratings for a member, `good` of them 4 or 5. */
  const rate = async (m: Member, n: number, good: number) => {
    for (let i = 0; i < n; i += 1) {
      const [r] = await q<{ id: number }>(`insert into service_record (force_id, source, community_code, title, served_on, hours, hour_cap)
        values ($1, 'post', $2, '岗位服务', current_date - 10, 1, 4) returning id::int`, [m.forceId, m.communityCode]);
      await q(`insert into service_rating (record_id, force_id, rater_kind, score) values ($1, $2, 'resident', $3)`, [r!.id, m.forceId, i < good ? 5 : 2]);
    }
  };

  beforeAll(async () => {
    t = await createTestContext();
    xiling = await t.login(`community.${XILING}`);
    const members = await buildMembers(t, 30, [XILING]);
    [skilledNear, skilledFarBusy, idleNearby, skilledMid] = members as [Member, Member, Member, Member];
    const [c] = await q<{ lng: number; lat: number }>(`select ST_X(location) as lng, ST_Y(location) as lat from territory_node where code = $1`, [XILING]);
    ({ lng, lat } = c!);
    await shape(skilledNear, 850, ['legal', 'mediation'], { days: [6, 7], periods: ['morning'] }, 0);
    await shape(skilledFarBusy, 4000, ['legal'], {}, 3);
    await shape(idleNearby, 100, [], {}, 0);
    await shape(skilledMid, 2000, ['legal'], { days: [1, 2] }, 0);
    // everyone else lives 3 km away with no matching skill, so the four above are the interesting ones
    for (const m of members.slice(4)) await shape(m, 3000, ['culture'], {}, 0);
    // members the seed may have registered in the community step aside, so the ranking is about the ones above
    await q(`update force_person set status = 'paused' where community_code = $1 and not (id = any($2))`, [XILING, members.map((m) => m.forceId)]);
    await rate(skilledNear, 12, 11);
  });
  afterAll(async () => t.close());

  const createTask = async () => {
    const res = await t.call(xiling, 'POST', '/api/v1/service/tasks', { title: '法律咨询进社区', size: 'micro', scopeCode: XILING, capacity: 3,
      startsAt: nextSaturdayMorning(), endsAt: new Date(Date.parse(nextSaturdayMorning()) + 3 * 3600_000).toISOString(), skills: ['legal'],
      location: { type: 'Point', coordinates: [lng, lat] } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };

  it('ranks a skilled, nearby, idle, available, well-rated member first, with reasons', async () => {
    const task = await createTask();
    const res = await t.call(xiling, 'GET', `/api/v1/service/tasks/${task}/suggestions`);
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { memberId: number; score: number; reasons: string[]; name: string; distanceMeters: number }[];
    expect(items.length).toBeLessThanOrEqual(20);
    expect(items.length).toBeGreaterThan(4);
    const rank = (m: Member) => items.findIndex((i) => i.memberId === m.forceId);
    expect(rank(skilledNear)).toBe(0);
    expect(rank(skilledNear)).toBeLessThan(rank(skilledFarBusy));
    expect(rank(skilledMid)).toBeLessThan(rank(skilledFarBusy));
    const top = items[0]!;
    expect(top.distanceMeters).toBeGreaterThanOrEqual(845);
    expect(top.distanceMeters).toBeLessThanOrEqual(855);
    expect(top.reasons).toEqual(['技能匹配：法律咨询', distanceText(top.distanceMeters), '周六上午有空', '当前无在办任务', '近一年满意度 92%（12 次评价）']);
    expect(top.reasons[1]).toBe('距家约 850 米');
    expect(top.name).toMatch(/\*/);
    const busy = items[rank(skilledFarBusy)]!;
    expect(busy.reasons).toContain('当前承接 3 项（分散任务）');
    expect(busy.reasons).toContain('距家约 4.0 公里');
    expect(items.every((i, k) => k === 0 || items[k - 1]!.score >= i.score)).toBe(true);
  });

  it('spreads work: load lowers the score, and members already on the task are not suggested again', async () => {
    const task = await createTask();
    const before = (await t.call(xiling, 'GET', `/api/v1/service/tasks/${task}/suggestions`)).json().items
      .find((i: { memberId: number }) => i.memberId === skilledNear.forceId);
    await q('update force_person set open_load = 4 where id = $1', [skilledNear.forceId]);
    const after = (await t.call(xiling, 'GET', `/api/v1/service/tasks/${task}/suggestions`)).json().items
      .find((i: { memberId: number }) => i.memberId === skilledNear.forceId);
    expect(after.score).toBeLessThan(before.score);
    expect(after.reasons).toContain('当前承接 4 项（分散任务）');
    await q('update force_person set open_load = 0 where id = $1', [skilledNear.forceId]);
    expect((await t.call(skilledNear.token, 'POST', `/api/v1/service/tasks/${task}/claims`, {})).statusCode).toBe(201);
    const again = (await t.call(xiling, 'GET', `/api/v1/service/tasks/${task}/suggestions`)).json().items;
    expect(again.map((i: { memberId: number }) => i.memberId)).not.toContain(skilledNear.forceId);
  });

  it('suggests for an order and a community need; refuses out-of-scope and non-staff callers', async () => {
    const [order] = await q<{ id: number }>(`insert into service_order (service_no, community_code, community_path, title, skill_code, location, wanted_at)
      select 'TEST-M-1', code, path, '咨询遗产继承', 'legal', ST_SetSRID(ST_MakePoint($2, $3), 4326), $4 from territory_node where code = $1
      returning id::int`, [XILING, lng, lat, nextSaturdayMorning()]);
    const byOrder = await t.call(xiling, 'GET', `/api/v1/service/orders/${order!.id}/suggestions`);
    expect(byOrder.statusCode, byOrder.body).toBe(200);
    expect(byOrder.json().items[0].memberId).toBe(skilledNear.forceId);
    const [need] = await q<{ id: number }>(`insert into community_need (community_code, title, category) values ($1, '独居老人陪护', 'elderly') returning id::int`, [XILING]);
    const byNeed = await t.call(xiling, 'GET', `/api/v1/service/needs/${need!.id}/suggestions`);
    expect(byNeed.statusCode).toBe(200);
    expect(byNeed.json().items.length).toBeGreaterThan(0);
    const other = await t.login('community.330108001002');
    expect((await t.call(other, 'GET', `/api/v1/service/orders/${order!.id}/suggestions`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/service/needs/${need!.id}/suggestions`)).statusCode).toBe(404);
    const task = await createTask();
    expect((await t.call(other, 'GET', `/api/v1/service/tasks/${task}/suggestions`)).statusCode).toBe(404);
    expect((await t.call(skilledMid.token, 'GET', `/api/v1/service/tasks/${task}/suggestions`)).statusCode).toBe(403);
    expect((await t.call(xiling, 'GET', '/api/v1/service/tasks/999999/suggestions')).statusCode).toBe(404);
  });
});
