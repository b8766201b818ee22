/** The four-order loop (四单, C4.3): TypeBox schemas for input and output. Names of people are masked. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

export const sizes = ['micro', 'project', 'activity'] as const;
export const dispatchModes = ['member', 'branch', 'open'] as const;
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const OrderIdParam = Type.Object({ id: Id({ description: '订单 ID' }) });

export const CreateOrderBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 100, description: '需要什么服务' }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  skillCode: Type.Optional(Type.String({ maxLength: 40, description: '技能字典编码' })),
  size: Type.Optional(literals(sizes)),
  placeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,40}$', description: '服务地点（默认：本人现住的户）' })),
  wantedAt: Type.Optional(Type.String({ format: 'date-time' })),
}, { additionalProperties: false });
export type CreateOrderBodyT = Static<typeof CreateOrderBody>;

export const ActionBody = Type.Object({
  action: Type.String({ minLength: 1, maxLength: 40, description: 'dispatch, redispatch, reject, cancel, accept, decline, complete, withdraw' }),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
  mode: Type.Optional(literals(dispatchModes)),
  forceId: Type.Optional(Id({ description: '派给的党员（mode=member）' })),
  orgCode: Type.Optional(Type.String({ maxLength: 40, description: '派给的支部（mode=branch）' })),
  hours: Type.Optional(Type.Number({ minimum: 0, maximum: 24, description: '服务时长（小时，complete）' })),
  evidence: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 9, description: '凭证照片的文件 ID（complete）' })),
}, { additionalProperties: false });
export type ActionBodyT = Static<typeof ActionBody>;

export const OrderListQuery = Type.Object({
  ...ListQuery,
  state: Type.Optional(Type.String({ maxLength: 20 })),
  size: Type.Optional(literals(sizes)),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});
export type OrderListQueryT = Static<typeof OrderListQuery>;

export const OrderItem = Type.Object({
  id: Type.Integer(), serviceNo: Type.String({ description: '服务编号：FW + 下单日期（北京时间 Asia/Shanghai，YYYYMMDD）+ 6 位流水号，如 FW20261130000001；演示数据为 FW + 日期 + S + 5 位序号。时间字段均为 ISO 8601（UTC），界面按北京时间显示' }), title: Type.String(), description: Type.String(),
  state: Type.String(), stateName: Type.String(), size: Type.String(), skillCode: Nullable(Type.String()), skillName: Nullable(Type.String()),
  communityCode: Type.String(), communityName: Type.String(), placeCode: Nullable(Type.String()),
  placeName: Nullable(Type.String({ description: '服务地点（室号脱敏）' })),
  placeAddress: Nullable(Type.String({ description: '完整门牌：仅点单居民本人与已接单的党员可见' })),
  residentName: Nullable(Type.String({ description: '脱敏' })),
  dispatchMode: Nullable(Type.String()), assigneeForceId: Nullable(Type.Integer()), assigneeName: Nullable(Type.String({ description: '脱敏' })),
  assigneeOrgCode: Nullable(Type.String()), assigneeOrgName: Nullable(Type.String()),
  acceptDeadline: Nullable(Type.String({ format: 'date-time' })), dispatchCount: Type.Integer(),
  hourCap: Type.Number(), hours: Nullable(Type.Number()), evidence: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  resultNote: Nullable(Type.String()), recordId: Nullable(Type.Integer()), residentScore: Nullable(Type.Integer()),
  wantedAt: Nullable(Type.String({ format: 'date-time' })), createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'ServiceOrder' });
export type OrderItemT = Static<typeof OrderItem>;

export const OrderEvent = Type.Object({
  id: Type.Integer(), action: Type.String(), actionName: Type.String(), from: Nullable(Type.String()), to: Type.String(),
  actorKind: Type.String(), actorName: Nullable(Type.String({ description: '脱敏' })), note: Nullable(Type.String()), at: Type.String({ format: 'date-time' }),
});
export type OrderEventT = Static<typeof OrderEvent>;

export const AllowedAction = Type.Object({ action: Type.String(), name: Type.String(), to: Type.String() });

export const OrderDetail = Type.Object({
  order: Type.Ref('ServiceOrder'),
  events: Type.Array(OrderEvent),
  allowedActions: Type.Array(AllowedAction),
  viewerKinds: Type.Array(Type.String(), { description: '调用者对本订单的身份：resident / community / assignee' }),
  ratings: Type.Array(Type.Object({ raterKind: Type.String(), score: Type.Integer(), comment: Nullable(Type.String()), at: Type.String({ format: 'date-time' }) })),
});
export type OrderDetailT = Static<typeof OrderDetail>;
