import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { makeMemberAccount, orderToDone, PNG, registerMember, uploadPhoto, XILING, type Member } from '../orders/test-factory.js';

/** Evidence photos show residents' homes: a file is readable only through the records that name it (fileReadable). */
describe('reading an evidence photo', () => {
  let t: TestContext;
  let resident: string;
  let staff: string;
  let otherStaff: string;
  let street: string;
  let admin: string;
  let unit: string;
  let member: Member;
  let stranger: Member;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const read = (token: string, id: string) => t.call(token, 'GET', `/api/v1/files/${id}`);
  const status = async (token: string, id: string) => (await read(token, id)).statusCode;

  beforeAll(async () => {
    t = await createTestContext({ dataDir: mkdtempSync(join(tmpdir(), 'linli-files-')) });
    [resident, staff, otherStaff, street, admin, unit] = await Promise.all(['resident.demo', `community.${XILING}`, 'community.330108001002',
      'street.330108001', 'admin', 'unit.demo'].map((u) => t.login(u))) as [string, string, string, string, string, string];
    member = await registerMember(t, 'member.demo');
    stranger = await makeMemberAccount(t, 'member.files2');
  });
  afterAll(async () => t.close());

  it('an order photo: the uploader, the resident, staff in scope; not another community, a random member or a unit', async () => {
    const { orderId, recordId } = await orderToDone(t, { resident, staff }, member, '帮忙修理门锁');
    const [row] = await q<{ evidence: string[] }>(`select evidence from service_order where id = $1`, [orderId]);
    const id = row!.evidence[0]!;
    const [rec] = await q<{ evidence: string[] }>(`select evidence from service_record where id = $1`, [recordId]);
    expect(rec!.evidence).toEqual([id]);

    const own = await read(member.token, id);
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toBe('image/png');
    expect(Buffer.from(own.rawPayload).equals(PNG)).toBe(true);
    expect(await status(resident, id)).toBe(200);   // the resident who ordered
    expect(await status(staff, id)).toBe(200);      // 西陵社区 staff
    expect(await status(street, id)).toBe(200);     // the street above it
    expect(await status(admin, id)).toBe(200);
    // everything else reads as a file that does not exist
    for (const token of [otherStaff, stranger.token, unit]) {
      const res = await read(token, id);
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
      expect(res.body).not.toContain('PNG');
    }
    expect(await status(otherStaff, '00000000-0000-0000-0000-000000000000')).toBe(404);
    expect(await status(otherStaff, 'not-a-uuid')).toBe(404);
    expect((await t.call(null, 'GET', `/api/v1/files/${id}`)).statusCode).toBe(401);
  });

  it('a photo named by nothing is the uploader’s alone, even for staff and the admin', async () => {
    const photo = await uploadPhoto(t, stranger.token, Buffer.concat([PNG, Buffer.from('loose')]));
    expect(photo.status).toBe(201);
    expect(await status(stranger.token, photo.body.id)).toBe(200);
    for (const token of [member.token, resident, staff, admin]) expect(await status(token, photo.body.id)).toBe(404);
  });

  it('a task record photo: its member and staff in scope', async () => {
    const photo = await uploadPhoto(t, stranger.token, Buffer.concat([PNG, Buffer.from('record')]));
    // a record of a post (no order, no task) names the photo; written with SQL so this test does not need the posts routes
    await q(`insert into service_record (force_id, source, community_code, title, served_on, hours, hour_cap, evidence)
      values ($1, 'post', $2, '楼道值守', current_date, 1, 4, jsonb_build_array(cast($3 as text)))`, [stranger.forceId, XILING, photo.body.id]);
    expect(await status(staff, photo.body.id)).toBe(200);
    expect(await status(otherStaff, photo.body.id)).toBe(404);
    expect(await status(member.token, photo.body.id)).toBe(404);
    expect(await status(resident, photo.body.id)).toBe(404);
  });

  it('a project spending photo: staff in scope and the units that claimed the project', async () => {
    const photo = await uploadPhoto(t, staff, Buffer.concat([PNG, Buffer.from('receipt')]));
    const [unitOrg] = await q<{ org_code: string }>(`select org_code from app_user where username = 'unit.demo'`);
    const [p] = await q<{ id: number }>(`insert into coop_project (community_code, title, kind, target_amount) values ($1, '楼道照明改造', 'crowdfunding', 1000)
      returning id::int as id`, [XILING]);
    await q(`insert into project_pledge (project_id, donor_name, amount) values ($1, '热心居民', 500)`, [p!.id]);
    await q(`insert into project_spending (project_id, amount, purpose, spent_on, evidence) values ($1, 200, '购买灯具', current_date, jsonb_build_array(cast($2 as text)))`,
      [p!.id, photo.body.id]);
    expect(await status(staff, photo.body.id)).toBe(200);          // the uploader, and in scope
    expect(await status(street, photo.body.id)).toBe(200);
    expect(await status(otherStaff, photo.body.id)).toBe(404);
    expect(await status(unit, photo.body.id)).toBe(404);           // not (yet) a unit of the project
    await q(`insert into coop_project_unit (project_id, org_code) values ($1, $2)`, [p!.id, unitOrg!.org_code]);
    expect(await status(unit, photo.body.id)).toBe(200);
    expect(await status(member.token, photo.body.id)).toBe(404);
  });
});
