/**
 * User and role administration. An administrator manages only users inside their own scope and can grant
 * only what they hold themselves: no role with a permission they lack, no scope wider than their own.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuthContext, RequestMeta } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError, forbidden, invalid, notFound } from '../../platform/errors.js';
import { territoryPathInScope, territoryScope } from '../../platform/scope.js';
import { recordAudit } from '../../platform/audit.js';
import { hashPassword, passwordPolicyViolation } from '../../platform/auth/password.js';
import { forgetSessions } from '../../platform/auth/session.js';
import { maskMobile } from '../../platform/pii.js';
import { page } from '../../platform/schema.js';
import * as repo from './users.repository.js';
import type { CreateUserBodyT, UpdateUserBodyT, UserItemT } from './users.schema.js';

function visibleTo(auth: AuthContext) {
  return repo.managedBy(territoryScope(auth, 't.path'), auth.scope.kind === 'all');
}

function present(row: repo.UserRow): UserItemT {
  return {
    id: row.id, username: row.username, displayName: row.display_name, roles: row.roles ?? [], roleNames: row.role_names ?? [],
    scope: { kind: row.scope_kind, codes: row.scope_codes, names: row.scope_names ?? [] }, orgCode: row.org_code,
    status: row.status, mustChangePassword: row.must_change_password, totpEnabled: row.totp_enabled,
    lockedUntil: row.locked_until?.toISOString() ?? null, lastLoginAt: row.last_login_at?.toISOString() ?? null,
    mobile: maskMobile(row.mobile),
  };
}

/** A random initial password that meets the policy (upper, lower, digit, symbol), shown once. */
export function generateInitialPassword(): string {
  for (;;) {
    const candidate = randomPassword();
    if (!passwordPolicyViolation(candidate)) return candidate; // a random draw could still spell a common word
  }
}

function randomPassword(): string {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnpqrstuvwxyz', '23456789', '@#%&*+=?'];
  const chars = sets.map((s) => s[randomInt(s.length)]!);
  const all = sets.join('');
  while (chars.length < 12) chars.push(all[randomInt(all.length)]!);
  for (let i = chars.length - 1; i > 0; i--) { const j = randomInt(i + 1); [chars[i], chars[j]] = [chars[j]!, chars[i]!]; }
  return chars.join('');
}

async function checkGrant(db: Kysely<DB>, auth: AuthContext, roles: string[], scopeKind: string, scopeCodes: string[]): Promise<void> {
  const found = await repo.rolesByCode(db, roles);
  const unknown = roles.filter((r) => !found.some((f) => f.code === r));
  if (unknown.length) throw invalid('roles', `未知角色：${unknown.join('、')}`, `unknown roles: ${unknown.join(', ')}`);
  for (const role of found) {
    const missing = role.permissions.filter((p) => !auth.permissions.has(p));
    if (missing.length) throw forbidden(`不能授予超出本人权限的角色「${role.name}」`, `cannot grant role ${role.code}`);
  }
  if ((scopeKind === 'all' || scopeKind === 'self') && auth.scope.kind !== 'all') {
    throw forbidden('只有全区范围的管理员可以设置“全部”或“仅本人”数据范围', 'only district-wide administrators may set this scope');
  }
  if (scopeKind === 'all' || scopeKind === 'self') {
    if (scopeCodes.length) throw invalid('scopeCodes', '该数据范围不需要节点', 'no codes for this scope kind');
    return;
  }
  if (scopeCodes.length === 0) throw invalid('scopeCodes', '请选择数据范围节点', 'scope codes required');
  if ((scopeKind === 'subtree' || scopeKind === 'node') && scopeCodes.length !== 1) {
    throw invalid('scopeCodes', '“本级及下级”和“仅本级”只能选择一个节点，多个节点请用“自定义”', 'exactly one code');
  }
  const paths = await repo.territoryPaths(db, scopeCodes);
  for (const code of scopeCodes) {
    const path = paths.get(code);
    if (!path || !territoryPathInScope(auth, path)) throw notFound(`节点 ${code} `, `node ${code}`, 'scopeCodes');
  }
}

