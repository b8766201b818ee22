import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../../../test/helpers.js';
import { enrolTotp } from '../../../../test/totp.js';

describe('login, sessions and lockout', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext(); });
  afterAll(async () => t.close());

  it('logs in with the demo password: token, user with roles and scope, httpOnly SameSite cookie', async () => {
    const res = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'community.330108001001', password: DEMO_PASSWORD });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.user).toMatchObject({ username: 'community.330108001001', roles: ['community_staff'], scope: { kind: 'subtree', codes: ['330108001001'] } });
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/linli_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // the cookie alone authenticates the web app
    const session = cookie.split(';')[0]!;
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: session } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('community.330108001001');
  });

  it('answers 401 INVALID_CREDENTIALS for a wrong password and for an unknown user alike', async () => {
    const wrong = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'admin', password: 'nope-Nope1' });
    const unknown = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'nobody.here', password: 'nope-Nope1' });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ error: { code: 'INVALID_CREDENTIALS', message: '用户名或密码错误' } });
    }
    const en = await t.call(null, 'POST', '/api/v1/auth/login', { username: 'admin', password: 'x' }, { 'accept-language': 'en' });
    expect(en.json().error.message).toBe('wrong username or password');
    // a successful login resets the counter
    await t.login('admin');
  });

  it('locks a username for 10 minutes after 5 failures in a row, even against the right password, and logs every attempt', async () => {
    const username = 'street.330108003';
    for (let i = 0; i < 4; i++) {
      expect((await t.call(null, 'POST', '/api/v1/auth/login', { username, password: `Wrong-pass${i}` })).statusCode).toBe(401);
    }
    const fifth = await t.call(null, 'POST', '/api/v1/auth/login', { username, password: 'Wrong-pass5' });
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().error.code).toBe('LOCKED');
    expect(fifth.json().error.message).toMatch(/^登录失败次数过多，该账号暂时锁定，请于 \d\d:\d\d 后重试$/);
    expect(Number(fifth.headers['retry-after'])).toBeGreaterThan(590);
    const right = await t.call(null, 'POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD });
    expect(right.statusCode).toBe(423);
    // the administrator's users page shows the lock
    const [user] = await t.database.query<{ minutes: number }>(
      `select round(extract(epoch from locked_until - now()) / 60)::int as minutes from app_user where username = $1`, [username]);
    expect(user!.minutes).toBe(10);
    const log = await t.database.query<{ outcome: string }>(`select outcome from login_log where username = $1 order by id`, [username]);
    expect(log.map((r) => r.outcome)).toEqual(['bad_password', 'bad_password', 'bad_password', 'bad_password', 'bad_password', 'locked']);
    // attempts while locked do not extend the lock: when the failures are 10 minutes old the right password works
    await t.database.query(`update login_log set at = at - interval '10 minutes 1 second' where username = $1`, [username]);
    expect((await t.call(null, 'POST', '/api/v1/auth/login', { username, password: DEMO_PASSWORD })).statusCode).toBe(200);
  });

  it('answers an unknown username exactly like a known one: 401 four times, then LOCKED (no account enumeration)', async () => {
    const answers = async (username: string) => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await t.call(null, 'POST', '/api/v1/auth/login', { username, password: `Wrong-pass${i}` });
        out.push(`${res.statusCode} ${res.json().error.code} ${res.json().error.message.replace(/\d\d:\d\d/, 'HH:MM')} ${res.headers['retry-after'] ? 'retry' : ''}`);
      }
      return out;
    };
    const known = await answers('street.330108002');
    const unknown = await answers('no.such.person');
    expect(unknown).toEqual(known);
    expect(known.slice(4)).toEqual(Array(2).fill('423 LOCKED 登录失败次数过多，该账号暂时锁定，请于 HH:MM 后重试 retry'));
    await t.database.query(`delete from login_log where username in ('street.330108002', 'no.such.person')`);
  });

  it('ends a session after 30 idle minutes', async () => {
    const token = await t.login('street.330108002');
    expect((await t.call(token, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    await t.database.query(`update user_session set last_seen_at = now() - interval '31 minutes'`);
    const res = await t.call(token, 'GET', '/api/v1/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('logs out: the token stops working', async () => {
    const token = await t.login('street.330108001');
    expect((await t.call(token, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await t.call(token, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('refuses every API route without credentials', async () => {
    const res = await t.call(null, 'GET', '/api/v1/territory/nodes/330108');
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHENTICATED');
  });
});

describe('initial passwords outside demo mode', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext({ demoMode: false }); });
  afterAll(async () => t.close());

  it('forces a new user to change the initial password, enforcing the policy and refusing common passwords', async () => {
    const admin = await t.login('admin');
    await enrolTotp(t, admin); // outside demo mode the administrator must have a second factor first
    const created = await t.call(admin, 'POST', '/api/v1/users', {
      username: 'new.worker', displayName: '新网格员', roles: ['grid_worker'], scopeKind: 'subtree', scopeCodes: ['330108001001'],
    });
    expect(created.statusCode).toBe(201);
    const { initialPassword, user } = created.json();
    expect(user.mustChangePassword).toBe(true);
    const token = await t.login('new.worker', initialPassword);

    const blocked = await t.call(token, 'GET', '/api/v1/territory/nodes/330108001001');
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');

    for (const [newPassword, message] of [
      ['short1A', 'newPassword: 密码至少 8 位'],
      ['alllowercase1', 'newPassword: 密码须包含大写字母、小写字母、数字、符号中的至少三类'],
      ['Linli@2026', 'newPassword: 密码过于常见，容易被猜中，请换一个'],
      ['P@ssw0rd2024', 'newPassword: 密码过于常见，容易被猜中，请换一个'],
      ['Woaini1314!', 'newPassword: 密码过于常见，容易被猜中，请换一个'],
      ['Qwe123!@#', 'newPassword: 密码过于常见，容易被猜中，请换一个'],
      ['Xiaoming2020!', 'newPassword: 密码不能是姓名拼音加数字这类容易被猜中的组合'],
      ['New.Worker#2026', 'newPassword: 密码不能包含用户名'],
    ] as const) {
      const res = await t.call(token, 'POST', '/api/v1/auth/password', { oldPassword: initialPassword, newPassword });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toEqual({ code: 'VALIDATION', message, field: 'newPassword' });
    }
    const wrongOld = await t.call(token, 'POST', '/api/v1/auth/password', { oldPassword: 'Not-it-123', newPassword: 'Good-Pass-2026' });
    expect(wrongOld.json().error.field).toBe('oldPassword');

    expect((await t.call(token, 'POST', '/api/v1/auth/password', { oldPassword: initialPassword, newPassword: 'Good-Pass-2026' })).statusCode).toBe(204);
    expect((await t.call(token, 'GET', '/api/v1/territory/nodes/330108001001')).statusCode).toBe(200);
  });
});

describe('session cache', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext({ sessionCacheSeconds: 60 }); });
  afterAll(async () => t.close());

  it('serves repeated requests from memory but forgets at once on logout, disable and password reset', async () => {
    const admin = await t.login('admin');
    const worker = await t.login('community.330108001003');
    expect((await t.call(worker, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    // a revoked row is not seen while cached…
    await t.database.query(`update user_session set revoked_at = now() where user_id = (select id from app_user where username = 'community.330108001003')`);
    expect((await t.call(worker, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
    // …but changes made through the application take effect immediately
    const [{ id }] = (await t.database.query<{ id: number }>(`select id from app_user where username = 'community.330108001003'`)) as [{ id: number }];
    await t.database.query(`update user_session set revoked_at = null`);
    expect((await t.call(admin, 'PATCH', `/api/v1/users/${id}`, { status: 'disabled' })).statusCode).toBe(200);
    expect((await t.call(worker, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);

    const street = await t.login('street.330108001');
    expect((await t.call(street, 'POST', '/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await t.call(street, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
  });
});
