/** Logging in and out, lockout after repeated failures, password changes (MLPS level 3 account rules). */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { isGridWorker } from '../../platform/scope.js';
import { dummyHash, hashPassword, passwordPolicyViolation, verifyPassword } from '../../platform/auth/password.js';
import { createSession, forgetSessions, resolveSession, tokenHash } from '../../platform/auth/session.js';
import type { SessionUserT } from './auth.schema.js';

type Outcome = 'ok' | 'bad_password' | 'unknown_user' | 'locked' | 'disabled';

/** Checks credentials; on success opens a session. Failures are counted and logged even though they throw. */
export async function logIn(
  db: Kysely<DB>, config: Config, username: string, password: string, kind: 'web' | 'api', meta: RequestMeta,
): Promise<{ token: string; auth: AuthContext }> {
  const name = username.trim().toLowerCase();
  const user = await db.selectFrom('app_user')
    .select(['id', 'password_hash', 'status', sql<boolean>`coalesce(locked_until > now(), false)`.as('locked'),
      sql<string | null>`to_char(locked_until at time zone 'Asia/Shanghai', 'HH24:MI')`.as('locked_until_text')])
    .where('username', '=', name).executeTakeFirst();

  let outcome: Outcome;
  if (!user) {
    await verifyPassword(await dummyHash(), password); // same work as a real check
    outcome = 'unknown_user';
  } else if (user.status !== 'active') {
    outcome = 'disabled';
  } else if (user.locked) {
    outcome = 'locked';
  } else {
    outcome = (await verifyPassword(user.password_hash, password)) ? 'ok' : 'bad_password';
  }

  let lockedNow = false;
  await db.transaction().execute(async (trx) => {
    if (user && outcome === 'bad_password') {
      // Count atomically; the fifth failure in a row locks the account for lockoutMinutes.
      const updated = await trx.updateTable('app_user')
        .set({
          failed_logins: sql`case when failed_logins + 1 >= ${config.lockoutAttempts} then 0 else failed_logins + 1 end`,
          locked_until: sql`case when failed_logins + 1 >= ${config.lockoutAttempts}
                              then now() + make_interval(mins => ${config.lockoutMinutes}) else locked_until end`,
        })
        .where('id', '=', user.id).returning(sql<boolean>`locked_until > now()`.as('locked')).executeTakeFirst();
      lockedNow = Boolean(updated?.locked);
      if (lockedNow) {
        await recordAudit(trx, null, meta, { action: 'user.lock', targetType: 'user', targetId: user.id,
          summary: { username: name, reason: `${config.lockoutAttempts} failed logins` } });
      }
    }
    if (user && outcome === 'ok') {
      await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: sql`now()` as unknown as Date })
        .where('id', '=', user.id).execute();
    }
    await trx.insertInto('login_log').values({
      username: name.slice(0, 64), user_id: user?.id ?? null, outcome, ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null,
    }).execute();
  });

  if (outcome === 'locked' || lockedNow) {
    const until = lockedNow ? `${config.lockoutMinutes} 分钟后` : `${user?.locked_until_text} 后`;
    throw new AppError('LOCKED', `登录失败次数过多，账号已锁定，请于 ${until}重试`, { en: 'account locked after repeated failures' });
  }
  if (outcome !== 'ok' || !user) {
    throw new AppError('INVALID_CREDENTIALS', '用户名或密码错误', { en: 'wrong username or password' });
  }
  const token = await createSession(db, config, user.id, kind, meta);
  const auth = await resolveSession(db, config, token);
  if (!auth) throw new Error('session vanished right after login');
  return { token, auth };
}

export async function logOut(db: Kysely<DB>, auth: AuthContext, meta: RequestMeta): Promise<void> {
  await db.insertInto('login_log').values({
    username: auth.username, user_id: auth.userId, outcome: 'logout', ip: meta.ip, user_agent: meta.userAgent?.slice(0, 300) ?? null,
  }).execute();
}

/** Changes the caller's own password: old one verified, policy enforced, other sessions ended. */
export async function changePassword(
  db: Kysely<DB>, auth: AuthContext, oldPassword: string, newPassword: string, meta: RequestMeta, keepToken: string | undefined,
): Promise<void> {
  const user = await db.selectFrom('app_user').select(['password_hash']).where('id', '=', auth.userId).executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, oldPassword))) throw invalid('oldPassword', '原密码不正确', 'wrong current password');
  const violation = passwordPolicyViolation(newPassword, auth.username);
  if (violation) throw invalid('newPassword', violation, 'does not meet the password policy');
  if (await verifyPassword(user.password_hash, newPassword)) throw invalid('newPassword', '新密码不能与原密码相同', 'must differ from the current password');
  const hash = await hashPassword(newPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user')
      .set({ password_hash: hash, must_change_password: false, password_changed_at: sql`now()` as unknown as Date, updated_at: sql`now()` as unknown as Date })
      .where('id', '=', auth.userId).execute();
    let revoke = trx.updateTable('user_session').set({ revoked_at: sql`now()` as unknown as Date })
      .where('user_id', '=', auth.userId).where('revoked_at', 'is', null);
    if (keepToken) revoke = revoke.where('token_hash', '<>', tokenHash(keepToken));
    await revoke.execute();
    await recordAudit(trx, auth, meta, { action: 'user.password_change', targetType: 'user', targetId: auth.userId, summary: {} });
  });
  forgetSessions({ userId: auth.userId });
}

export function presentSessionUser(auth: AuthContext): SessionUserT {
  return {
    id: auth.userId,
    username: auth.username,
    displayName: auth.displayName,
    roles: auth.roles,
    roleNames: auth.roleNames,
    permissions: [...auth.permissions].sort(),
    scope: { kind: auth.scope.kind, codes: auth.scope.codes },
    orgCode: auth.orgCode,
    gridWorker: isGridWorker(auth),
    mustChangePassword: auth.mustChangePassword,
  };
}
