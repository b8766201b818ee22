import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, DEMO_PASSWORD, type TestContext } from '../../../../test/helpers.js';
import { enrolTotp, totpCode } from '../../../../test/totp.js';

const login = (t: TestContext, body: Record<string, unknown>, ip = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { client: 'api', ...body }, remoteAddress: ip });

async function auditActions(t: TestContext, username: string): Promise<string[]> {
  const rows = await t.database.query<{ action: string }>(
    `select action from audit_log where target_type = 'user' and target_id = (select id::text from app_user where username = $1) order by id`, [username]);
  return rows.map((r) => r.action);
}

describe('second factor (TOTP) in demo mode', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext(); });
  afterAll(async () => t.close());

  it('demo mode asks no one to enrol; a user who enrols is asked for a code at every login', async () => {
    const username = 'street.330108001';
    const token = await t.login(username);
    const me = (await t.call(token, 'GET', '/api/v1/auth/me')).json().user;
    expect(me).toMatchObject({ totpEnabled: false, totpEnrollmentRequired: false });

    const enrol = await t.call(token, 'POST', '/api/v1/auth/totp/enroll', undefined, { 'idempotency-key': 'enrol-1' });
    expect(enrol.statusCode).toBe(200);
    const { otpauthUri, secret, qrCode } = enrol.json();
    expect(otpauthUri).toMatch(new RegExp(`^otpauth://totp/.*${username}\\?.*secret=${secret}`));
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    // the secret is stored encrypted, never as given
    const [stored] = await t.database.query<{ secret_enc: string }>(`select secret_enc from user_totp where user_id = (select id from app_user where username = $1)`, [username]);
    expect(stored!.secret_enc).not.toContain(secret);
    expect(stored!.secret_enc).toMatch(/^v1\./);

    // not on until confirmed; a wrong code is refused naming the field
    expect((await login(t, { username, password: DEMO_PASSWORD })).json().token).toBeTruthy();
    const wrongConfirm = await t.call(token, 'POST', '/api/v1/auth/totp/confirm', { code: '000000' });
    expect(wrongConfirm.statusCode).toBe(400);
    expect(wrongConfirm.json().error.field).toBe('code');
    const confirm = await t.call(token, 'POST', '/api/v1/auth/totp/confirm', { code: totpCode(secret) }, { 'idempotency-key': 'confirm-1' });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    // neither answer is kept for Idempotency-Key replay, and recovery codes are stored hashed
    const kept = await t.database.query(`select 1 from idempotency_key where key in ('enrol-1', 'confirm-1')`);
    expect(kept).toHaveLength(0);
    const hashes = await t.database.query<{ code_hash: string }>(`select code_hash from user_recovery_code`);
    expect(hashes.map((h) => h.code_hash)).not.toContain(recoveryCodes[0]);
    // once on, it cannot be replaced from a session (a lost phone is the administrator's reset)
    expect((await t.call(token, 'POST', '/api/v1/auth/totp/enroll')).statusCode).toBe(409);

    // password alone: 200 {totpRequired}, no session, no cookie
    const first = await login(t, { username, password: DEMO_PASSWORD, client: 'web' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ totpRequired: true });
    expect(first.headers['set-cookie']).toBeUndefined();
    // a wrong password with a code still says only "wrong username or password"
    expect((await login(t, { username, password: 'Wrong-pass-1', totp: totpCode(secret, 1) })).json().error.code).toBe('INVALID_CREDENTIALS');
    // a wrong code is refused and counted like a wrong password
    const wrong = await login(t, { username, password: DEMO_PASSWORD, totp: '123456' === totpCode(secret, 1) ? '654321' : '123456' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error).toMatchObject({ code: 'INVALID_CREDENTIALS', field: 'totp' });
    // the next step's code works once (the enrolment took the current step)
    const next = totpCode(secret, 1);
    const ok = await login(t, { username, password: DEMO_PASSWORD, totp: next });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().user).toMatchObject({ username, totpEnabled: true });
    const replay = await login(t, { username, password: DEMO_PASSWORD, totp: next });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().error.field).toBe('totp');

    // a recovery code in place of the code, once
    const recovery = await login(t, { username, password: DEMO_PASSWORD, totp: recoveryCodes[3]!.toUpperCase() });
    expect(recovery.statusCode).toBe(200);
    expect((await login(t, { username, password: DEMO_PASSWORD, totp: recoveryCodes[3] })).statusCode).toBe(401);

    const outcomes = await t.database.query<{ outcome: string }>(`select outcome from login_log where username = $1 order by id`, [username]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['ok', 'ok', 'totp_required', 'bad_password', 'bad_totp', 'ok', 'bad_totp', 'ok', 'bad_totp']);
    expect(await auditActions(t, username)).toEqual(['user.totp_enroll', 'user.totp_confirm', 'user.totp_recovery_used']);
  });

  it('wrong codes count towards the lock like wrong passwords', async () => {
    const username = 'street.330108002';
    const { secret } = await enrolTotp(t, await t.login(username));
    for (let i = 0; i < 4; i++) expect((await login(t, { username, password: DEMO_PASSWORD, totp: '000001' })).statusCode).toBe(401);
    expect((await login(t, { username, password: DEMO_PASSWORD, totp: '000002' })).statusCode).toBe(423);
    expect((await login(t, { username, password: DEMO_PASSWORD, totp: totpCode(secret, 1) })).statusCode).toBe(423);
  });

  it('an administrator resets a lost second factor (audited, sessions end); nobody resets their own', async () => {
    const username = 'community.330108001001';
    const token = await t.login(username);
    await enrolTotp(t, token);
    const [{ id }] = (await t.database.query<{ id: number }>(`select id from app_user where username = $1`, [username])) as [{ id: number }];
    const admin = await t.login('admin');
    const reset = await t.call(admin, 'POST', `/api/v1/users/${id}/reset-totp`);
    expect(reset.statusCode).toBe(200);
    expect(reset.json().totpEnabled).toBe(false);
    expect((await t.call(token, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await login(t, { username, password: DEMO_PASSWORD })).json().token).toBeTruthy();
    expect(await auditActions(t, username)).toEqual(['user.totp_enroll', 'user.totp_confirm', 'user.totp_reset']);
    const adminId = (await t.call(admin, 'GET', '/api/v1/auth/me')).json().user.id;
    expect((await t.call(admin, 'POST', `/api/v1/users/${adminId}/reset-totp`)).statusCode).toBe(403);
    // a community worker may not reset a street's
    const street = (await t.database.query<{ id: number }>(`select id from app_user where username = 'street.330108001'`))[0]!;
    expect((await t.call(await t.login('community.330108001002'), 'POST', `/api/v1/users/${street.id}/reset-totp`)).statusCode).toBe(403);
  });

  it('privileged sessions are shorter: 4 hours in all, 15 idle minutes', async () => {
    const admin = await t.login('admin');
    const grid = await t.login('grid.330108001001001');
    const rows = await t.database.query<{ username: string; hours: number }>(`select u.username, round(extract(epoch from s.expires_at - s.created_at) / 3600)::int as hours
      from user_session s join app_user u on u.id = s.user_id where u.username in ('admin', 'grid.330108001001001') and s.revoked_at is null order by s.created_at desc`);
    expect(rows.find((r) => r.username === 'admin')!.hours).toBe(4);
    expect(rows.find((r) => r.username === 'grid.330108001001001')!.hours).toBe(12);
    await t.database.query(`update user_session set last_seen_at = now() - interval '16 minutes'`);
    expect((await t.call(admin, 'GET', '/api/v1/auth/me')).statusCode).toBe(401);
    expect((await t.call(grid, 'GET', '/api/v1/auth/me')).statusCode).toBe(200);
  });
});

