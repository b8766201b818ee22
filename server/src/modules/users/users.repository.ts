/** SQL for users and roles. */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface UserRow {
  id: number; username: string; display_name: string; scope_kind: string; scope_codes: string[]; scope_names: string[] | null;
  org_code: string | null; status: string; must_change_password: boolean; locked_until: Date | null; last_login_at: Date | null;
  mobile: string | null; roles: string[] | null; role_names: string[] | null; totp_enabled: boolean;
}

const columns = sql`u.id, u.username, u.display_name, u.scope_kind, u.scope_codes, u.org_code, u.status, u.must_change_password,
  case when u.locked_until > now() then u.locked_until end as locked_until, u.last_login_at, u.mobile,
  exists (select 1 from user_totp ut where ut.user_id = u.id and ut.enabled_at is not null) as totp_enabled,
  (select array_agg(t.name order by t.path) from territory_node t where t.code = any(u.scope_codes)) as scope_names,
  (select array_agg(r.code order by r.code) from app_user_role ur join role r on r.code = ur.role_code where ur.user_id = u.id) as roles,
  (select array_agg(r.name order by r.code) from app_user_role ur join role r on r.code = ur.role_code where ur.user_id = u.id) as role_names`;

/**
 * Users the caller administers: every scope code of theirs lies in `territoryCondition` (a scope condition on
 * alias t.path). Users with no territory codes (scope all/self) are only visible when `seeAll`.
 */
export function managedBy(territoryCondition: RawBuilder<SqlBool>, seeAll: boolean): RawBuilder<SqlBool> {
  if (seeAll) return sql<SqlBool>`true`;
  return sql<SqlBool>`(cardinality(u.scope_codes) > 0 and not exists (
    select 1 from unnest(u.scope_codes) as c(code) left join territory_node t on t.code = c.code
    where t.code is null or not (${territoryCondition})))`;
}

export async function listUsers(db: Q, visible: RawBuilder<SqlBool>, filter: { q?: string | undefined; role?: string | undefined }, limit: number, afterId: number | null): Promise<UserRow[]> {
  const like = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const { rows } = await sql<UserRow>`select ${columns} from app_user u
    where ${visible}
      ${like ? sql`and (u.username like ${like.toLowerCase()} or u.display_name like ${like})` : sql``}
      ${filter.role ? sql`and exists (select 1 from app_user_role ur where ur.user_id = u.id and ur.role_code = ${filter.role})` : sql``}
      ${afterId ? sql`and u.id > ${afterId}` : sql``}
    order by u.id limit ${limit + 1}`.execute(db);
  return rows;
}

export async function findUser(db: Q, id: number, visible: RawBuilder<SqlBool>): Promise<UserRow | undefined> {
  const { rows } = await sql<UserRow>`select ${columns} from app_user u where u.id = ${id} and ${visible}`.execute(db);
  return rows[0];
}

export async function rolesByCode(db: Q, codes: string[]) {
  if (codes.length === 0) return [];
  return db.selectFrom('role').selectAll().where('code', 'in', codes).execute();
}

export async function listRoles(db: Q) {
  return db.selectFrom('role').selectAll().orderBy('code').execute();
}

export async function territoryPaths(db: Q, codes: string[]): Promise<Map<string, string>> {
  if (codes.length === 0) return new Map();
  const rows = await db.selectFrom('territory_node').select(['code', sql<string>`path::text`.as('path')]).where('code', 'in', codes).execute();
  return new Map(rows.map((r) => [r.code, r.path]));
}

export async function replaceRoles(db: Q, userId: number, roles: string[]): Promise<void> {
  await db.deleteFrom('app_user_role').where('user_id', '=', userId).execute();
  await db.insertInto('app_user_role').values(roles.map((role_code) => ({ user_id: userId, role_code }))).execute();
}

export async function revokeSessions(db: Q, userId: number): Promise<void> {
  await db.updateTable('user_session').set({ revoked_at: sql`now()` as unknown as Date }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}
