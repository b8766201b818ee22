/**
 * Sessions: opaque random tokens (cookie for the web, Bearer for API clients), stored only as SHA-256.
 * A session ends after `sessionIdleMinutes` without a request or `sessionMaxHours` in all; for privileged users
 * (totp.ts: people:unmask or user:write) after `privilegedSessionIdleMinutes` / `privilegedSessionMaxHours`.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { AuthContext, RequestMeta, ScopeKind } from '../context.js';
import type { DB } from '../db/tables.js';
import { executePrepared } from '../db/prepared.js';
import { isPrivileged, PRIVILEGED_PERMISSIONS } from './totp.js';

export const SESSION_COOKIE = 'linli_session';

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** How long a session of a user holding `permissions` may live at most, in hours. */
export function sessionMaxHoursFor(config: Config, permissions: ReadonlySet<string>): number {
  return isPrivileged(permissions) ? config.privilegedSessionMaxHours : config.sessionMaxHours;
}

export async function createSession(
  db: Kysely<DB>, config: Config, userId: number, kind: 'web' | 'api', meta: RequestMeta,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db
    .insertInto('user_session')
    .values({
      token_hash: tokenHash(token),
      user_id: userId,
      kind,
      // privileged users' sessions are shorter: decided from their roles' permissions at creation
      expires_at: sql<Date>`now() + make_interval(hours => case when exists (
          select 1 from app_user_role ur join role r on r.code = ur.role_code
          where ur.user_id = ${userId} and r.permissions && ${sql.val([...PRIVILEGED_PERMISSIONS])}::text[])
        then cast(${config.privilegedSessionMaxHours} as int) else cast(${config.sessionMaxHours} as int) end)` as unknown as Date,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 300) ?? null,
    })
    .execute();
  return token;
}

/**
 * Resolved sessions are kept in memory for `sessionCacheSeconds` (default 5 s) so a request costs no session
 * query. This process forgets an entry at once when it revokes a session or changes a user; another process
 * sharing the database sees the change within the cache lifetime.
 */
const cache = new Map<string, { auth: AuthContext; until: number }>();
const CACHE_LIMIT = 10_000;

/** Drops cached sessions: one token's, one user's, or all. */
export function forgetSessions(filter: { tokenHash?: string; userId?: number } = {}): void {
  if (filter.tokenHash) { cache.delete(filter.tokenHash); return; }
  if (filter.userId === undefined) { cache.clear(); return; }
  for (const [key, entry] of cache) if (entry.auth.userId === filter.userId) cache.delete(key);
}

export async function revokeSession(db: Kysely<DB>, token: string): Promise<void> {
  forgetSessions({ tokenHash: tokenHash(token) });
  await db.updateTable('user_session').set({ revoked_at: sql`now()` as unknown as Date })
    .where('token_hash', '=', tokenHash(token)).execute();
}

interface SessionRow {
  user_id: number; kind: 'web' | 'api'; idle_seconds: number; username: string; display_name: string;
  scope_kind: ScopeKind; scope_codes: string[]; org_code: string | null; person_id: number | null; department_code: string | null;
  must_change_password: boolean; password_age_days: number | null; roles: string[] | null; role_names: string[] | null;
  permissions: string[] | null; scope_paths: string[] | null; org_path: string | null; totp_enabled: boolean;
}

/** The caller behind a token, or null when the token is unknown, revoked, expired or idle too long. */
export async function resolveSession(db: Kysely<DB>, config: Config, token: string): Promise<AuthContext | null> {
  const hash = tokenHash(token);
  const cached = cache.get(hash);
  if (cached && cached.until > Date.now()) return cached.auth;
  const auth = await loadSession(db, config, hash);
  if (auth && config.sessionCacheSeconds > 0) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(hash, { auth, until: Date.now() + config.sessionCacheSeconds * 1000 });
  } else {
    cache.delete(hash);
  }
  return auth;
}

async function loadSession(db: Kysely<DB>, config: Config, hash: string): Promise<AuthContext | null> {
  // Behind every API request whose session is not cached: planned once per connection on PostgreSQL.
  const rows = await executePrepared(db, 'linli_resolve_session', sql<SessionRow>`
    select s.user_id, s.kind, extract(epoch from now() - s.last_seen_at)::int as idle_seconds,
           u.username, u.display_name, u.scope_kind, u.scope_codes, u.org_code, u.person_id, u.department_code,
           u.must_change_password,
           extract(day from now() - coalesce(u.password_changed_at, u.created_at))::int as password_age_days,
           (select array_agg(r.code order by r.code) from app_user_role ur join role r on r.code = ur.role_code
             where ur.user_id = u.id) as roles,
           (select array_agg(r.name order by r.code) from app_user_role ur join role r on r.code = ur.role_code
             where ur.user_id = u.id) as role_names,
           (select array_agg(distinct p) from app_user_role ur join role r on r.code = ur.role_code,
             unnest(r.permissions) p where ur.user_id = u.id) as permissions,
           (select array_agg(t.path::text order by t.path) from territory_node t where t.code = any(u.scope_codes)) as scope_paths,
           (select o.path::text from party_org o where o.code = u.org_code) as org_path,
           exists (select 1 from user_totp ut where ut.user_id = u.id and ut.enabled_at is not null) as totp_enabled
    from user_session s join app_user u on u.id = s.user_id
    where s.token_hash = ${hash} and s.revoked_at is null and s.expires_at > now() and u.status = 'active'`);
  const row = rows[0];
  if (!row) return null;
  const permissions = new Set(row.permissions ?? []);
  const privileged = isPrivileged(permissions);
  const idleMinutes = privileged ? config.privilegedSessionIdleMinutes : config.sessionIdleMinutes;
  if (row.idle_seconds > idleMinutes * 60) {
    await db.updateTable('user_session').set({ revoked_at: sql`now()` as unknown as Date })
      .where('token_hash', '=', hash).execute();
    return null;
  }
  // Touch at most once a minute: keeps the idle clock right without a write per request.
  if (row.idle_seconds >= 60) {
    await db.updateTable('user_session').set({ last_seen_at: sql`now()` as unknown as Date })
      .where('token_hash', '=', hash).execute();
  }
  const passwordExpired = (row.password_age_days ?? 0) > config.passwordMaxAgeDays;
  return {
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    roles: row.roles ?? [],
    roleNames: row.role_names ?? [],
    permissions,
    scope: { kind: row.scope_kind, codes: row.scope_codes, paths: row.scope_paths ?? [] },
    orgCode: row.org_code,
    orgPath: row.org_path,
    personId: row.person_id,
    departmentCode: row.department_code,
    mustChangePassword: !config.demoMode && (row.must_change_password || passwordExpired),
    totpEnabled: row.totp_enabled,
    // outside demo mode a privileged user without a second factor must enrol before anything else (http.ts gate)
    totpEnrollmentRequired: !config.demoMode && privileged && !row.totp_enabled,
    sessionKind: row.kind,
  };
}
