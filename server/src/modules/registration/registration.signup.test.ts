import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../../test/helpers.js';
import { makeIdNumber } from '../../platform/idcard.js';

const XILING = '330108001001';
const PASSWORD = 'Lan7ing#Wq47';

/**
 * 码上报到 without an account: POST /communities/{code}/signup creates the person, the account and a pending
 * registration in one transaction; duplicates and bad input create nothing; the community approves as usual.
 */
describe('码上报到: self-registration by QR for people without an account', () => {
  let t: TestContext;
  let staff: string;
  let home: { code: string; address: string; unit: string };
  let sequence = 100;
  const q = <T>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const counts = async () => (await q<Record<string, number>>(`select (select count(*) from person)::int as persons,
    (select count(*) from app_user)::int as users, (select count(*) from app_user_role)::int as roles,
    (select count(*) from member_registration)::int as registrations, (select count(*) from audit_log)::int as audits,
    (select count(*) from notification)::int as notifications`))[0]!;
  /** A checksum-valid ID number nobody in the seed has. */
  const freshId = () => makeIdNumber({ area: '330108', birthDate: '1988-06-15', sequence: (sequence += 1) });
  let mobileNo = 0;
  const freshMobile = () => `1995550${String((mobileNo += 1)).padStart(4, '0')}`;
  const body = (over: Record<string, unknown> = {}) => ({
    name: '邱明', mobile: freshMobile(), idNumber: freshId(), password: PASSWORD, unitOrgCode: 'U0001', address: home.address, ...over,
  });
  /** A sign-up from an IP of its own (the limits count per IP). */
  const signUp = (payload: unknown, ip = '10.1.0.1', code = XILING, token?: string) => t.app.inject({
    method: 'POST', url: `/api/v1/service/communities/${code}/signup`, payload: payload as object, remoteAddress: ip,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

  beforeAll(async () => {
    t = await createTestContext({ signupPerIpHour: 4, signupPerMobileHour: 2 });
    staff = await t.login(`community.${XILING}`);
    // a room of the archive, written as people write it: 观澜新村3幢2单元501室
    const [room] = await q<{ code: string; address: string }>(`select rn.code, cp.name || b.name || u.name || rn.name as address
      from territory_node rn join territory_node u on u.code = rn.parent_code join territory_node b on b.code = u.parent_code
      join territory_node cp on cp.code = b.parent_code join territory_node c on c.code = $1
      where rn.kind = 'room' and rn.path <@ c.path order by rn.code limit 1`, [XILING]);
    home = { code: room!.code, address: room!.address, unit: room!.code.replace(/R[0-9]{4}$/, '') };
  });
  afterAll(async () => t.close());

  it('shows the public page its community and compounds, and nothing for a code that is no community', async () => {
    const res = await t.call(null, 'GET', `/api/v1/service/communities/${XILING}/signup`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().community).toEqual({ code: XILING, name: '西陵社区', streetName: expect.stringContaining('街道') });
    expect(res.json().compounds.map((c: { name: string }) => c.name)).toEqual(expect.arrayContaining(['观澜新村', '春晓湾']));
    expect((await t.call(null, 'GET', '/api/v1/service/communities/330108001/signup')).statusCode).toBe(404);
    // the unit-org picker works without a session too
    const orgs = await t.call(null, 'GET', `/api/v1/service/unit-orgs?q=${encodeURIComponent('西陵实验')}`);
    expect(orgs.statusCode).toBe(200);
    expect(orgs.json().items[0]).toMatchObject({ code: 'U0001' });
  });

  it('signs up in one transaction: person, account (mobile + own password), pending registration at the matched room, audit', async () => {
    const before = await counts();
    const idNumber = makeIdNumber({ area: '330108', birthDate: '1990-01-09', sequence: 31 });
    const payload = body({ idNumber });
    const res = await signUp(payload);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toEqual({ registrationId: expect.any(Number), status: 'pending' });
    const id = res.json().registrationId as number;
    expect(await counts()).toEqual({ ...before, persons: before.persons! + 1, users: before.users! + 1, roles: before.roles! + 1,
      registrations: before.registrations! + 1, audits: before.audits! + 1, notifications: before.notifications! + 1 });

    const [row] = await q<Record<string, unknown>>(`select r.status, r.home_code, r.community_code, r.unit_org_code, r.work_unit, r.channel, r.mobile as reg_mobile,
        p.name, p.id_number, p.gender, p.birth_date::text as birth, p.mobile, p.name_pinyin, u.username, u.must_change_password, u.scope_kind, u.status as user_status,
        (select array_agg(role_code) from app_user_role where user_id = u.id) as roles
      from member_registration r join person p on p.id = r.person_id join app_user u on u.id = r.user_id and u.person_id = p.id where r.id = $1`, [id]);
    expect(row).toMatchObject({ status: 'pending', home_code: home.code, community_code: XILING, unit_org_code: 'U0001', channel: 'qr',
      name: '邱明', id_number: idNumber, gender: 'M', birth: '1990-01-09', mobile: payload.mobile, reg_mobile: payload.mobile, name_pinyin: 'qiuming',
      username: payload.mobile, must_change_password: false, scope_kind: 'self', user_status: 'active', roles: ['party_member'] });
    expect(String(row!.work_unit).length).toBeGreaterThanOrEqual(2);
    const [audit] = await q<{ action: string; summary: Record<string, unknown>; actor_username: string }>(`select action, summary, actor_username from audit_log
      where target_type = 'member_registration' and target_id = $1`, [String(id)]);
    expect(audit).toMatchObject({ action: 'registration.signup', summary: { communityCode: XILING, homeCode: home.code } });
    expect(JSON.stringify(audit!.summary)).not.toContain(idNumber);

    // they log in with their mobile and their own password, and see 待审核
    const member = await t.login(payload.mobile, PASSWORD);
    const mine = await t.call(member, 'GET', '/api/v1/service/registrations/mine');
    expect(mine.json().items).toEqual([expect.objectContaining({ id, status: 'pending', communityName: '西陵社区', name: '邱*' })]);
    // member things wait for the approval: no forces-register entry yet, so no posts to see
    expect((await t.call(member, 'GET', '/api/v1/service/posts')).json().items).toEqual([]);

    // the community approves as today; the member enters the forces register and is told
    const queue = await t.call(staff, 'GET', `/api/v1/service/registrations?communityCode=${XILING}&status=pending`);
    const listed = queue.json().items.find((r: { id: number }) => r.id === id);
    expect(listed).toMatchObject({ name: '邱*', mobile: `${payload.mobile.slice(0, 3)}****${payload.mobile.slice(-4)}` });
    const approved = await t.call(staff, 'POST', `/api/v1/service/registrations/${id}/approve`, {});
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json()).toMatchObject({ status: 'approved', forceId: expect.any(Number) });
    expect((await t.call(member, 'GET', '/api/v1/service/registrations/mine')).json().items[0].status).toBe('approved');
    const inbox = (await t.call(member, 'GET', '/api/v1/notifications')).json().items.map((n: { title: string }) => n.title);
    expect(inbox).toEqual(expect.arrayContaining(['您已在西陵社区报到成功', '已提交到西陵社区的报到，等待社区审核']));
  });

  it('refuses the same ID number or mobile with 409 DUPLICATE naming the field, never echoing it, and creates nothing', async () => {
    const first = body();
    expect((await signUp(first, '10.1.0.2')).statusCode).toBe(201);
    const before = await counts();

    const sameId = await signUp(body({ idNumber: first.idNumber }), '10.1.0.2');
    expect(sameId.statusCode).toBe(409);
    expect(sameId.json().error).toMatchObject({ code: 'DUPLICATE', field: 'idNumber' });
    expect(sameId.body).not.toContain(first.idNumber);

    const sameMobile = await signUp(body({ mobile: first.mobile }), '10.1.0.2');
    expect(sameMobile.statusCode).toBe(409);
    expect(sameMobile.json().error).toMatchObject({ code: 'DUPLICATE', field: 'mobile' });
    expect(sameMobile.body).not.toContain(first.mobile);

    // a mobile or ID number the archive already holds (a seeded resident) is a duplicate too
    const [resident] = await q<{ id_number: string; mobile: string }>(`select id_number, mobile from person
      where id_number is not null and mobile is not null order by id limit 1`);
    const archivedId = await signUp(body({ idNumber: resident!.id_number }), '10.1.0.3');
    expect(archivedId.json().error).toMatchObject({ code: 'DUPLICATE', field: 'idNumber' });
    const archivedMobile = await signUp(body({ mobile: resident!.mobile }), '10.1.0.3');
    expect(archivedMobile.json().error).toMatchObject({ code: 'DUPLICATE', field: 'mobile' });
    expect(`${archivedId.body}${archivedMobile.body}`).not.toMatch(new RegExp(`${resident!.id_number}|${resident!.mobile}`));
    expect(await counts()).toEqual(before);
  });

  it('lets only one of two simultaneous sign-ups with the same ID number or mobile through (the database decides)', async () => {
    const idNumber = freshId();
    const mobile = freshMobile();
    const before = await counts();
    const results = await Promise.all([
      signUp(body({ idNumber }), '10.8.0.1'), signUp(body({ idNumber }), '10.8.0.2'),
      signUp(body({ mobile }), '10.8.0.3'), signUp(body({ mobile }), '10.8.0.4'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([201, 201, 409, 409]);
    expect(results.filter((r) => r.statusCode === 409).map((r) => r.json().error.code)).toEqual(['DUPLICATE', 'DUPLICATE']);
    expect((await counts()).registrations).toBe(before.registrations! + 2);
  });

  it('answers bad input with 400 naming the field, and creates nothing', async () => {
    const before = await counts();
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'idNumber'], // a fresh number with its check digit changed, below
      [{ idNumber: makeIdNumber({ area: '330108', birthDate: '2099-01-01', sequence: 1 }) }, 'idNumber'], // born in the future
      [{ password: 'abc12345' }, 'password'],
      [{ password: 'Password1!' }, 'password'],
      [{ address: '观澜新村第三排' }, 'address'],
      [{ address: '不存在小区3幢2单元501室' }, 'address'],
      [{ address: home.address.replace(/^(\D+)\d+/, '$1987') }, 'address'],
      [{ unitOrgCode: undefined }, 'unitName'],
      [{ unitOrgCode: 'NOPE' }, 'unitOrgCode'],
      [{ name: '邱1' }, 'name'],
      [{ mobile: '12345678901' }, 'mobile'],
    ];
    let ip = 10;
    for (const [over, field] of cases) {
      const payload = body(over);
      if (field === 'idNumber' && Object.keys(over).length === 0) payload.idNumber = `${payload.idNumber.slice(0, 17)}${payload.idNumber.endsWith('0') ? '1' : '0'}`;
      const res = await signUp(payload, `10.2.0.${(ip += 1)}`);
      expect(res.statusCode, `${field}: ${res.body}`).toBe(400);
      expect(res.json().error).toMatchObject({ code: 'VALIDATION', field });
    }
    expect(await counts()).toEqual(before);
  });

  it('matches a home the archive lacks the room of to its unit, and reads other address forms', async () => {
    const [c] = await q<{ name: string; code: string }>(`select name, code from territory_node where code = $1`, [home.code.replace(/B[0-9]{3}.*$/, '')]);
    const [, b, u] = /B([0-9]{3})U([0-9]{2})R[0-9]{4}$/.exec(home.code)!.map(Number) as [number, number, number];
    const res = await signUp(body({ address: `${c!.name}${b}-${u}-9901` }), '10.3.0.1');
    expect(res.statusCode, res.body).toBe(201);
    const [reg] = await q<{ home_code: string }>(`select home_code from member_registration where id = $1`, [res.json().registrationId]);
    expect(reg!.home_code).toBe(home.unit);
  });

  it('sends a logged-in caller to the registration of their account', async () => {
    const member = await t.login('member.demo');
    const before = await counts();
    const res = await signUp(body(), '10.4.0.1', XILING, member);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
  });

  it('limits sign-ups per mobile and per IP: 429 RATE_LIMITED in the error format', async () => {
    const mobile = freshMobile();
    // the same mobile twice (a bad password each time), then refused
    for (let i = 0; i < 2; i += 1) expect((await signUp(body({ mobile, password: 'weak' + 'weakweak' }), `10.5.0.${i + 1}`)).statusCode).toBe(400);
    const third = await signUp(body({ mobile }), '10.5.0.9');
    expect(third.statusCode).toBe(429);
    expect(third.json().error).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringContaining('手机号') });
    // one IP: 4 attempts an hour whatever the mobile, then refused — and nothing created by the refused one
    for (let i = 0; i < 4; i += 1) expect((await signUp(body({ password: 'weakweak1' }), '10.6.0.1')).statusCode).toBe(400);
    const before = await counts();
    const fifth = await signUp(body(), '10.6.0.1');
    expect(fifth.statusCode).toBe(429);
    expect(fifth.json().error.code).toBe('RATE_LIMITED');
    expect(await counts()).toEqual(before);
    // another IP is not affected
    expect((await signUp(body(), '10.6.0.2')).statusCode).toBe(201);
  });

  it('lets a rejected person log in, read why, and register again from their account', async () => {
    const payload = body();
    const created = await signUp(payload, '10.7.0.1');
    const id = created.json().registrationId as number;
    const rejected = await t.call(staff, 'POST', `/api/v1/service/registrations/${id}/reject`, { note: '住址不在本社区，请到居住地社区报到' });
    expect(rejected.json().status).toBe('rejected');
    const member = await t.login(payload.mobile, PASSWORD);
    expect((await t.call(member, 'GET', '/api/v1/service/registrations/mine')).json().items[0])
      .toMatchObject({ status: 'rejected', reviewNote: '住址不在本社区，请到居住地社区报到' });
    const again = await t.call(member, 'POST', '/api/v1/service/registrations', {
      communityCode: XILING, homeCode: home.unit, unitOrgCode: 'U0001', workUnit: '西陵实验学校', skills: [], wishes: [],
    });
    expect(again.statusCode, again.body).toBe(201);
  });
});
