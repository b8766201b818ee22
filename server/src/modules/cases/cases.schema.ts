/**
 * Cases (一网统管, 吹哨报到, C6): TypeBox schemas for input and output. Reporters' names and phones are masked;
 * times are ISO 8601 UTC and screens show them on Beijing time.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const channels = ['h5', 'patrol', 'wish', 'camera', 'hotline', 'open311', 'web'] as const;
export type Channel = (typeof channels)[number];
export const tiers = ['micro_grid', 'grid', 'community', 'street', 'department', 'property'] as const;
export type Tier = (typeof tiers)[number];
export const satisfactions = ['satisfied', 'basically', 'unsatisfied'] as const;
export type Satisfaction = (typeof satisfactions)[number];
export const actorKinds = ['reporter', 'handler', 'superior', 'department', 'rater', 'system', 'property'] as const;
export type ActorKind = (typeof actorKinds)[number];

export const CaseIdParam = Type.Object({ id: Id({ description: '案件 ID' }) });
const FileId = Type.String({ pattern: '^[0-9a-fA-F-]{36}$', description: '已上传照片的文件 ID（POST /api/v1/files）' });

export const CreateCaseBody = Type.Object({
  categoryCode: Type.String({ pattern: '^[A-Z0-9]{4,12}$', description: '案件小类编码（GET /api/v1/cases/categories）' }),
  lng: Type.Number({ minimum: 73, maximum: 136, description: '经度（WGS-84）' }),
  lat: Type.Number({ minimum: 3, maximum: 54, description: '纬度（WGS-84）' }),
  description: Type.String({ minLength: 2, maxLength: 2000, description: '问题描述' }),
  photos: Type.Optional(Type.Array(FileId, { maxItems: 9 })),
  address: Type.Optional(Type.String({ maxLength: 200, description: '位置描述（如：3幢北侧车棚）' })),
  channel: Type.Optional(literals(['h5', 'patrol', 'wish', 'web'] as const)),
  attributes: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Array(Type.String({ maxLength: 100 }), { maxItems: 20 })]))),
}, { additionalProperties: false });
export type CreateCaseBodyT = Static<typeof CreateCaseBody>;

export const ActionBody = Type.Object({
  action: Type.String({ minLength: 1, maxLength: 40, description: 'accept, void, merge, withdraw, escalate, resolve, convene, assign, return, whistle, copy, extend, approve_extension, refuse_extension, supervise, report_in, respond, verify, reject, rate' }),
  note: Type.Optional(Type.String({ maxLength: 2000, description: '说明：作废、退回、延期、不满意时必填' })),
  targetOrg: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 10 })], {
    description: '交办：下级区域编码、部门编码或小区编码（交该小区物业）；吹哨/抄告：部门编码（可多个）' })),
  photos: Type.Optional(Type.Array(FileId, { maxItems: 9, description: '处置反馈的照片' })),
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 30, description: '延期：申请的工作日数' })),
  mergeInto: Type.Optional(Id({ description: '合并：保留的案件 ID' })),
  participants: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 60 }), { minItems: 1, maxItems: 50, description: '会商：参加人（姓名/单位）' })),
  heldAt: Type.Optional(Type.String({ format: 'date-time', description: '会商：时间' })),
  conclusion: Type.Optional(Type.String({ minLength: 2, maxLength: 2000, description: '会商：结论' })),
  satisfaction: Type.Optional(literals(satisfactions)),
}, { additionalProperties: false });
export type ActionBodyT = Static<typeof ActionBody>;

export const CaseListQuery = Type.Object({
  ...ListQuery,
  queue: Type.Optional(literals(['mine', 'scope', 'reported', 'department', 'rate'] as const)),
  scopeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{6,40}$', description: '区域编码（默认：本人范围）' })),
  state: Type.Optional(Type.String({ maxLength: 20 })),
  categoryCode: Type.Optional(Type.String({ maxLength: 12, description: '大类或小类' })),
  channel: Type.Optional(literals(channels)),
  overdue: Type.Optional(Type.Boolean()),
  card: Type.Optional(literals(['yellow', 'red'] as const)),
  whistle: Type.Optional(Type.Literal('open', { description: 'open：有尚未反馈的吹哨' })),
  departmentCode: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Type.String({ format: 'date', description: '上报日期起（北京时间，含）' })),
  to: Type.Optional(Type.String({ format: 'date', description: '上报日期止（北京时间，含）' })),
  measure: Type.Optional(literals(['response', 'resolution', 'satisfaction'] as const)),
  met: Type.Optional(Type.Boolean({ description: '与 measure 一起：true 计入分子的案件，false 在分母不在分子的案件' })),
  q: Type.Optional(Type.String({ maxLength: 100, description: '服务单号或描述关键字' })),
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
});
export type CaseListQueryT = Static<typeof CaseListQuery>;

export const CaseItem = Type.Object({
  id: Type.Integer(),
  serviceNo: Type.String({ description: '服务单号：AJ + 上报日期（北京时间 YYYYMMDD）+ 6 位流水号' }),
  channel: Type.String(), channelName: Type.String(),
  categoryCode: Type.String(), categoryName: Type.String(), majorName: Type.String(), kind: Type.String({ description: 'event 事件 / component 部件' }),
  description: Type.String(), address: Type.String(), lng: Nullable(Type.Number()), lat: Nullable(Type.Number()),
  streetCode: Type.String(), streetName: Type.String(), communityCode: Nullable(Type.String()), communityName: Nullable(Type.String()),
  gridCode: Nullable(Type.String({ description: '路由到的网格' })), gridName: Nullable(Type.String()),
  microGridCode: Nullable(Type.String({ description: '路由到的微网格' })), microGridName: Nullable(Type.String()),
  state: Type.String(), stateName: Type.String(),
  handlerTier: Type.String(), handlerCode: Type.String(), handlerName: Type.String({ description: '当前承办：某微网格/网格/社区/街道/部门' }),
  reporterName: Nullable(Type.String({ description: '脱敏' })),
  photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  resultPhotos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  reportedAt: Type.String({ format: 'date-time' }),
  stepDeadline: Type.String({ format: 'date-time', description: '当前环节的期限（按工作日计算）' }),
  deadline: Type.String({ format: 'date-time', description: '案件的办结期限：未立案时为受理期限' }),
  overdue: Type.Boolean(), card: literals(['none', 'yellow', 'red'] as const),
  satisfaction: Nullable(Type.String()), reopenCount: Type.Integer(), followers: Type.Integer(),
  duplicateOf: Nullable(Type.Integer({ description: '疑似重复：附近同类在办案件' })),
  updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Case' });
export type CaseItemT = Static<typeof CaseItem>;

export const CaseStep = Type.Object({
  id: Type.Integer(), action: Type.String(), actionName: Type.String(), from: Nullable(Type.String()), to: Type.String(),
  actorKind: Type.String(), actorName: Nullable(Type.String({ description: '工作人员显示姓名；居民脱敏' })), actorOrg: Type.String(),
  tierFrom: Nullable(Type.String()), tierTo: Nullable(Type.String()), target: Nullable(Type.String()), targetName: Nullable(Type.String()),
  note: Nullable(Type.String()), photos: Type.Array(Type.Object({ id: Type.String(), url: Type.String() })),
  deadline: Nullable(Type.String({ format: 'date-time' })), at: Type.String({ format: 'date-time' }),
});
export type CaseStepT = Static<typeof CaseStep>;

export const CaseDetail = Type.Object({
  case: Type.Ref('Case'),
  steps: Type.Array(CaseStep),
  whistles: Type.Array(Type.Object({
    id: Type.Integer(), departmentCode: Type.String(), departmentName: Type.String(), blownAt: Type.String({ format: 'date-time' }),
    reportInDeadline: Type.String({ format: 'date-time' }), reportedInAt: Nullable(Type.String({ format: 'date-time' })),
    respondDeadline: Type.String({ format: 'date-time' }), respondedAt: Nullable(Type.String({ format: 'date-time' })),
    response: Nullable(Type.String()), card: Type.String(),
  })),
  consultations: Type.Array(Type.Object({
    id: Type.Integer(), heldAt: Type.String({ format: 'date-time' }), participants: Type.Array(Type.String()), conclusion: Type.String(),
  })),
  extensions: Type.Array(Type.Object({
    id: Type.Integer(), days: Type.Integer(), reason: Type.String(), requestedAt: Type.String({ format: 'date-time' }),
    decision: Nullable(Type.String()), decidedAt: Nullable(Type.String({ format: 'date-time' })), decisionNote: Nullable(Type.String()),
  })),
  cards: Type.Array(Type.Object({ id: Type.Integer(), color: Type.String(), stepState: Type.String(), note: Nullable(Type.String()), at: Type.String({ format: 'date-time' }) })),
  duplicates: Type.Array(Type.Object({ id: Type.Integer(), serviceNo: Type.String(), distanceM: Type.Number(), state: Type.String(), reportedAt: Type.String({ format: 'date-time' }) }),
    { description: '附近同类在办案件（可合并）' }),
  allowedActions: Type.Array(Type.Object({ action: Type.String(), name: Type.String(), to: Type.String(), as: Type.String() })),
  viewerKinds: Type.Array(Type.String()),
});
export type CaseDetailT = Static<typeof CaseDetail>;

/** The contract's create answer: the case plus the routing and deadline in plain sight. */
export const CreatedCase = Type.Object({
  id: Type.Integer(), serviceNo: Type.String(), state: Type.String(),
  gridCode: Nullable(Type.String()), microGridCode: Nullable(Type.String()), communityCode: Nullable(Type.String()), streetCode: Type.String(),
  handlerTier: Type.String(), handlerName: Type.String(),
  deadline: Type.String({ format: 'date-time', description: '受理期限（工作日）' }),
  duplicates: CaseDetail.properties.duplicates,
  case: Type.Ref('Case'),
});
export type CreatedCaseT = Static<typeof CreatedCase>;

