/** The forces-register entry of the calling member: who "I" am when a member claims, accepts or reports. */
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { AppError } from '../../platform/errors.js';

export interface CallerForce {
  id: number;
  personId: number;
  communityCode: string;
  communityPath: string;
  status: string;
}

/** The caller's active force record, or null when they are not (yet) in the register. */
export async function findCallerForce(db: Kysely<DB>, auth: AuthContext): Promise<CallerForce | null> {
  if (auth.personId === null) return null;
  const row = await db.selectFrom('force_person')
    .select(['id', 'person_id', 'community_code', 'community_path', 'status'])
    .where('person_id', '=', auth.personId).executeTakeFirst();
  if (!row) return null;
  return { id: row.id, personId: row.person_id, communityCode: row.community_code, communityPath: row.community_path, status: row.status };
}

/** As findCallerForce, but refuses callers who have not registered at a community (403 FORBIDDEN). */
export async function requireCallerForce(db: Kysely<DB>, auth: AuthContext): Promise<CallerForce> {
  const force = await findCallerForce(db, auth);
  if (!force || force.status !== 'active') {
    throw notRegistered();
  }
  return force;
}

/** The 403 given to a caller who is not an active member of the forces register. */
export function notRegistered(): AppError {
  return new AppError('FORBIDDEN', '您尚未在居住社区报到（或已暂停服务），请先扫码报到', { en: 'register at your home community first' });
}
