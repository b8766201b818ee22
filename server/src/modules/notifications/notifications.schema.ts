/** The in-app inbox (站内消息): TypeBox schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

export const InboxItem = Type.Object({
  id: Type.Integer(), kind: Type.String({ description: 'dispatch 派单 / call 召集令 / reminder 提醒 / registration 报到 / order 点单 / rating 评价 / flag 提示 / system 系统' }),
  title: Type.String(), body: Type.String(), link: Nullable(Type.String()), refType: Nullable(Type.String()), refId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }), read: Type.Boolean(),
}, { $id: 'InboxItem' });
export type InboxItemT = Static<typeof InboxItem>;

export const InboxQuery = Type.Object({ ...ListQuery, unread: Type.Optional(Type.Boolean({ description: '只看未读' })) });
export type InboxQueryT = Static<typeof InboxQuery>;

export const IdParam = Type.Object({ id: Id() });
export const UnreadCount = Type.Object({ unread: Type.Integer() });
