/** Enrolling a second factor (TOTP) and its recovery codes; an administrator's reset lives in users.service. */
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, invalid } from '../../platform/errors.js';
import { recordAudit } from '../../platform/audit.js';
import { forgetSessions } from '../../platform/auth/session.js';
import {
  decryptSecret, encryptSecret, newRecoveryCodes, newTotpSecret, recoveryCodeHash, totpStep,
} from '../../platform/auth/totp.js';
import * as repo from './auth.repository.js';

/**
 * Starts (or restarts) an enrolment: a new secret, stored encrypted and pending until confirmed with a code.
 * The secret is returned this once, for the QR code and manual entry. An enabled factor is not replaced here:
 * losing the phone is an administrator's reset (users.service.resetTotp), so a stolen session cannot swap it.
 */
export async function enrollTotp(db: Kysely<DB>, config: Config, auth: AuthContext, meta: RequestMeta) {
  const existing = await repo.enrolledTotp(db, auth.userId);
  if (existing?.enabled_at) {
    throw new AppError('CONFLICT', '两步验证已开启；如需更换手机，请联系管理员重置', { en: 'two-step verification is already on' });
  }
  const fresh = await newTotpSecret(auth.username);
  const secretEnc = encryptSecret(config, fresh.secret);
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('user_totp').values({ user_id: auth.userId, secret_enc: secretEnc })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ secret_enc: secretEnc, last_step: null, created_at: sql`now()` as unknown as Date }))
      .execute();
    await recordAudit(trx, auth, meta, { action: 'user.totp_enroll', targetType: 'user', targetId: auth.userId, summary: {} });
  });
  return fresh;
}

/** Confirms the pending enrolment with a code from the app: the factor is on, and ten recovery codes are shown once. */
export async function confirmTotp(db: Kysely<DB>, config: Config, auth: AuthContext, code: string, meta: RequestMeta): Promise<{ recoveryCodes: string[] }> {
  const pending = await repo.enrolledTotp(db, auth.userId);
  if (!pending) throw new AppError('CONFLICT', '请先开始设置两步验证', { en: 'start the enrolment first' });
  if (pending.enabled_at) throw new AppError('CONFLICT', '两步验证已开启', { en: 'two-step verification is already on' });
  const step = totpStep(decryptSecret(config, pending.secret_enc), code.trim());
  if (step === null) throw invalid('code', '验证码不正确，请输入验证器上当前显示的 6 位数字', 'wrong code');
  const recoveryCodes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    const enabled = await trx.updateTable('user_totp').set({ enabled_at: sql`now()` as unknown as Date, last_step: step })
      .where('user_id', '=', auth.userId).where('enabled_at', 'is', null).returning('user_id').executeTakeFirst();
    if (!enabled) throw new AppError('CONFLICT', '两步验证已开启', { en: 'two-step verification is already on' });
    await trx.deleteFrom('user_recovery_code').where('user_id', '=', auth.userId).execute();
    await trx.insertInto('user_recovery_code')
      .values(recoveryCodes.map((c) => ({ user_id: auth.userId, code_hash: recoveryCodeHash(c) }))).execute();
    await recordAudit(trx, auth, meta, { action: 'user.totp_confirm', targetType: 'user', targetId: auth.userId,
      summary: { recoveryCodes: recoveryCodes.length } });
  });
  forgetSessions({ userId: auth.userId }); // the gate reads totpEnabled from the session
  return { recoveryCodes };
}
