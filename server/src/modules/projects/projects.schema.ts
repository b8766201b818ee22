/** Three lists and co-build projects (三张清单, 共建项目, 公益众筹, C5): TypeBox schemas for input and output. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

export const needCategories = ['elderly', 'children', 'environment', 'facility', 'culture', 'safety', 'health', 'other'] as const;
export const needSources = ['resident', 'visit', 'staff', 'deliberation', 'order'] as const;
export const needStatuses = ['open', 'in_project', 'met', 'closed'] as const;
export const projectKinds = ['co_build', 'crowdfunding', 'menu'] as const;
export const projectStatuses = ['published', 'claimed', 'in_progress', 'done', 'cancelled'] as const;
export const resourceKinds = ['venue', 'funds', 'equipment', 'service'] as const;
export type NeedStatus = (typeof needStatuses)[number];
export type ProjectStatus = (typeof projectStatuses)[number];

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));
const code = (description: string) => Type.String({ pattern: '^[0-9A-Z]{1,40}$', description });
const day = (description: string) => Type.String({ format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });
/** Money: numeric(14,2) in the database, a JSON number with at most two decimals here. */
const money = (description: string) => Type.Number({ exclusiveMinimum: 0, maximum: 999_999_999_999.99, description });

export const IdParam = Type.Object({ id: Id({ description: '记录 ID' }) });
export const CodeParam = Type.Object({ code: code('社区编码') });

// ── Needs (需求清单) ─────────────────────────────────────────────────────────
export const Need = Type.Object({
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), title: Type.String(), description: Type.String(),
  category: Type.String(), source: Type.String(), beneficiaries: Nullable(Type.Integer()), status: Type.String(),
  projectCount: Type.Integer({ description: '由此需求立项的项目数' }), createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'ServiceNeed' });
export type NeedT = Static<typeof Need>;

export const NeedQuery = Type.Object({
  communityCode: Type.Optional(code('社区（或其上级区域）编码')),
  status: Type.Optional(literals(needStatuses)),
  category: Type.Optional(literals(needCategories)),
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
  ...ListQuery,
});
export type NeedQueryT = Static<typeof NeedQuery>;

export const CreateNeedBody = Type.Object({
  communityCode: code('社区编码'),
  title: Type.String({ minLength: 2, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  category: literals(needCategories),
  source: Type.Optional(literals(needSources)),
  beneficiaries: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
}, { additionalProperties: false });
export type CreateNeedBodyT = Static<typeof CreateNeedBody>;

export const UpdateNeedBody = Type.Object({
  title: Type.Optional(Type.String({ minLength: 2, maxLength: 100 })),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  category: Type.Optional(literals(needCategories)),
  beneficiaries: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 10_000_000 }))),
  status: Type.Optional(literals(needStatuses)),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateNeedBodyT = Static<typeof UpdateNeedBody>;

// ── Projects (项目清单, 共建项目, 公益众筹) ────────────────────────────────────
const ProjectUnit = Type.Object({
  orgCode: Type.String(), orgName: Type.String(), unitName: Nullable(Type.String()), role: Type.String(), commitment: Type.String(),
  claimedAt: Type.String({ format: 'date-time' }),
});
const Progress = Type.Object({
  pledged: Nullable(Type.Number({ description: '已认捐 / 目标金额（0–1+），无目标时为空' })),
  spent: Nullable(Type.Number({ description: '已支出 / 已认捐（0–1），未认捐时为空' })),
});

const projectItemProps = {
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), needId: Nullable(Type.Integer()), needTitle: Nullable(Type.String()),
  title: Type.String(), description: Type.String(), kind: Type.String(), status: Type.String(),
  targetAmount: Nullable(Type.Number()), pledgedAmount: Type.Number(), spentAmount: Type.Number(), progress: Progress,
  startsOn: Nullable(Type.String()), endsOn: Nullable(Type.String()),
  unitCount: Type.Integer(), leadUnit: Nullable(Type.String({ description: '牵头单位（第一个认领的单位）' })),
  pledgeCount: Type.Integer(), createdAt: Type.String({ format: 'date-time' }),
};
export const ProjectItem = Type.Object(projectItemProps, { $id: 'ServiceProjectItem' });
export type ProjectItemT = Static<typeof ProjectItem>;

export const ProjectDetail = Type.Object({
  ...projectItemProps,
  units: Type.Array(ProjectUnit),
  pledges: Type.Array(Type.Object({
    id: Type.Integer(), orgCode: Nullable(Type.String()), donorName: Type.String({ description: '个人捐赠者姓名脱敏' }), amount: Type.Number(),
    pledgedAt: Type.String({ format: 'date-time' }),
  })),
  spending: Type.Array(Type.Object({
    id: Type.Integer(), amount: Type.Number(), purpose: Type.String(), spentOn: Type.String(), evidence: Type.Array(Type.String()),
    recordedAt: Type.String({ format: 'date-time' }),
  })),
  nextStatuses: Type.Array(Type.String(), { description: '当前状态可转到的状态' }),
  claimable: Type.Boolean({ description: '调用者（单位）此刻可认领' }),
});
export type ProjectDetailT = Static<typeof ProjectDetail>;

