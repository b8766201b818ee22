/**
 * Test factories for the four-order loop and service records: registered members (approved registration with a
 * functional branch and a work-unit org, forces-register row) and an order driven through the API up to 'done'.
 * Registration is written with SQL here so these tests do not depend on the registration module's routes.
 */
import { expect } from 'vitest';
import type { TestContext } from '../../../../test/helpers.js';

export const XILING = '330108001001';
export const XILING_BRANCH = `P${XILING}F01`;

/** The smallest valid PNG (1×1). */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

export interface Member { forceId: number; userId: number; username: string; token: string; name: string }

/** Registers (approved) a user as an in-service member of 西陵社区, placed in its functional branch; unit org = unit.demo's org. */
export async function registerMember(t: TestContext, username: string): Promise<Member> {
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const [u] = await q<{ id: number; person_id: number; name: string }>(`select u.id::int as id, u.person_id::int as person_id, p.name
    from app_user u join person p on p.id = u.person_id where u.username = $1`, [username]);
  if (!u) throw new Error(`no user ${username}`);
  const [existing] = await q<{ id: number }>(`select id::int as id from force_person where person_id = $1`, [u.person_id]);
  let forceId = existing?.id;
  if (!forceId) {
    const [home] = await q<{ room_code: string; path: string }>(`select r.room_code, c.path::text as path from residence r
      join territory_node rn on rn.code = r.room_code join territory_node c on c.code = $2
      where r.person_id = $1 and r.moved_out is null order by r.id limit 1`, [u.person_id, XILING]);
    const [f] = await q<{ id: number }>(`insert into force_person (person_id, user_id, kind, community_code, community_path, home_code, skills)
      values ($1, $2, 'in_service_member', $3, cast($4 as ltree), $5, '{plumbing,elderly_care}') returning id::int as id`,
      [u.person_id, u.id, XILING, home?.path ?? XILING, home?.room_code ?? null]);
    forceId = f!.id;
    const [unit] = await q<{ org_code: string }>(`select org_code from app_user where username = 'unit.demo'`);
    await q(`insert into member_registration (person_id, user_id, community_code, home_code, unit_org_code, work_unit, status, branch_code, force_id, channel)
      values ($1, $2, $3, coalesce($4, $3), $5, '测试单位', 'approved', $6, $7, 'seed')`,
      [u.person_id, u.id, XILING, home?.room_code ?? null, unit!.org_code, XILING_BRANCH, forceId]);
  }
  return { forceId, userId: u.id, username, token: await t.login(username), name: u.name };
}

/** A second party-member account living in 西陵社区 (copying member.demo's password), registered like member.demo. */
export async function makeMemberAccount(t: TestContext, username: string): Promise<Member> {
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const [p] = await q<{ id: number; name: string }>(`select p.id::int as id, p.name from person p
    join residence r on r.person_id = p.id and r.moved_out is null join territory_node rn on rn.code = r.room_code
    where rn.path <@ (select path from territory_node where code = $1)
      and not exists (select 1 from app_user u where u.person_id = p.id) and not exists (select 1 from force_person f where f.person_id = p.id)
    order by p.id limit 1`, [XILING]);
  const [u] = await q<{ id: number }>(`insert into app_user (username, display_name, password_hash, scope_kind, person_id, must_change_password, status)
    values ($1, $2, (select password_hash from app_user where username = 'member.demo'), 'self', $3, false, 'active') returning id::int as id`,
    [username, p!.name, p!.id]);
  await q(`insert into app_user_role (user_id, role_code) values ($1, 'party_member')`, [u!.id]);
  return registerMember(t, username);
}

/** Uploads the test PNG and returns its file id. */
export async function uploadPhoto(t: TestContext, token: string, bytes: Buffer = PNG, name = 'photo.png'): Promise<{ status: number; body: any }> {
  const boundary = `----linli${Date.now()}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/png\r\n\r\n`),
    bytes, Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.call(token, 'POST', '/api/v1/files', payload, { 'content-type': `multipart/form-data; boundary=${boundary}` });
  return { status: res.statusCode, body: res.json() };
}

export interface Tokens { resident: string; staff: string }

/** A resident's order driven through the API to 'done' by `member` (dispatched to them, accepted, completed with a photo). */
export async function orderToDone(t: TestContext, tok: Tokens, member: Member, title = '帮忙修理水龙头', hours = 2): Promise<{ orderId: number; recordId: number }> {
  const created = await t.call(tok.resident, 'POST', '/api/v1/service/orders', { title, skillCode: 'plumbing' });
  expect(created.statusCode, created.body).toBe(201);
  const orderId = created.json().order.id as number;
  const act = async (token: string, body: Record<string, unknown>) => {
    const res = await t.call(token, 'POST', `/api/v1/service/orders/${orderId}/actions`, body);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  await act(tok.staff, { action: 'dispatch', mode: 'member', forceId: member.forceId });
  await act(member.token, { action: 'accept' });
  const photo = await uploadPhoto(t, member.token);
  const done = await act(member.token, { action: 'complete', hours, evidence: [photo.body.id], note: '已修好' });
  return { orderId, recordId: done.order.recordId };
}
