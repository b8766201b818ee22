/**
 * The in-app inbox and its live push (SPEC.md Cross-cutting: notifications). Audience notifications (a call to an
 * area) are one row, fanned out when read: a member sees them when the community they serve lies under the
 * audience path. Read state is per user.
 */
import type { Kysely } from 'kysely';
import type { AuthContext } from '../../platform/context.js';
import type { DB } from '../../platform/db/tables.js';
import { notFound } from '../../platform/errors.js';
import type { NotificationEvent } from '../../platform/notify.js';
import { page } from '../../platform/schema.js';
import { findCallerForce } from '../forces/force-of.js';
import * as repo from './notifications.repository.js';
import type { InboxItemT, InboxQueryT } from './notifications.schema.js';

/** Who reads: the user, and the community path they serve as an active registered member (if any). */
export async function readerOf(db: Kysely<DB>, auth: AuthContext): Promise<repo.Reader> {
  const force = await findCallerForce(db, auth);
  return { userId: auth.userId, communityPath: force && force.status === 'active' ? force.communityPath : null };
}

export function presentInbox(r: repo.InboxRow): InboxItemT {
  return { id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, refType: r.ref_type, refId: r.ref_id,
    createdAt: new Date(r.created_at).toISOString(), read: r.read };
}

/** Whether a pushed notification belongs in this reader's inbox (same rule as the SQL `inboxOf`). */
export function reaches(reader: repo.Reader, event: NotificationEvent): boolean {
  if (event.recipientUserId !== null) return event.recipientUserId === reader.userId;
  if (!event.audiencePath || !reader.communityPath) return false;
  return reader.communityPath === event.audiencePath || reader.communityPath.startsWith(`${event.audiencePath}.`);
}

export function presentEvent(e: NotificationEvent): InboxItemT {
  return { id: e.id, kind: e.kind, title: e.title, body: e.body, link: e.link, refType: e.refType, refId: e.refId, createdAt: e.createdAt, read: false };
}

/** The caller's inbox, newest first. */
export async function listInbox(db: Kysely<DB>, auth: AuthContext, query: InboxQueryT, limit: number, cursor: unknown[] | null): Promise<{ items: InboxItemT[]; nextCursor: string | null }> {
  const reader = await readerOf(db, auth);
  const rows = await repo.listInbox(db, reader, { unread: query.unread, before: cursor ? Number(cursor[0]) : null, limit });
  return page(rows.map(presentInbox), limit, (r) => [r.id]);
}

/** Inbox rows newer than `afterId`, oldest first (SSE resume with Last-Event-ID). */
export async function inboxSince(db: Kysely<DB>, reader: repo.Reader, afterId: number, limit = 100): Promise<InboxItemT[]> {
  const rows = await repo.listInbox(db, reader, { before: null, after: afterId, limit });
  return rows.slice(0, limit).map(presentInbox);
}

export async function unreadCount(db: Kysely<DB>, auth: AuthContext): Promise<{ unread: number }> {
  return { unread: await repo.countUnread(db, await readerOf(db, auth)) };
}

export async function markRead(db: Kysely<DB>, auth: AuthContext, id: number): Promise<{ unread: number }> {
  const reader = await readerOf(db, auth);
  if (!(await repo.markRead(db, reader, id))) throw notFound('消息', 'notification');
  return { unread: await repo.countUnread(db, reader) };
}

export async function markAllRead(db: Kysely<DB>, auth: AuthContext): Promise<{ marked: number; unread: number }> {
  const reader = await readerOf(db, auth);
  const marked = await repo.markAllRead(db, reader);
  return { marked, unread: await repo.countUnread(db, reader) };
}

/** Records the outcome of handing a notification to an external channel. */
export async function recordDelivery(db: Kysely<DB>, notificationId: number, channel: string, error: string | null): Promise<void> {
  await repo.markDelivery(db, notificationId, channel, error === null, error);
}
