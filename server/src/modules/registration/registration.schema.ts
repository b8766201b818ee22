/** Double registration (双报到, C4.1) and posts (岗位式报到, C4.2): TypeBox schemas. Personal fields are masked. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const Code = Type.String({ pattern: '^[0-9A-Z]{1,40}$' });
const DateStr = Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const registrationStatuses = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export const CodeParam = Type.Object({ code: Code });
export const OrgParam = Type.Object({ orgCode: Type.String({ pattern: '^[0-9A-Za-z_]{1,40}$' }) });
export const IdParam = Type.Object({ id: Id() });

export const QrQuery = Type.Object({ format: Type.Optional(literals(['png', 'svg'] as const)) });

const Named = Type.Object({ code: Type.String(), name: Type.String() });
export const RegistrationForm = Type.Object({
  community: Type.Object({ code: Type.String(), name: Type.String(), streetName: Nullable(Type.String()) }),
  compounds: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(),
    buildings: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), units: Type.Array(Named) })),
  })),
  skills: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), category: Type.String() })),
  postKinds: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), skills: Type.Array(Type.String()) })),
});
export type RegistrationFormT = Static<typeof RegistrationForm>;

export const UnitOrgQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 40, description: '名称片段或拼音（全拼/首字母）' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 20 })) });
export const UnitOrgList = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), unitName: Nullable(Type.String()) })) });

const AvailabilityBody = Type.Object({
  days: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, uniqueItems: true })),
  periods: Type.Optional(Type.Array(literals(['morning', 'afternoon', 'evening'] as const), { maxItems: 3, uniqueItems: true })),
  note: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const CreateRegistrationBody = Type.Object({
  communityCode: Code,
  homeCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$', description: '小区 / 楼幢 / 单元 / 户 编码（须在该社区内）' }),
  unitOrgCode: Type.Optional(Type.String({ maxLength: 40 })),
  unitOrgName: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  workUnit: Type.String({ minLength: 2, maxLength: 100 }),
  mobile: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })),
  skills: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, uniqueItems: true }),
  wishes: Type.Array(Type.String({ maxLength: 40 }), { maxItems: 8, uniqueItems: true }),
  availability: Type.Optional(AvailabilityBody),
}, { additionalProperties: false });
export type CreateRegistrationBodyT = Static<typeof CreateRegistrationBody>;

// ─── 码上报到 self-registration (no account yet) ────────────────────────────
/** What the public sign-up page shows: the community and its compounds (the first part of the home address). */
export const SignupInfo = Type.Object({
  community: Type.Object({ code: Type.String(), name: Type.String(), streetName: Nullable(Type.String()) }),
  compounds: Type.Array(Named),
});
export type SignupInfoT = Static<typeof SignupInfo>;

export const SignupBody = Type.Object({
  name: Type.String({ minLength: 2, maxLength: 30, description: '姓名（与身份证一致）' }),
  mobile: Type.String({ pattern: '^1[3-9][0-9]{9}$', description: '手机号，即登录账号' }),
  idNumber: Type.String({ pattern: '^[0-9]{17}[0-9Xx]$', description: '身份证号（GB 11643 校验）' }),
  password: Type.String({ minLength: 8, maxLength: 128, description: '登录密码（密码策略）' }),
  unitOrgCode: Type.Optional(Type.String({ maxLength: 40, description: '从列表选择的单位党组织' })),
  unitName: Type.Optional(Type.String({ minLength: 2, maxLength: 100, description: '列表中没有时填写的单位（党组织）名称' })),
  address: Type.String({ minLength: 4, maxLength: 100, description: '居住地址，如 中兴新村3幢2单元501室（按档案匹配到户）' }),
}, { additionalProperties: false });
export type SignupBodyT = Static<typeof SignupBody>;
export const SignupResult = Type.Object({ registrationId: Type.Integer(), status: Type.Literal('pending') });

export const Registration = Type.Object({
  id: Type.Integer(), personId: Type.Integer(), name: Nullable(Type.String({ description: '脱敏' })), mobile: Nullable(Type.String({ description: '脱敏' })),
  communityCode: Type.String(), communityName: Type.String(), homeCode: Type.String(), homeAddress: Nullable(Type.String({ description: '室号脱敏' })),
  unitOrgCode: Nullable(Type.String()), unitOrgName: Nullable(Type.String()), workUnit: Type.String(),
  skills: Type.Array(Type.String()), wishes: Type.Array(Type.String()), availability: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String(), branchCode: Nullable(Type.String()), branchName: Nullable(Type.String()), groupCode: Nullable(Type.String()),
  groupName: Nullable(Type.String()), microGridCode: Nullable(Type.String()), microGridName: Nullable(Type.String()), forceId: Nullable(Type.Integer()),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })), reviewNote: Nullable(Type.String()), channel: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'Registration' });
export type RegistrationT = Static<typeof Registration>;