export async function listUsers(db: Kysely<DB>, auth: AuthContext, filter: { q?: string | undefined; role?: string | undefined }, limit: number, after: unknown[] | null) {
  const rows = await repo.listUsers(db, visibleTo(auth), filter, limit, after ? Number(after[0]) : null);
  const result = page(rows, limit, (r) => [r.id]);
  return { items: result.items.map(present), nextCursor: result.nextCursor };
}

async function loadManaged(db: Kysely<DB>, auth: AuthContext, id: number): Promise<repo.UserRow> {
  const row = await repo.findUser(db, id, visibleTo(auth));
  if (!row) throw notFound('用户', 'user');
  return row;
}

export async function getUser(db: Kysely<DB>, auth: AuthContext, id: number): Promise<UserItemT> {
  return present(await loadManaged(db, auth, id));
}

/** Creates a user with a one-time initial password that must be changed at first login (outside demo mode). */
export async function createUser(db: Kysely<DB>, auth: AuthContext, body: CreateUserBodyT, meta: RequestMeta): Promise<{ user: UserItemT; initialPassword: string }> {
  const scopeCodes = [...new Set(body.scopeCodes ?? [])];
  await checkGrant(db, auth, body.roles, body.scopeKind, scopeCodes);
  if (body.orgCode && !(await db.selectFrom('party_org').select('code').where('code', '=', body.orgCode).executeTakeFirst())) {
    throw invalid('orgCode', '党组织不存在', 'unknown party org');
  }
  if (await db.selectFrom('app_user').select('id').where('username', '=', body.username).executeTakeFirst()) {
    throw new AppError('CONFLICT', `username: 用户名 ${body.username} 已被使用`, { field: 'username', en: 'username taken' });
  }
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  const id = await db.transaction().execute(async (trx) => {
    const inserted = await trx.insertInto('app_user').values({
      username: body.username, display_name: body.displayName.trim(), password_hash: passwordHash, scope_kind: body.scopeKind,
      scope_codes: scopeCodes, org_code: body.orgCode ?? null, mobile: body.mobile ?? null, must_change_password: true,
    }).returning('id').executeTakeFirstOrThrow();
    await repo.replaceRoles(trx, inserted.id, [...new Set(body.roles)]);
    await recordAudit(trx, auth, meta, { action: 'user.create', targetType: 'user', targetId: inserted.id,
      summary: { username: body.username, roles: body.roles, scopeKind: body.scopeKind, scopeCodes } });
    return inserted.id;
  });
  return { user: await getUser(db, auth, id), initialPassword };
}

