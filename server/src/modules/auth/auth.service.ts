/** Logging in and out, throttling and lockout, the second factor at login, password changes (MLPS level 3 account rules). */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { isGridWorker } from '../../platform/scope.js';
import { dummyHash, hashPassword, passwordPolicyViolation, verifyPassword } from '../../platform/auth/password.js';
import { createSession, forgetSessions, resolveSession, tokenHash } from '../../platform/auth/session.js';
import { decryptSecret, looksLikeRecoveryCode, recoveryCodeHash, totpStep } from '../../platform/auth/totp.js';
import * as repo from './auth.repository.js';
import type { SessionUserT } from './auth.schema.js';

type Outcome = 'ok' | 'bad_password' | 'unknown_user' | 'disabled' | 'bad_totp' | 'totp_required';

export interface LoginInput { username: string; password: string; totp?: string | undefined }
export type LoginResult = { totpRequired: true } | { token: string; auth: AuthContext };

function lockedError(untilText: string | null, until: Date | null): AppError {
  return new AppError('LOCKED', `登录失败次数过多，该账号暂时锁定，请于 ${untilText ?? '稍后'} 后重试`, {
    en: 'too many failed logins for this account, try again later',
    details: { retryAfter: until ? Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)) : 60 },
  });
}

function throttledError(until: Date | null, seconds = 60): AppError {
  return new AppError('RATE_LIMITED', '登录尝试过于频繁，请稍后再试', {
    en: 'too many login attempts, try again later',
    details: { retryAfter: until ? Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)) : seconds },
  });
}

/**
 * Checks credentials and, when the user has one, the second factor (a TOTP code or a recovery code); on success
 * opens a session. Every attempt is logged in login_log, and the throttle counts from there (repository):
 *
 * - a username (known or not, so the answer tells nothing about which exist) with `lockoutAttempts` failures in a
 *   row within `lockoutMinutes` is LOCKED until the oldest of them is that old: bounded, attempts while locked do not
 *   extend it, and the owner's password plus a valid second factor from an IP that did not fail for this name
 *   still gets in — so nobody can keep a protected account shut by guessing at it;
 * - an IP with `loginIpFailures` failures within `loginIpWindowMinutes` is refused (429) until they age out;
 * - when failures everywhere reach `loginGlobalFailures` within `loginGlobalWindowMinutes` (an attack from many
 *   IPs), IPs that had no successful login in 30 days are refused unless they bring a valid second factor: the
 *   people who use the system every day, and everyone with TOTP, keep getting in.
 * Refused attempts that bring a second factor get the same answer whether password and code were right or not.
 */
