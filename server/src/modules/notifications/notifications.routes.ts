import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { logSender, notificationBus, registerSender, registeredSenders, type NotificationEvent } from '../../platform/notify.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import * as inbox from './notifications.service.js';
import { IdParam, InboxItem, InboxQuery, UnreadCount } from './notifications.schema.js';
import { closeAllStreams, openSse } from './sse.js';

/** The in-app inbox, its live push over Server-Sent Events, and hand-over to external channels (SMS, WeChat). */
export const notificationsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(InboxItem);
  const tags = ['notifications'];

  if (process.env.LINLI_NOTIFY_LOG === '1') registerSender(logSender((line, message) => app.log.info(line, message)));
  // After commit, each notification goes to every plugged-in channel; the delivery row records the outcome.
  const deliver = (event: NotificationEvent) => {
    for (const sender of registeredSenders()) {
      const userIds = event.recipientUserId === null ? [] : [event.recipientUserId];
      sender.send(event, userIds).then(
        () => (userIds.length ? inbox.recordDelivery(db, event.id, sender.channel, null) : undefined),
        (err: Error) => (userIds.length ? inbox.recordDelivery(db, event.id, sender.channel, String(err?.message ?? err).slice(0, 500)) : undefined),
      ).catch((err) => app.log.warn({ err }, 'notification delivery bookkeeping failed'));
    }
  };
  notificationBus.on('notification', deliver);
  app.addHook('onClose', async () => { notificationBus.off('notification', deliver); });
  app.addHook('preClose', async () => { closeAllStreams(); });

  app.get('/api/v1/notifications', {
    schema: { tags, summary: '我的消息（发给我的 + 覆盖我所在社区的召集令），新的在前', querystring: InboxQuery,
      response: { 200: ListOf(Type.Ref('InboxItem')), ...errorResponses } },
  }, async (request) => inbox.listInbox(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/notifications/unread-count', {
    schema: { tags, summary: '未读消息数', response: { 200: UnreadCount, ...errorResponses } },
  }, async (request) => inbox.unreadCount(db, authOf(request)));

  app.post('/api/v1/notifications/:id/read', {
    schema: { tags, summary: '标为已读', params: IdParam, response: { 200: UnreadCount, ...errorResponses } },
  }, async (request) => inbox.markRead(db, authOf(request), request.params.id));

  app.post('/api/v1/notifications/read-all', {
    schema: { tags, summary: '全部标为已读', response: { 200: Type.Object({ marked: Type.Integer(), unread: Type.Integer() }), ...errorResponses } },
  }, async (request) => inbox.markAllRead(db, authOf(request)));

  app.get('/api/v1/notifications/stream', {
    schema: {
      tags, summary: '消息实时推送（Server-Sent Events）',
      description: '`event: notification`，`id` 为消息 ID；每 25 秒一行心跳注释；断线重连带 Last-Event-ID 时先补发更新的消息。',
      produces: ['text/event-stream'], response: { 200: Type.String({ description: 'text/event-stream' }), ...errorResponses },
    },
  }, async (request, reply) => {
    const reader = await inbox.readerOf(db, authOf(request));
    const lastHeader = request.headers['last-event-id'];
    const lastId = Number(Array.isArray(lastHeader) ? lastHeader[0] : lastHeader);
    // Listen before replaying so nothing committed in between is lost; duplicates are dropped by id.
    const pending: NotificationEvent[] = [];
    let replaying = Number.isInteger(lastId) && lastId > 0;
    let sentUpTo = replaying ? lastId : 0;
    const stream = openSse(request, reply);
    const onEvent = (event: NotificationEvent) => {
      if (!inbox.reaches(reader, event)) return;
      if (replaying) { pending.push(event); return; }
      if (event.id <= sentUpTo) return;
      stream.send({ id: event.id, event: 'notification', data: inbox.presentEvent(event) });
    };
    notificationBus.on('notification', onEvent);
    stream.onClose(() => notificationBus.off('notification', onEvent));
    if (replaying) {
      try {
        for (const item of await inbox.inboxSince(db, reader, lastId)) {
          stream.send({ id: item.id, event: 'notification', data: item });
          sentUpTo = Math.max(sentUpTo, item.id);
        }
      } finally {
        replaying = false;
        for (const event of pending) onEvent(event);
      }
    }
  });
};