export const RatesQuery = Type.Object({
  scopeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{4,40}$', description: '区域编码（街道/社区/网格）或部门编码；默认本人范围' })),
  from: Type.String({ format: 'date', description: '上报日期起（北京时间，含）' }),
  to: Type.String({ format: 'date', description: '上报日期止（北京时间，含）' }),
});
export const RateCounts = Type.Object({
  reported: Type.Integer({ description: '期内上报（不含合并的重复件）' }),
  responseDue: Type.Integer({ description: '响应率分母：期内上报且已到受理期限或已受理/作废' }),
  respondedOnTime: Type.Integer({ description: '响应率分子：在受理期限内受理或作废' }),
  accepted: Type.Integer({ description: '解决率分母：已立案（受理）' }),
  resolved: Type.Integer({ description: '解决率分子：处置经核查通过' }),
  rated: Type.Integer({ description: '满意率分母：有评价的案件' }),
  satisfied: Type.Integer({ description: '满意率分子：满意或基本满意' }),
  open: Type.Integer(), overdue: Type.Integer(),
});
export const Rates = Type.Object({
  scopeCode: Type.String(), scopeName: Type.String(), from: Type.String(), to: Type.String(),
  responseRate: Nullable(Type.Number({ description: '0–1；分母为 0 时为空' })),
  resolutionRate: Nullable(Type.Number()), satisfactionRate: Nullable(Type.Number()),
  counts: RateCounts,
});
export type RatesT = Static<typeof Rates>;

/** A property company's cases (物业案件): the cases at its seat, by state, or behind one of its figures. */
export const PropertyCaseQuery = Type.Object({
  ...ListQuery,
  state: Type.Optional(literals(['open', 'reported', 'handling', 'resolved', 'rating', 'closed'] as const)),
  measure: Type.Optional(literals(['response', 'resolution', 'satisfaction'] as const)),
  met: Type.Optional(Type.Boolean({ description: '与 measure 一起：true 计入分子的案件，false 在分母不在分子的案件' })),
});
export type PropertyCaseQueryT = Static<typeof PropertyCaseQuery>;

const Rate = Type.Object({ numerator: Type.Integer(), denominator: Type.Integer(), rate: Nullable(Type.Number({ description: '0–1；分母为 0 时为空' })) });
export const PropertySummary = Type.Object({
  compounds: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), company: Nullable(Type.String()) }), { description: '本人服务的小区' }),
  states: Type.Object({ reported: Type.Integer(), handling: Type.Integer(), resolved: Type.Integer(), rating: Type.Integer(), closed: Type.Integer(),
    overdue: Type.Integer() }),
  response: Rate, resolution: Rate, satisfaction: Rate,
});
export type PropertySummaryT = Static<typeof PropertySummary>;