export const ProjectQuery = Type.Object({
  communityCode: Type.Optional(code('社区（或其上级区域）编码')),
  status: Type.Optional(literals(projectStatuses)),
  kind: Type.Optional(literals(projectKinds)),
  ...ListQuery,
});
export type ProjectQueryT = Static<typeof ProjectQuery>;

export const CreateProjectBody = Type.Object({
  communityCode: code('社区编码'),
  title: Type.String({ minLength: 2, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  kind: literals(projectKinds),
  needId: Type.Optional(Id({ description: '由哪条需求立项（该需求转为“已立项”）' })),
  targetAmount: Type.Optional(money('目标金额（元，公益众筹必填）')),
  startsOn: Type.Optional(day('开始日期')),
  endsOn: Type.Optional(day('结束日期')),
}, { additionalProperties: false });
export type CreateProjectBodyT = Static<typeof CreateProjectBody>;

export const ProjectStatusBody = Type.Object({
  status: literals(projectStatuses),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export type ProjectStatusBodyT = Static<typeof ProjectStatusBody>;

export const ClaimBody = Type.Object({
  orgCode: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,40}$', description: '认领单位的党组织编码（工作人员代为登记时必填；单位本身认领时可省略）' })),
  commitment: Type.Optional(Type.String({ maxLength: 500, description: '认领承诺：出人、出物、出资…' })),
}, { additionalProperties: false });
export type ClaimBodyT = Static<typeof ClaimBody>;

export const ClaimResult = Type.Object({
  projectId: Type.Integer(), orgCode: Type.String(), orgName: Type.String(), role: Type.String(), status: Type.String(),
  claimedAt: Type.String({ format: 'date-time' }),
});

export const PledgeBody = Type.Object({
  orgCode: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z]{1,40}$', description: '认捐单位（个人认捐不填）' })),
  donorName: Type.String({ minLength: 1, maxLength: 100 }),
  amount: money('认捐金额（元，最多两位小数）'),
}, { additionalProperties: false });
export type PledgeBodyT = Static<typeof PledgeBody>;

export const SpendingBody = Type.Object({
  amount: money('支出金额（元，最多两位小数）'),
  purpose: Type.String({ minLength: 2, maxLength: 200 }),
  spentOn: day('支出日期'),
  evidence: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 20, uniqueItems: true, description: '凭证文件 ID' })),
}, { additionalProperties: false });
export type SpendingBodyT = Static<typeof SpendingBody>;

export const MoneyResult = Type.Object({
  id: Type.Integer(), projectId: Type.Integer(), amount: Type.Number(), pledgedAmount: Type.Number(), spentAmount: Type.Number(),
});

// ── Lists summary and overview ─────────────────────────────────────────────
const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
export const CommunityLists = Type.Object({
  communityCode: Type.String(), communityName: Type.String(),
  needs: Type.Object({ total: Type.Integer(), byStatus: Type.Array(Count), byCategory: Type.Array(Count), latest: Type.Array(Type.Ref('ServiceNeed')) }),
  resources: Type.Object({
    total: Type.Integer(), byKind: Type.Array(Count),
    latest: Type.Array(Type.Object({
      id: Type.Integer(), kind: Type.String(), name: Type.String(), providerOrg: Nullable(Type.String()), providerName: Nullable(Type.String()),
      quantity: Nullable(Type.Number()), unit: Nullable(Type.String()), status: Type.String(), createdAt: Type.String({ format: 'date-time' }),
    })),
  }),
  projects: Type.Object({
    total: Type.Integer(), byStatus: Type.Array(Count), byKind: Type.Array(Count), pledgedAmount: Type.Number(), spentAmount: Type.Number(),
    targetAmount: Type.Number(), unitsInvolved: Type.Integer(), latest: Type.Array(Type.Ref('ServiceProjectItem')),
  }),
});
export type CommunityListsT = Static<typeof CommunityLists>;

export const OverviewQuery = Type.Object({ scopeCode: Type.Optional(code('区域编码（街道、社区…），缺省为本人数据范围')) });
export const Overview = Type.Object({
  scopeCode: Nullable(Type.String()),
  items: Type.Array(Type.Object({
    communityCode: Type.String(), communityName: Type.String(), streetName: Nullable(Type.String()),
    openNeeds: Type.Integer(), needs: Type.Integer(), projects: Type.Integer(),
    projectsByStatus: Type.Object(Object.fromEntries(projectStatuses.map((s) => [s, Type.Integer()])) as Record<ProjectStatus, ReturnType<typeof Type.Integer>>),
    pledgedAmount: Type.Number(), spentAmount: Type.Number(), unitsInvolved: Type.Integer(),
  })),
  totals: Type.Object({ openNeeds: Type.Integer(), projects: Type.Integer(), pledgedAmount: Type.Number(), spentAmount: Type.Number(), unitsInvolved: Type.Integer() }),
});
export type OverviewT = Static<typeof Overview>;

export const ReachingUnits = Type.Object({
  items: Type.Array(Type.Object({
    orgCode: Type.String(), name: Type.String(), unitName: Nullable(Type.String()),
    located: Type.Boolean({ description: '驻本社区' }), alliances: Type.Array(Type.String(), { description: '经由的联盟/理事会' }),
  })),
});
