/** Intake channels: the SQL. A case is read through the cases module's select, so every list agrees on names. */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuthContext } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { territoryScope } from '../../../platform/scope.js';
import { caseSelect, type CaseRow } from '../cases.repository.js';

type Q = Kysely<DB> | Transaction<DB>;

/** The active minor category a detector's event type is mapped to (`camera_events`), or undefined. */
export async function categoryForCameraEvent(db: Q, eventType: string): Promise<{ code: string; name: string } | undefined> {
  const { rows } = await sql<{ code: string; name: string }>`select c.code, c.name from case_category c
    where c.active and c.parent_code is not null and ${eventType} = any(c.camera_events) order by c.sort_order, c.code limit 1`.execute(db);
  return rows[0];
}

/** Every event type some active category takes, for the error that names an unknown one. */
export async function knownCameraEvents(db: Q): Promise<string[]> {
  const { rows } = await sql<{ e: string }>`select distinct unnest(camera_events) as e from case_category where active order by 1`.execute(db);
  return rows.map((r) => r.e);
}

/** The case a channel already filed under its own number, or undefined. */
export async function caseByExternalId(db: Q, channel: string, externalId: string): Promise<number | undefined> {
  const row = await db.selectFrom('civic_case').select('id').where('channel', '=', channel).where('external_id', '=', externalId).executeTakeFirst();
  return row ? Number(row.id) : undefined;
}

/** Which of the channel's numbers are already filed. */
export async function filedExternalIds(db: Q, channel: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const rows = await db.selectFrom('civic_case').select('external_id').where('channel', '=', channel).where('external_id', 'in', ids).execute();
  return new Set(rows.map((r) => r.external_id!));
}

/** Active minor categories, to read a hotline row's 问题类别 by code or by name. */
export async function minorCategories(db: Q): Promise<{ code: string; name: string }[]> {
  return db.selectFrom('case_category').select(['code', 'name']).where('active', '=', true).where('parent_code', 'is not', null)
    .orderBy('parent_code').orderBy('sort_order').execute();
}

/** Which of the given territory codes exist. */
export async function existingNodes(db: Q, codes: string[]): Promise<Set<string>> {
  if (!codes.length) return new Set();
  const rows = await db.selectFrom('territory_node').select('code').where('code', 'in', codes).execute();
  return new Set(rows.map((r) => r.code));
}

/** The community of the person's current home (room → … → community), or undefined. */
export async function homeCommunity(db: Q, personId: number): Promise<{ code: string; path: string } | undefined> {
  const { rows } = await sql<{ code: string; path: string }>`select c.code, c.path::text as path
    from residence r join territory_node rn on rn.code = r.room_code
    join territory_node c on c.kind = 'community' and rn.path <@ c.path
    where r.person_id = ${personId} and r.moved_out is null order by r.moved_in desc nulls last, r.id desc limit 1`.execute(db);
  return rows[0];
}

/** A territory node with its path and kind, or undefined. */
export async function findNode(db: Q, code: string): Promise<{ code: string; path: string; kind: string; name: string } | undefined> {
  const { rows } = await sql<{ code: string; path: string; kind: string; name: string }>`select code, path::text as path, kind, name
    from territory_node where code = ${code}`.execute(db);
  return rows[0];
}

export type WishRow = CaseRow & { followed_by_me: boolean };

/**
 * Wishes (channel `wish`) of one community or of the caller's whole scope, newest first, voided and merged ones
 * left out; whether the caller has +1'd each comes with it.
 */
export async function listWishes(db: Q, within: { communityCode: string } | { scopeOf: AuthContext }, userId: number, limit: number,
  after: [string, number] | null): Promise<WishRow[]> {
  const where = 'communityCode' in within ? sql`c.community_code = ${within.communityCode}` : territoryScope(within.scopeOf, 'c.territory_path');
  const cursor = after ? sql`and (c.reported_at, c.id) < (${new Date(after[0])}, ${after[1]})` : sql``;
  const { rows } = await sql<WishRow>`select x.*,
      exists (select 1 from case_follow f where f.case_id = x.id and f.user_id = ${userId}) as followed_by_me
    from (${caseSelect()} where c.channel = 'wish' and c.state not in ('voided', 'merged') and ${where} ${cursor}
      order by c.reported_at desc, c.id desc limit ${limit}) x
    order by x.reported_at desc, x.id desc`.execute(db);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

// ─── API keys ───────────────────────────────────────────────────────────────

export interface ApiKeyRow {
  key_hash: string; kind: 'open311' | 'camera'; name: string; jurisdiction_code: string; jurisdiction_name: string; path: string;
  created_at: Date; revoked_at: Date | null;
}

const keySelect = sql`select k.key_hash, k.kind, k.name, k.jurisdiction_code, t.name as jurisdiction_name, t.path::text as path,
    k.created_at, k.revoked_at
  from case_api_key k join territory_node t on t.code = k.jurisdiction_code`;

/** The key with this SHA-256, if it is not revoked. */
export async function liveKey(db: Q, hash: string): Promise<ApiKeyRow | undefined> {
  const { rows } = await sql<ApiKeyRow>`${keySelect} where k.key_hash = ${hash} and k.revoked_at is null`.execute(db);
  return rows[0];
}

/** Keys whose jurisdiction lies in the caller's scope, newest first. */
export async function listKeys(db: Q, auth: AuthContext): Promise<ApiKeyRow[]> {
  const { rows } = await sql<ApiKeyRow>`${keySelect} where ${territoryScope(auth, 't.path')} order by k.created_at desc, k.key_hash`.execute(db);
  return rows;
}

/** A key by the first characters of its hash (its public id), within the caller's scope. */
export async function findKey(db: Q, auth: AuthContext, idPrefix: string): Promise<ApiKeyRow[]> {
  const { rows } = await sql<ApiKeyRow>`${keySelect} where k.key_hash like ${`${idPrefix}%`} and ${territoryScope(auth, 't.path')}`.execute(db);
  return rows;
}

export async function insertKey(db: Q, k: { hash: string; kind: string; name: string; jurisdictionCode: string }): Promise<void> {
  await db.insertInto('case_api_key').values({ key_hash: k.hash, kind: k.kind, name: k.name, jurisdiction_code: k.jurisdictionCode }).execute();
}

export async function revokeKey(db: Q, hash: string): Promise<void> {
  await db.updateTable('case_api_key').set({ revoked_at: new Date() }).where('key_hash', '=', hash).where('revoked_at', 'is', null).execute();
}
