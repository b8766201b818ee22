import { Type, type Static } from '@sinclair/typebox';
import { Nullable } from '../../platform/schema.js';

export const orgKinds = ['street_committee', 'community_committee', 'general_branch', 'branch', 'group', 'functional_branch', 'unit_org', 'alliance'] as const;
export type OrgKind = (typeof orgKinds)[number];
export const OrgKindT = Type.Union(orgKinds.map((k) => Type.Literal(k)));

export const orgKindLabel: Record<OrgKind, string> = {
  street_committee: '街道党工委', community_committee: '社区党委', general_branch: '党总支', branch: '党支部', group: '党小组',
  functional_branch: '功能型党支部', unit_org: '单位党组织', alliance: '党建联盟/理事会',
};

/** Which kinds may hang under which (null = a root). The organisation tree's grammar. */
export const orgParentRules: Record<OrgKind, (OrgKind | null)[]> = {
  street_committee: [null],
  community_committee: ['street_committee'],
  general_branch: ['street_committee', 'community_committee'],
  branch: ['community_committee', 'general_branch'],
  group: ['branch', 'functional_branch'],
  functional_branch: ['community_committee', 'general_branch'],
  unit_org: [null, 'unit_org'],
  alliance: ['street_committee', 'community_committee', 'general_branch', 'branch'],
};


export const OrgCodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }) });

export const OrgSummary = Type.Object({
  code: Type.String(), name: Type.String(), kind: OrgKindT, parentCode: Nullable(Type.String()),
  territoryCode: Nullable(Type.String()), territoryName: Nullable(Type.String()), childCount: Type.Integer(),
}, { $id: 'OrgSummary' });
export type OrgSummaryT = Static<typeof OrgSummary>;

export const AllianceMember = Type.Object({
  code: Type.String(), name: Type.String(), kind: OrgKindT, unitName: Nullable(Type.String()), role: Type.String(), joinedOn: Type.String(),
});

export const OrgDetail = Type.Object({
  code: Type.String(), name: Type.String(), kind: OrgKindT, parentCode: Nullable(Type.String()), path: Type.String(),
  territoryCode: Nullable(Type.String()), territoryName: Nullable(Type.String()), territoryKind: Nullable(Type.String()),
  unitName: Nullable(Type.String()), secretaryName: Nullable(Type.String()), childCount: Type.Integer(),
  ancestors: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), kind: OrgKindT })),
  allianceMembers: Type.Array(AllianceMember),
  alliances: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), role: Type.String() })),
}, { $id: 'OrgDetail' });
export type OrgDetailT = Static<typeof OrgDetail>;

export const CreateOrgBody = Type.Object({
  parentCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  kind: OrgKindT,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  territoryCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  unitName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  secretaryName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
}, { additionalProperties: false });
export type CreateOrgBodyT = Static<typeof CreateOrgBody>;

export const UpdateOrgBody = Type.Object({
  parentCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  territoryCode: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  unitName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  secretaryName: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
}, { additionalProperties: false });
export type UpdateOrgBodyT = Static<typeof UpdateOrgBody>;

export const AllianceMemberBody = Type.Object({
  memberCode: Type.String({ minLength: 1, maxLength: 40 }),
  role: Type.Optional(Type.Union([Type.Literal('chair'), Type.Literal('vice_chair'), Type.Literal('member')])),
}, { additionalProperties: false });