describe('second factor required outside demo mode', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext({ demoMode: false }); });
  afterAll(async () => t.close());

  it('a privileged user may log in but must enrol before anything else; others are not asked', async () => {
    // derived from permissions: district admin (user:write) and community staff (people:unmask) — not a grid worker
    for (const username of ['admin', 'community.330108001001']) {
      const token = await t.login(username);
      expect((await t.call(token, 'GET', '/api/v1/auth/me')).json().user.totpEnrollmentRequired).toBe(true);
      const blocked = await t.call(token, 'GET', '/api/v1/territory/nodes/330108001001');
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toEqual({ code: 'TOTP_ENROLLMENT_REQUIRED', message: '您的账号权限较高，请先开启两步验证' });
      const { secret } = await enrolTotp(t, token);
      expect((await t.call(token, 'GET', '/api/v1/territory/nodes/330108001001')).statusCode).toBe(200);
      expect((await login(t, { username, password: DEMO_PASSWORD })).json()).toEqual({ totpRequired: true });
      expect((await login(t, { username, password: DEMO_PASSWORD, totp: totpCode(secret, 1) })).statusCode).toBe(200);
    }
    const grid = await t.login('grid.330108001001001');
    expect((await t.call(grid, 'GET', '/api/v1/auth/me')).json().user.totpEnrollmentRequired).toBe(false);
    expect((await t.call(grid, 'GET', '/api/v1/territory/nodes/330108001001001')).statusCode).toBe(200);
  });

  it('a user who must change the password does that first, then enrols', async () => {
    const username = 'street.330108002';
    await t.database.query(`update app_user set must_change_password = true where username = $1`, [username]);
    const token = await t.login(username);
    expect((await t.call(token, 'POST', '/api/v1/auth/totp/enroll')).json().error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await t.call(token, 'POST', '/api/v1/auth/password', { oldPassword: DEMO_PASSWORD, newPassword: 'Quiet-River-4821' })).statusCode).toBe(204);
    expect((await t.call(token, 'GET', '/api/v1/territory/nodes/330108002')).json().error.code).toBe('TOTP_ENROLLMENT_REQUIRED');
    expect((await t.call(token, 'POST', '/api/v1/auth/totp/enroll')).statusCode).toBe(200);
  });
});

