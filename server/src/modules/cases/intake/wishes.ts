/**
 * The wish wall (心愿墙): residents post wishes through the case intake (`POST /api/v1/cases` with channel `wish`,
 * category 0601 微心愿 or 0602 意见建议); neighbours see the wall of their own community and +1 a wish
 * (`POST /api/v1/cases/{id}/follow`). Staff see the walls of the communities in their scope.
 */
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../../platform/context.js';
import type { DB } from '../../../platform/db/tables.js';
import { notFound } from '../../../platform/errors.js';
import { maskName } from '../../../platform/pii.js';
import { decodeCursor, page } from '../../../platform/schema.js';
import { territoryPathInScope } from '../../../platform/scope.js';
import * as repo from './intake.repository.js';
import type { WishItemT, WishQueryT } from './intake.schema.js';

function presentWish(w: repo.WishRow, auth: AuthContext): WishItemT {
  const photos = Array.isArray(w.photos) ? (w.photos as string[]) : [];
  return {
    id: w.id, serviceNo: w.service_no, categoryCode: w.category_code, categoryName: w.category_name, description: w.description,
    photos: photos.map((id) => ({ id, url: `/api/v1/files/${id}` })),
    communityCode: w.community_code, communityName: w.community_name,
    reporterName: maskName(w.reporter_display ?? w.reporter_name), state: w.state, stateName: w.state_name,
    followers: w.followers, followedByMe: w.followed_by_me, mine: w.reporter_user_id !== null && Number(w.reporter_user_id) === auth.userId,
    reportedAt: new Date(w.reported_at).toISOString(),
  };
}

/**
 * The wall: a resident's is their home community's (another community's is 404); staff's is their scope, or one
 * community in it. Newest first, a page at a time.
 */
export async function listWishes(db: Kysely<DB>, auth: AuthContext, q: WishQueryT): Promise<{ items: WishItemT[]; nextCursor: string | null }> {
  const limit = q.limit ?? 20;
  const after = decodeCursor(q.cursor, ['timestamp', 'id']);
  let within: { communityCode: string } | { scopeOf: AuthContext };
  if (auth.scope.kind === 'self') {
    const home = auth.personId === null ? undefined : await repo.homeCommunity(db, auth.personId);
    if (!home) throw notFound('您所在的社区', 'your community', 'communityCode');
    if (q.communityCode && q.communityCode !== home.code) throw notFound('社区', 'community', 'communityCode');
    within = { communityCode: home.code };
  } else if (q.communityCode) {
    const community = await repo.findNode(db, q.communityCode);
    if (!community || community.kind !== 'community' || !territoryPathInScope(auth, community.path)) throw notFound('社区', 'community', 'communityCode');
    within = { communityCode: community.code };
  } else {
    within = { scopeOf: auth };
  }
  const rows = await repo.listWishes(db, within, auth.userId, limit + 1, after);
  const { items, nextCursor } = page(rows, limit, (w) => [new Date(w.reported_at).toISOString(), w.id]);
  return { items: items.map((w) => presentWish(w, auth)), nextCursor };
}
