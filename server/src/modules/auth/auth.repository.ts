/** SQL for logging in: the throttle's counts (all from login_log, so they hold across server instances), second factors. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Config } from '../../config.js';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Outcomes that count as a failed attempt (a wrong password, a wrong second factor, an unknown or disabled name). */
export const FAILURES = ['bad_password', 'unknown_user', 'bad_totp', 'disabled'];

export interface ThrottleState {
  /** the username (known or not) is locked until then: its last `lockoutAttempts` failures in a row are recent */
  lockedUntil: Date | null;
  lockedUntilText: string | null;
  /** this IP failed for this username recently (such an IP cannot pass a lock even with a second factor) */
  ipFailedForUser: boolean;
  /** the IP is refused until then: `loginIpFailures` failures within the IP window */
  ipBlockedUntil: Date | null;
  /** failures from everywhere reached `loginGlobalFailures` within the global window */
  globalOpen: boolean;
  /** someone logged in successfully from this IP within 30 days */
  knownIp: boolean;
}

/**
 * The throttle's state for one attempt, in one statement. The n-th most recent failure tells when a count drops
 * below n again, so "locked until" is that failure's time plus the window.
 */
export async function throttleState(db: Q, config: Config, username: string, ip: string): Promise<ThrottleState> {
  const fails = sql`cast(${sql.val(FAILURES)} as text[])`;
  const lockWindow = sql`make_interval(mins => ${config.lockoutMinutes})`;
  const ipWindow = sql`make_interval(mins => ${config.loginIpWindowMinutes})`;
  const { rows } = await sql<{
    locked_until: Date | null; locked_until_text: string | null; ip_failed_for_user: boolean; ip_blocked_until: Date | null;
    global_open: boolean; known_ip: boolean;
  }>`
    with user_failure as (
      select l.at from login_log l
      where l.username = ${username} and l.outcome = any(${fails}) and l.at > now() - ${lockWindow}
        and l.id > coalesce((select max(s.id) from login_log s where s.username = ${username} and s.outcome in ('ok', 'unlock')), 0)
      order by l.at desc offset ${Math.max(config.lockoutAttempts - 1, 0)} limit 1
    ), ip_failure as (
      select l.at from login_log l
      where l.ip = ${ip} and l.outcome = any(${fails}) and l.at > now() - ${ipWindow}
      order by l.at desc offset ${Math.max(config.loginIpFailures - 1, 0)} limit 1
    )
    select (select at + ${lockWindow} from user_failure) as locked_until,
           (select to_char((at + ${lockWindow}) at time zone 'Asia/Shanghai', 'HH24:MI') from user_failure) as locked_until_text,
           exists (select 1 from login_log l where l.username = ${username} and l.ip = ${ip} and l.outcome = any(${fails})
                   and l.at > now() - ${lockWindow}) as ip_failed_for_user,
           (select at + ${ipWindow} from ip_failure) as ip_blocked_until,
           exists (select 1 from login_log l where l.outcome = any(${fails})
                   and l.at > now() - make_interval(mins => ${config.loginGlobalWindowMinutes})
                   offset ${Math.max(config.loginGlobalFailures - 1, 0)}) as global_open,
           exists (select 1 from login_log l where l.ip = ${ip} and l.outcome = 'ok' and l.at > now() - interval '30 days') as known_ip`
    .execute(db);
  const row = rows[0]!;
  return {
    lockedUntil: row.locked_until, lockedUntilText: row.locked_until_text, ipFailedForUser: row.ip_failed_for_user,
    ipBlockedUntil: row.ip_blocked_until, globalOpen: row.global_open, knownIp: row.known_ip,
  };
}

export async function logAttempt(db: Q, entry: { username: string; userId: number | null; outcome: string; ip: string; userAgent: string | undefined }): Promise<void> {
  await db.insertInto('login_log').values({
    username: entry.username.slice(0, 64), user_id: entry.userId, outcome: entry.outcome, ip: entry.ip,
    user_agent: entry.userAgent?.slice(0, 300) ?? null,
  }).execute();
}

export async function enrolledTotp(db: Q, userId: number): Promise<{ secret_enc: string; enabled_at: Date | null } | undefined> {
  return db.selectFrom('user_totp').select(['secret_enc', 'enabled_at']).where('user_id', '=', userId).executeTakeFirst();
}

/** Takes time step `step` for the user's authenticator unless it (or a later one) was used already. */
export async function takeTotpStep(db: Q, userId: number, step: number): Promise<boolean> {
  const row = await db.updateTable('user_totp').set({ last_step: step })
    .where('user_id', '=', userId).where('enabled_at', 'is not', null)
    .where((eb) => eb.or([eb('last_step', 'is', null), eb('last_step', '<', step)]))
    .returning('user_id').executeTakeFirst();
  return Boolean(row);
}

/** Marks an unused recovery code used; false when there is none with that hash. */
export async function useRecoveryCode(db: Q, userId: number, codeHash: string): Promise<boolean> {
  const row = await db.updateTable('user_recovery_code').set({ used_at: sql`now()` as unknown as Date })
    .where('user_id', '=', userId).where('code_hash', '=', codeHash).where('used_at', 'is', null)
    .returning('id').executeTakeFirst();
  return Boolean(row);
}

export async function recoveryCodesLeft(db: Q, userId: number): Promise<number> {
  const row = await db.selectFrom('user_recovery_code').select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId).where('used_at', 'is', null).executeTakeFirstOrThrow();
  return row.n;
}