describe('login throttling per IP and overall', () => {
  let t: TestContext;
  beforeAll(async () => { t = await createTestContext({ loginIpFailures: 6, loginGlobalFailures: 12 }); });
  afterAll(async () => t.close());

  it('refuses an IP after its failures (429 with Retry-After), whichever names it tried; other IPs are unaffected', async () => {
    const ip = '203.0.113.7';
    for (let i = 0; i < 6; i++) {
      expect((await login(t, { username: `guess.${i}`, password: 'Wrong-pass-1' }, ip)).statusCode).toBe(401);
    }
    const refused = await login(t, { username: 'grid.330108001001001', password: DEMO_PASSWORD }, ip);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error).toEqual({ code: 'RATE_LIMITED', message: '登录尝试过于频繁，请稍后再试' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(800);
    expect((await login(t, { username: 'grid.330108001001001', password: DEMO_PASSWORD }, '198.51.100.1')).statusCode).toBe(200);
    // once the failures are older than the window the IP may try again
    await t.database.query(`update login_log set at = at - interval '16 minutes' where ip = $1`, [ip]);
    expect((await login(t, { username: 'grid.330108001001001', password: DEMO_PASSWORD }, ip)).statusCode).toBe(200);
    await t.database.query(`update login_log set at = at - interval '1 hour'`);
  });

  it('under an attack from many IPs, strangers are refused; known IPs and second factors still get in', async () => {
    const { secret } = await enrolTotp(t, await t.login('street.330108001'));
    await login(t, { username: 'grid.330108001001002', password: DEMO_PASSWORD }, '192.0.2.50'); // a known office IP
    for (let i = 0; i < 12; i++) await login(t, { username: `victim.${i % 3}`, password: 'Wrong-pass-1' }, `198.18.0.${i}`);
    // a right password from an IP never seen: refused, the same way a wrong one is
    const stranger = await login(t, { username: 'grid.330108001001001', password: DEMO_PASSWORD }, '198.19.0.1');
    expect(stranger.statusCode).toBe(429);
    expect((await login(t, { username: 'grid.330108001001001', password: 'Wrong-pass-1' }, '198.19.0.2')).json()).toEqual(stranger.json());
    // the office keeps working
    expect((await login(t, { username: 'grid.330108001001002', password: DEMO_PASSWORD }, '192.0.2.50')).statusCode).toBe(200);
    // a second factor gets in from anywhere; a wrong one is refused exactly like a stranger
    const wrongCode = await login(t, { username: 'street.330108001', password: DEMO_PASSWORD, totp: '000000' }, '198.19.0.3');
    expect(wrongCode.statusCode).toBe(429);
    expect((await login(t, { username: 'street.330108001', password: DEMO_PASSWORD, totp: totpCode(secret, 1) }, '198.19.0.4')).statusCode).toBe(200);
  });

  it('a locked account still opens to its password and second factor from an IP that did not fail for it', async () => {
    await t.database.query(`update login_log set at = at - interval '1 hour'`);
    const username = 'street.330108003';
    const { secret } = await enrolTotp(t, await t.login(username));
    for (let i = 0; i < 5; i++) await login(t, { username, password: 'Wrong-pass-1' }, `198.20.0.${i}`);
    expect((await login(t, { username, password: DEMO_PASSWORD }, '198.20.0.9')).statusCode).toBe(423);
    // from an IP that guessed: refused even with the right code; from a clean IP with the code: in
    expect((await login(t, { username, password: DEMO_PASSWORD, totp: totpCode(secret, 1) }, '198.20.0.1')).statusCode).toBe(423);
    expect((await login(t, { username, password: 'Wrong-pass-2', totp: totpCode(secret, 1) }, '198.20.0.8')).statusCode).toBe(423);
    expect((await login(t, { username, password: DEMO_PASSWORD, totp: totpCode(secret, 1) }, '198.20.0.9')).statusCode).toBe(200);
  });

  it('an administrator\'s unlock clears the lock counted from the log', async () => {
    await t.database.query(`update login_log set at = at - interval '1 hour'`);
    const username = 'community.330108001003';
    for (let i = 0; i < 5; i++) await login(t, { username, password: 'Wrong-pass-1' }, `198.21.0.${i}`);
    expect((await login(t, { username, password: DEMO_PASSWORD }, '198.21.0.9')).statusCode).toBe(423);
    const [{ id }] = (await t.database.query<{ id: number }>(`select id from app_user where username = $1`, [username])) as [{ id: number }];
    expect((await t.call(await t.login('admin'), 'POST', `/api/v1/users/${id}/unlock`)).json().lockedUntil).toBeNull();
    expect((await login(t, { username, password: DEMO_PASSWORD }, '198.21.0.9')).statusCode).toBe(200);
  });
});
