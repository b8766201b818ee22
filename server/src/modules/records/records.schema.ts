/** Service records, ratings, flags, honours, member summary and certificate (C4.5): TypeBox schemas. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const RecordIdParam = Type.Object({ id: Id({ description: '服务记录 ID' }) });
export const ForceIdParam = Type.Object({ forceId: Id({ description: '力量（党员）ID' }) });

export const Rating = Type.Object({
  raterKind: Type.String(), score: Type.Integer(), comment: Nullable(Type.String()), at: Type.String({ format: 'date-time' }),
});

export const ServiceRecord = Type.Object({
  id: Type.Integer(), forceId: Type.Integer(), memberName: Nullable(Type.String({ description: '脱敏' })), source: Type.String(),
  orderId: Nullable(Type.Integer()), claimId: Nullable(Type.Integer()), taskId: Nullable(Type.Integer()),
  communityCode: Type.String(), communityName: Type.String(), title: Type.String(), size: Type.String(), servedOn: Type.String({ format: 'date' }),
  hours: Type.Number(), hourCap: Type.Number(), evidence: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })), note: Nullable(Type.String()),
  status: Type.String(), confirmedAs: Nullable(Type.String()), confirmedByName: Nullable(Type.String()), confirmedAt: Nullable(Type.String({ format: 'date-time' })),
  ratings: Type.Array(Rating), createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'ServiceRecord' });
export type ServiceRecordT = Static<typeof ServiceRecord>;

export const RecordListQuery = Type.Object({
  ...ListQuery,
  status: Type.Optional(literals(['pending', 'confirmed', 'rejected'] as const)),
  source: Type.Optional(literals(['order', 'task', 'post'] as const)),
  forceId: Type.Optional(Id()),
  q: Type.Optional(Type.String({ maxLength: 100 })),
});
export type RecordListQueryT = Static<typeof RecordListQuery>;

export const ConfirmBody = Type.Object({
  hours: Type.Optional(Type.Number({ minimum: 0, maximum: 24, description: '更正后的时长（不超过本次上限）' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export const RejectBody = Type.Object({ reason: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });
export const RateBody = Type.Object({
  score: Type.Integer({ minimum: 1, maximum: 5 }),
  comment: Type.Optional(Type.String({ maxLength: 500 })),
  as: Type.Optional(literals(['community', 'branch'] as const)),
}, { additionalProperties: false });
export type RateBodyT = Static<typeof RateBody>;

export const Flag = Type.Object({
  forceId: Type.Integer(), name: Nullable(Type.String({ description: '脱敏' })), communityCode: Type.String(), communityName: Type.String(),
  unitOrgCode: Nullable(Type.String()), unitName: Nullable(Type.String()), ratings: Type.Integer(), satisfaction: Nullable(Type.Number()),
  negativeItems: Type.Integer(), reasons: Type.Array(Type.String()), flaggedSince: Type.String({ format: 'date-time' }),
});
export type FlagT = Static<typeof Flag>;

export const TalkBody = Type.Object({
  talkedOn: Type.String({ format: 'date' }), note: Type.String({ minLength: 2, maxLength: 2000 }),
}, { additionalProperties: false });
export const NegativeItemBody = Type.Object({
  reason: Type.String({ minLength: 2, maxLength: 500 }), expiresOn: Type.Optional(Type.String({ format: 'date' })),
}, { additionalProperties: false });

export const HonoursQuery = Type.Object({
  scopeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,40}$' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
  minRatings: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 3 })),
});
export const Honour = Type.Object({
  forceId: Type.Integer(), name: Nullable(Type.String({ description: '脱敏' })), communityCode: Type.String(), communityName: Type.String(),
  ratings: Type.Integer(), satisfaction: Type.Number(), averageScore: Type.Number(), confirmedHours: Type.Number(), services: Type.Integer(),
});

export const MemberSummary = Type.Object({
  registered: Type.Boolean(),
  forceId: Nullable(Type.Integer()), name: Nullable(Type.String({ description: '本人可见全名，他人脱敏' })),
  communityCode: Nullable(Type.String()), communityName: Nullable(Type.String()),
  branchCode: Nullable(Type.String()), branchName: Nullable(Type.String()), unitName: Nullable(Type.String()),
  hours: Type.Object({ year: Type.Number(), total: Type.Number(), pending: Type.Number() }),
  services: Type.Integer(), ratings: Type.Integer(), satisfaction: Nullable(Type.Number()), averageScore: Nullable(Type.Number()),
  posts: Type.Array(Type.Object({ id: Type.Integer(), title: Type.String(), kindName: Type.String() })),
  openClaims: Type.Integer(), openOrders: Type.Integer(), flagged: Type.Boolean(),
});
export type MemberSummaryT = Static<typeof MemberSummary>;

export const CertificateQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date' })), to: Type.Optional(Type.String({ format: 'date' })),
});
