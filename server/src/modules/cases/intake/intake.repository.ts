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

export async function findCommunity(db: Q, code: string): Promise<{ code: string; path: string } | undefined> {
  const { rows } = await sql<{ code: string; path: string }>`select code, path::text as path from territory_node
    where code = ${code} and kind = 'community'`.execute(db);
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
