/**
 * Notifications (SPEC.md Cross-cutting): every notification is a row in the in-app inbox, pushed live to the
 * open inboxes of this process after the transaction that wrote it commits, and queued for external channels
 * (SMS, WeChat) when a sender for them is plugged in. A notification goes to one user, or to every member
 * whose community lies under an audience path (a mobilisation call to an area) — fanned out when read, not
 * by writing one row per member.
 */
import { EventEmitter } from 'node:events';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './db/tables.js';
import { inheritPreparedStatements } from './db/prepared.js';

export type NotificationKind = 'dispatch' | 'call' | 'reminder' | 'registration' | 'order' | 'rating' | 'flag' | 'system' | 'case';

export interface NotificationInput {
  kind: NotificationKind;
  title: string;
  body?: string;
  /** a page of the web app or H5, e.g. '/m/service/orders/12' */
  link?: string;
  refType?: string;
  refId?: string | number;
  /** one user… */
  recipientUserId?: number;
  /** …or every member whose community path lies under this ltree path */
  audiencePath?: string;
}

export interface NotificationEvent {
  id: number;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  refType: string | null;
  refId: string | null;
  recipientUserId: number | null;
  audiencePath: string | null;
  createdAt: string;
}

/**
 * An external channel (SMS gateway, WeChat template messages). None is configured by default.
 *
 * How a channel plugs in: implement `send`, call `registerSender(sender)` at start-up (one sender per channel;
 * a second one for the same channel replaces the first). From then on every notification addressed to a user
 * gets a `notification_delivery` row (status 'queued') in the same transaction as the notification, and after
 * commit the notifications module calls `send(event, [userId])` and marks the row 'sent' or 'failed' (with the
 * error). Audience notifications (a call to an area) are handed over with `userIds = []` and the event's
 * `audiencePath`: a mass channel decides itself whom to reach (e.g. a WeChat broadcast to the area's group).
 * `send` must not throw for one bad recipient; throw only when the whole send failed. Set `LINLI_NOTIFY_LOG=1`
 * to register `logSender`, which writes what an SMS gateway would be sent to the server log.
 */
export interface NotificationSender {
  channel: 'sms' | 'wechat';
  send(event: NotificationEvent, userIds: number[]): Promise<void>;
}

/** In-process bus the SSE streams listen on. One process: see docs/decisions.md for several. */
export const notificationBus = new EventEmitter();
notificationBus.setMaxListeners(0);

const senders: NotificationSender[] = [];
/** Plugs an external channel in; notifications written from then on are also queued for it. */
export function registerSender(sender: NotificationSender): void {
  const same = senders.findIndex((s) => s.channel === sender.channel);
  if (same >= 0) senders.splice(same, 1, sender);
  else senders.push(sender);
}

/** Unplugs every channel (tests that plugged one in). */
export function unregisterSenders(): void {
  senders.splice(0, senders.length);
}

/** The channels plugged in (the notifications module hands each committed notification to them). */
export function registeredSenders(): readonly NotificationSender[] {
  return senders;
}

/** A stand-in SMS channel that only logs what it would send: shows how a real gateway plugs in. */
export function logSender(log: (line: Record<string, unknown>, message: string) => void): NotificationSender {
  return {
    channel: 'sms',
    async send(event, userIds) {
      log({ notificationId: event.id, kind: event.kind, userIds, audiencePath: event.audiencePath }, `[sms] ${event.title}${event.body ? `：${event.body}` : ''}`);
    },
  };
}

/** Runs work after the surrounding transaction commits (never when it rolls back). */
export type OnCommit = (fn: () => void) => void;

/**
 * One transaction whose side effects outside the database (live push) run only after COMMIT.
 * Use it for any write that notifies.
 */
export async function transact<T>(db: Kysely<DB>, work: (trx: Transaction<DB>, onCommit: OnCommit) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => {
    inheritPreparedStatements(db, trx);
    return work(trx, (fn) => hooks.push(fn));
  });
  for (const hook of hooks) {
    try { hook(); } catch { /* a listener's failure never fails the committed write */ }
  }
  return result;
}

/**
 * Work that writes in ONE statement — its own transaction — with side effects after it: the hooks run once the
 * work has returned (a statement that failed wrote nothing and runs none). Saves the round trips of BEGIN and
 * COMMIT on a hot path (filing a case); any work that writes twice belongs in `transact`.
 */
export async function inOneStatement<T>(work: (onCommit: OnCommit) => Promise<T>): Promise<T> {
  const hooks: (() => void)[] = [];
  const result = await work((fn) => hooks.push(fn));
  for (const hook of hooks) {
    try { hook(); } catch { /* as in transact */ }
  }
  return result;
}

/** The channels a notification to one user is queued for (a `notification_delivery` row each). */
export function deliveryChannels(): string[] {
  return senders.map((s) => s.channel);
}

/** A `notification` row as written, whoever wrote it (notify, or a statement that writes its notifications itself). */
export interface NotificationRow {
  id: number; kind: string; title: string; body: string; link: string | null; ref_type: string | null; ref_id: string | null;
  recipient_user_id: number | null; audience_path: string | null; created_at: Date | string;
}

/** Pushes a written notification live once its transaction has committed. */
export function announce(onCommit: OnCommit, row: NotificationRow): void {
  const event: NotificationEvent = {
    id: Number(row.id), kind: row.kind as NotificationKind, title: row.title, body: row.body, link: row.link,
    refType: row.ref_type, refId: row.ref_id, recipientUserId: row.recipient_user_id === null ? null : Number(row.recipient_user_id),
    audiencePath: row.audience_path, createdAt: new Date(row.created_at).toISOString(),
  };
  onCommit(() => notificationBus.emit('notification', event));
}

/** Writes one notification in the caller's transaction; it is pushed live once that transaction commits. */
export async function notify(trx: Kysely<DB> | Transaction<DB>, onCommit: OnCommit, input: NotificationInput): Promise<number> {
  if ((input.recipientUserId === undefined) === (input.audiencePath === undefined)) {
    throw new Error('notify: exactly one of recipientUserId and audiencePath');
  }
  const row = await trx.insertInto('notification').values({
    recipient_user_id: input.recipientUserId ?? null,
    audience_path: input.audiencePath === undefined ? null : sql<string>`cast(${input.audiencePath} as ltree)`,
    kind: input.kind, title: input.title, body: input.body ?? '', link: input.link ?? null,
    ref_type: input.refType ?? null, ref_id: input.refId === undefined ? null : String(input.refId),
  }).returning(['id', 'created_at']).executeTakeFirstOrThrow();
  if (senders.length > 0 && input.recipientUserId !== undefined) {
    await trx.insertInto('notification_delivery')
      .values(senders.map((s) => ({ notification_id: row.id, user_id: input.recipientUserId!, channel: s.channel })))
      .execute();
  }
  announce(onCommit, {
    id: row.id, kind: input.kind, title: input.title, body: input.body ?? '', link: input.link ?? null,
    ref_type: input.refType ?? null, ref_id: input.refId === undefined ? null : String(input.refId),
    recipient_user_id: input.recipientUserId ?? null, audience_path: input.audiencePath ?? null, created_at: row.created_at,
  });
  return row.id;
}