export async function logIn(
  db: Kysely<DB>, config: Config, input: LoginInput, kind: 'web' | 'api', meta: RequestMeta,
): Promise<LoginResult> {
  const name = input.username.trim().toLowerCase();
  const log = (outcome: string, userId: number | null) =>
    repo.logAttempt(db, { username: name, userId, outcome, ip: meta.ip, userAgent: meta.userAgent });
  const state = await repo.throttleState(db, config, name, meta.ip);
  if (state.ipBlockedUntil) {
    await log('throttled', null);
    throw throttledError(state.ipBlockedUntil);
  }
  // A lock or an open circuit lets through only an attempt that carries a second factor (and, for a lock, comes
  // from an IP that has not failed for this name); what it is refused with does not depend on the credentials.
  const barrier = state.lockedUntil ? lockedError(state.lockedUntilText, state.lockedUntil)
    : state.globalOpen && !state.knownIp ? throttledError(null, config.loginGlobalWindowMinutes * 60) : null;
  if (barrier && (!input.totp || (state.lockedUntil && state.ipFailedForUser))) {
    await log(barrier.code === 'LOCKED' ? 'locked' : 'throttled', null);
    throw barrier;
  }

  const user = await db.selectFrom('app_user').select(['id', 'password_hash', 'status'])
    .where('username', '=', name).executeTakeFirst();
  let outcome: Outcome;
  let recoveryUsed = false;
  if (!user) {
    await verifyPassword(await dummyHash(), input.password); // same work as a real check
    outcome = 'unknown_user';
  } else if (user.status !== 'active') {
    outcome = 'disabled';
  } else if (!(await verifyPassword(user.password_hash, input.password))) {
    outcome = 'bad_password';
  } else {
    const factor = await checkSecondFactor(db, config, user.id, input.totp);
    outcome = factor === 'none' || factor === 'totp' || factor === 'recovery' ? 'ok' : factor;
    recoveryUsed = factor === 'recovery';
    // behind a barrier only a full proof passes, so a right password alone must not show through
    if (barrier && factor === 'none') outcome = 'bad_totp';
  }

  let lockedNow: repo.ThrottleState | null = null;
  await db.transaction().execute(async (trx) => {
    await repo.logAttempt(trx, { username: name, userId: user?.id ?? null, outcome, ip: meta.ip, userAgent: meta.userAgent });
    if (user && outcome === 'ok') {
      await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null, last_login_at: sql`now()` as unknown as Date })
        .where('id', '=', user.id).execute();
    }
    if (user && recoveryUsed) {
      await recordAudit(trx, { userId: user.id, username: name }, meta, { action: 'user.totp_recovery_used', targetType: 'user', targetId: user.id,
        summary: { username: name, left: await repo.recoveryCodesLeft(trx, user.id) } });
    }
  });
  if (outcome !== 'ok' && outcome !== 'totp_required') {
    if (barrier) throw barrier;
    const after = await repo.throttleState(db, config, name, meta.ip);
    if (after.lockedUntil) lockedNow = after;
  }
  if (lockedNow) {
    if (user) {
      // shown on the users page (锁定至); the lock itself is decided from login_log above
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('app_user').set({ locked_until: lockedNow.lockedUntil }).where('id', '=', user.id).execute();
        await recordAudit(trx, null, meta, { action: 'user.lock', targetType: 'user', targetId: user.id,
          summary: { username: name, reason: `${config.lockoutAttempts} failed logins` } });
      });
    }
    throw lockedError(lockedNow.lockedUntilText, lockedNow.lockedUntil);
  }
  if (outcome === 'totp_required') return { totpRequired: true };
  if (outcome === 'bad_totp') {
    throw new AppError('INVALID_CREDENTIALS', '动态验证码不正确或已使用，请输入验证器上最新的 6 位数字', { field: 'totp', en: 'wrong or used verification code' });
  }
  if (outcome !== 'ok' || !user) {
    throw new AppError('INVALID_CREDENTIALS', '用户名或密码错误', { en: 'wrong username or password' });
  }
  const token = await createSession(db, config, user.id, kind, meta);
  const auth = await resolveSession(db, config, token);
  if (!auth) throw new Error('session vanished right after login');
  return { token, auth };
}

/**
 * The second factor of a user whose password was right: 'none' when they have not enabled one, 'totp' or
 * 'recovery' when `code` is a valid, unused TOTP code or recovery code, 'totp_required' when it is missing,
 * 'bad_totp' when it is wrong or already used.
 */
async function checkSecondFactor(db: Kysely<DB>, config: Config, userId: number, code: string | undefined):
  Promise<'none' | 'totp' | 'recovery' | 'totp_required' | 'bad_totp'> {
  const enrolled = await repo.enrolledTotp(db, userId);
  if (!enrolled?.enabled_at) return 'none';
  const given = code?.trim() ?? '';
  if (!given) return 'totp_required';
  if (/^\d{6}$/.test(given)) {
    const step = totpStep(decryptSecret(config, enrolled.secret_enc), given);
    return step !== null && (await repo.takeTotpStep(db, userId, step)) ? 'totp' : 'bad_totp';
  }
  if (looksLikeRecoveryCode(given) && (await repo.useRecoveryCode(db, userId, recoveryCodeHash(given)))) return 'recovery';
  return 'bad_totp';
}

export async function logOut(db: Kysely<DB>, auth: AuthContext, meta: RequestMeta): Promise<void> {
  await repo.logAttempt(db, { username: auth.username, userId: auth.userId, outcome: 'logout', ip: meta.ip, userAgent: meta.userAgent });
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
    totpEnabled: auth.totpEnabled,
    totpEnrollmentRequired: auth.totpEnrollmentRequired,
  };
}