export async function updateUser(db: Kysely<DB>, auth: AuthContext, id: number, body: UpdateUserBodyT, meta: RequestMeta): Promise<UserItemT> {
  const user = await loadManaged(db, auth, id);
  if (id === auth.userId && (body.status === 'disabled' || body.roles || body.scopeKind || body.scopeCodes)) {
    throw forbidden('不能停用或修改自己的角色和数据范围', 'cannot change your own roles, scope or status');
  }
  const roles = body.roles ? [...new Set(body.roles)] : user.roles ?? [];
  const scopeKind = body.scopeKind ?? user.scope_kind;
  const scopeCodes = body.scopeCodes ? [...new Set(body.scopeCodes)] : body.scopeKind === 'all' || body.scopeKind === 'self' ? [] : user.scope_codes;
  if (body.roles || body.scopeKind || body.scopeCodes) await checkGrant(db, auth, roles, scopeKind, scopeCodes);
  const changes: Record<string, unknown> = {};
  const set: Record<string, unknown> = {};
  if (body.displayName !== undefined && body.displayName !== user.display_name) { set.display_name = body.displayName; changes.displayName = [user.display_name, body.displayName]; }
  if (body.scopeKind !== undefined || body.scopeCodes !== undefined) { set.scope_kind = scopeKind; set.scope_codes = scopeCodes; changes.scope = [{ kind: user.scope_kind, codes: user.scope_codes }, { kind: scopeKind, codes: scopeCodes }]; }
  if (body.orgCode !== undefined && body.orgCode !== user.org_code) { set.org_code = body.orgCode; changes.orgCode = [user.org_code, body.orgCode]; }
  if (body.mobile !== undefined && body.mobile !== user.mobile) { set.mobile = body.mobile; changes.mobile = 'changed'; }
  if (body.status !== undefined && body.status !== user.status) { set.status = body.status; changes.status = [user.status, body.status]; }
  if (body.roles && JSON.stringify([...roles].sort()) !== JSON.stringify(user.roles ?? [])) changes.roles = [user.roles, roles];
  if (Object.keys(changes).length === 0) return present(user);
  await db.transaction().execute(async (trx) => {
    if (Object.keys(set).length) await trx.updateTable('app_user').set({ ...set, updated_at: sql`now()` as unknown as Date }).where('id', '=', id).execute();
    if (changes.roles) await repo.replaceRoles(trx, id, roles);
    // A narrowed or disabled account takes effect now, not at the next login.
    if (changes.status || changes.roles || changes.scope) await repo.revokeSessions(trx, id);
    await recordAudit(trx, auth, meta, { action: 'user.update', targetType: 'user', targetId: id, summary: changes });
  });
  forgetSessions({ userId: id }); // after commit, so no request re-caches the old state
  return getUser(db, auth, id);
}

export async function resetPassword(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<{ initialPassword: string }> {
  await loadManaged(db, auth, id);
  const initialPassword = generateInitialPassword();
  const passwordHash = await hashPassword(initialPassword);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ password_hash: passwordHash, must_change_password: true, failed_logins: 0, locked_until: null,
      updated_at: sql`now()` as unknown as Date }).where('id', '=', id).execute();
    await repo.revokeSessions(trx, id);
    await recordAudit(trx, auth, meta, { action: 'user.password_reset', targetType: 'user', targetId: id, summary: {} });
  });
  forgetSessions({ userId: id });
  return { initialPassword };
}

export async function unlockUser(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<UserItemT> {
  const user = await loadManaged(db, auth, id);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('app_user').set({ failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
    // the lock is counted from login_log: failures before this row no longer count (auth.repository.throttleState)
    await trx.insertInto('login_log').values({ username: user.username, user_id: id, outcome: 'unlock', ip: meta.ip,
      user_agent: `unlocked by ${auth.username}`.slice(0, 300) }).execute();
    await recordAudit(trx, auth, meta, { action: 'user.unlock', targetType: 'user', targetId: id, summary: {} });
  });
  return getUser(db, auth, id);
}

/**
 * Turns off another user's second factor (a lost phone): the authenticator and recovery codes are deleted and their
 * sessions end; a privileged user must enrol again at the next login. Not for oneself, so a stolen session cannot
 * remove the factor that protects it.
 */
export async function resetTotp(db: Kysely<DB>, auth: AuthContext, id: number, meta: RequestMeta): Promise<UserItemT> {
  if (id === auth.userId) throw forbidden('不能重置自己的两步验证，请联系其他管理员', 'cannot reset your own second factor');
  await loadManaged(db, auth, id);
  await db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('user_totp').where('user_id', '=', id).returning('enabled_at').executeTakeFirst();
    await trx.deleteFrom('user_recovery_code').where('user_id', '=', id).execute();
    await repo.revokeSessions(trx, id);
    await recordAudit(trx, auth, meta, { action: 'user.totp_reset', targetType: 'user', targetId: id,
      summary: { wasEnabled: Boolean(removed?.enabled_at) } });
  });
  forgetSessions({ userId: id });
  return getUser(db, auth, id);
}

export async function listRoles(db: Kysely<DB>) {
  const rows = await repo.listRoles(db);
  return { items: rows.map((r) => ({ code: r.code, name: r.name, description: r.description, permissions: r.permissions, defaultScope: r.default_scope })) };
}