export const RegistrationQuery = Type.Object({
  communityCode: Type.Optional(Code), status: Type.Optional(literals(registrationStatuses)), ...ListQuery,
});
export type RegistrationQueryT = Static<typeof RegistrationQuery>;

export const ApproveBody = Type.Object({
  branchCode: Type.Optional(Type.String({ maxLength: 40 })), groupCode: Type.Optional(Type.String({ maxLength: 40 })),
  microGridCode: Type.Optional(Code), note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export type ApproveBodyT = Static<typeof ApproveBody>;
export const RejectBody = Type.Object({ note: Type.String({ minLength: 2, maxLength: 500 }) }, { additionalProperties: false });

export const Placement = Type.Object({
  branches: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String(), isDefault: Type.Boolean() })),
  groups: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), parentCode: Type.String(), isDefault: Type.Boolean() })),
  microGrids: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), isDefault: Type.Boolean() })),
});

export const PeriodQuery = Type.Object({
  from: Type.Optional(DateStr), to: Type.Optional(DateStr),
  quarter: Type.Optional(Type.String({ pattern: '^\\d{4}Q[1-4]$', description: '季度，如 2026Q4（给出时取代 from/to）' })),
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
});
export type PeriodQueryT = Static<typeof PeriodQuery>;

export const UnitMembers = Type.Object({
  org: Type.Object({ code: Type.String(), name: Type.String() }), from: Type.String(), to: Type.String(),
  items: Type.Array(Type.Object({
    personId: Type.Integer(), registrationId: Nullable(Type.Integer({ description: '未报到时为空' })), name: Nullable(Type.String()),
    mobile: Nullable(Type.String()), workUnit: Type.String(), unitOrgCode: Nullable(Type.String()), communityCode: Nullable(Type.String()),
    communityName: Nullable(Type.String()),
    status: Type.String({ description: 'approved 已报到 / pending 待审核 / withdrawn 已撤回 / unregistered 未报到' }),
    registeredAt: Nullable(Type.String({ format: 'date-time' })), approvedAt: Nullable(Type.String({ format: 'date-time' })),
    branchName: Nullable(Type.String()), hours: Type.Number(), services: Type.Integer(), avgRating: Nullable(Type.Number()),
  })),
  totals: Type.Object({
    inService: Type.Integer({ description: '本单位在职党员（即列表行数）' }), registered: Type.Integer({ description: '有报到记录（待审核/已通过/已撤回）' }),
    approved: Type.Integer({ description: '已报到（已通过）' }), served: Type.Integer({ description: '已报到且期内至少一次确认服务' }),
    hours: Type.Number(), services: Type.Integer(),
  }),
});
export type UnitMembersT = Static<typeof UnitMembers>;

const RateRow = Type.Object({
  code: Type.String(), name: Type.String(), inService: Type.Integer({ description: '在职党员（居住在此/隶属本单位）' }),
  registered: Type.Integer(), registrationRate: Nullable(Type.Number()), served: Type.Integer({ description: '期内至少一次确认服务' }),
  serviceRate: Nullable(Type.Number()),
});
export type RateRowT = Static<typeof RateRow>;
export const RatesQuery = Type.Object({ scopeCode: Type.Optional(Code), from: Type.Optional(DateStr), to: Type.Optional(DateStr) });
export const Rates = Type.Object({ from: Type.String(), to: Type.String(), items: Type.Array(RateRow), total: RateRow });
export const UnitRates = Type.Composite([RateRow, Type.Object({ from: Type.String(), to: Type.String() })]);

// ─── posts ──────────────────────────────────────────────────────────────────
export const Post = Type.Object({
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), kindCode: Type.String(), kindName: Type.String(),
  title: Type.String(), description: Type.String(), capacity: Type.Integer(), taken: Type.Integer(), status: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  held: Type.Optional(Type.Boolean({ description: '本人是否在岗（党员视角）' })),
  fit: Type.Optional(Type.Array(Type.String(), { description: '推荐理由（党员视角）' })),
}, { $id: 'ServicePost' });
export type PostT = Static<typeof Post>;
export const PostQuery = Type.Object({ communityCode: Type.Optional(Code), status: Type.Optional(literals(['open', 'closed'] as const)), ...ListQuery });
export type PostQueryT = Static<typeof PostQuery>;
export const CreatePostBody = Type.Object({
  communityCode: Code, kindCode: Type.String({ maxLength: 40 }), title: Type.String({ minLength: 2, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })), capacity: Type.Integer({ minimum: 1, maximum: 1000 }),
}, { additionalProperties: false });
export type CreatePostBodyT = Static<typeof CreatePostBody>;
export const PostDetail = Type.Composite([Post, Type.Object({
  holders: Type.Array(Type.Object({ forceId: Type.Integer(), name: Nullable(Type.String()), since: Type.String() })),
})]);
