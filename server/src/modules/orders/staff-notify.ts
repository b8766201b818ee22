/** Who is told about a community's orders and members: the community's own staff (and a unit's party-org users). */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';
import { notify, type NotificationInput, type OnCommit } from '../../platform/notify.js';

type Q = Kysely<DB> | Transaction<DB>;

/** Active community-staff users whose scope covers the community at `communityPath`. */
export async function communityStaffUsers(db: Q, communityPath: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select distinct u.id from app_user u join app_user_role ur on ur.user_id = u.id
    where ur.role_code = 'community_staff' and u.status = 'active'
      and exists (select 1 from territory_node n where n.code = any(u.scope_codes) and n.path @> cast(${communityPath} as ltree))
    order by u.id`.execute(db);
  return rows.map((r) => r.id);
}

/** Active users acting for a unit party organisation that may see its members' service (service:unit). */
export async function unitOrgUsers(db: Q, orgCode: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select distinct u.id from app_user u join app_user_role ur on ur.user_id = u.id join role r on r.code = ur.role_code
    where u.org_code = ${orgCode} and u.status = 'active' and 'service:unit' = any(r.permissions) order by u.id`.execute(db);
  return rows.map((r) => r.id);
}

/** One inbox notification to each of the users. */
export async function notifyUsers(trx: Q, onCommit: OnCommit, userIds: number[], input: Omit<NotificationInput, 'recipientUserId' | 'audiencePath'>): Promise<void> {
  for (const id of userIds) await notify(trx, onCommit, { ...input, recipientUserId: id });
}

/** Tells the community's staff (每位社区工作人员). */
export async function notifyCommunityStaff(trx: Q, onCommit: OnCommit, communityPath: string, input: Omit<NotificationInput, 'recipientUserId' | 'audiencePath'>): Promise<void> {
  await notifyUsers(trx, onCommit, await communityStaffUsers(trx, communityPath), input);
}
