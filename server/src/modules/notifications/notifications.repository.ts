/**
 * SQL of the inbox. A caller's inbox is the rows addressed to them plus the audience rows whose path covers the
 * community they serve as a registered member (`audience_path @> community_path`, GiST-indexed).
 */
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../../platform/db/tables.js';

type Q = Kysely<DB> | Transaction<DB>;

export interface Reader { userId: number; communityPath: string | null }

export interface InboxRow {
  id: number; kind: string; title: string; body: string; link: string | null; ref_type: string | null; ref_id: string | null;
  created_at: Date; read: boolean;
}

/** The inbox condition over `notification n`. */
export function inboxOf(reader: Reader): RawBuilder<SqlBool> {
  return reader.communityPath
    ? sql<SqlBool>`(n.recipient_user_id = ${reader.userId} or n.audience_path @> cast(${reader.communityPath} as ltree))`
    : sql<SqlBool>`n.recipient_user_id = ${reader.userId}`;
}

export async function listInbox(db: Q, reader: Reader, f: { unread?: boolean | undefined; before: number | null; after?: number | null; limit: number }): Promise<InboxRow[]> {
  const ascending = f.after !== undefined && f.after !== null;
  const { rows } = await sql<InboxRow>`select n.id, n.kind, n.title, n.body, n.link, n.ref_type, n.ref_id, n.created_at,
      exists (select 1 from notification_read r where r.user_id = ${reader.userId} and r.notification_id = n.id) as read
    from notification n where ${inboxOf(reader)}
      ${f.before !== null ? sql`and n.id < ${f.before}` : sql``}
      ${ascending ? sql`and n.id > ${f.after}` : sql``}
      ${f.unread ? sql`and not exists (select 1 from notification_read r where r.user_id = ${reader.userId} and r.notification_id = n.id)` : sql``}
    order by n.id ${ascending ? sql`asc` : sql`desc`} limit ${f.limit + 1}`.execute(db);
  return rows;
}

export async function countUnread(db: Q, reader: Reader): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from notification n where ${inboxOf(reader)}
    and not exists (select 1 from notification_read r where r.user_id = ${reader.userId} and r.notification_id = n.id)`.execute(db);
  return rows[0]?.n ?? 0;
}

/** Marks one notification read if it is in the reader's inbox; false when it is not. */
export async function markRead(db: Q, reader: Reader, id: number): Promise<boolean> {
  const { rows } = await sql<{ id: number }>`select n.id from notification n where n.id = ${id} and ${inboxOf(reader)}`.execute(db);
  if (!rows[0]) return false;
  await sql`insert into notification_read (notification_id, user_id) values (${id}, ${reader.userId}) on conflict do nothing`.execute(db);
  return true;
}

export async function markAllRead(db: Q, reader: Reader): Promise<number> {
  const { rows } = await sql<{ n: number }>`with ins as (insert into notification_read (notification_id, user_id)
      select n.id, ${reader.userId} from notification n where ${inboxOf(reader)}
      on conflict do nothing returning 1) select count(*)::int as n from ins`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function markDelivery(db: Q, notificationId: number, channel: string, ok: boolean, error: string | null): Promise<void> {
  await sql`update notification_delivery set status = ${ok ? 'sent' : 'failed'}, attempts = attempts + 1, last_error = ${error},
    sent_at = case when ${ok} then now() else null end
    where notification_id = ${notificationId} and channel = ${channel} and status = 'queued'`.execute(db);
}
