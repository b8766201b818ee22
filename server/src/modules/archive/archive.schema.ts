/** Residents' archive (C8): TypeBox schemas for input and output. Every personal field in an output is masked. */
import { Type, type Static } from '@sinclair/typebox';
import { GeoJsonGeometry, Id, ListQuery, Nullable } from '../../platform/schema.js';

export const relations = ['owner', 'tenant', 'family', 'registered', 'floating'] as const;
export const memberTypes = ['in_register', 'in_service', 'in_residence'] as const;
export const unmaskFields = ['name', 'idNumber', 'mobile', 'address'] as const;
export const visitKinds = ['visit', 'follow_up', 'inspection'] as const;
export type Relation = (typeof relations)[number];
export type MemberType = (typeof memberTypes)[number];
export type UnmaskField = (typeof unmaskFields)[number];

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const CodeParam = Type.Object({ code: Type.String({ pattern: '^[0-9A-Z]{1,40}$', description: '节点编码' }) });
export const PersonIdParam = Type.Object({ id: Id({ description: '人员 ID' }) });

const PartyCounts = Type.Object({ inRegister: Type.Integer(), inService: Type.Integer(), inResidence: Type.Integer(), total: Type.Integer() });
const TagCount = Type.Object({ code: Type.String(), name: Type.String(), count: Type.Integer() });
const TagRef = Type.Object({ code: Type.String(), name: Type.String() });

export const Counts = Type.Object({
  buildings: Type.Integer(), units: Type.Integer(), rooms: Type.Integer(), households: Type.Integer(), residents: Type.Integer(),
  byRelation: Type.Object({ owner: Type.Integer(), tenant: Type.Integer(), family: Type.Integer(), registered: Type.Integer(), floating: Type.Integer() }),
  partyMembers: PartyCounts, tagged: Type.Integer(), tags: Type.Array(TagCount),
}, { $id: 'ArchiveCounts', description: '由档案记录实时统计（仅在住人员：moved_out 为空）' });
export type CountsT = Static<typeof Counts>;

export const NodeCounts = Type.Object({ code: Type.String(), name: Type.String(), kind: Type.String(), counts: Type.Ref('ArchiveCounts') });

const Post = Type.Object({
  post: Type.String(), postName: Type.String(), territoryCode: Type.String(), territoryName: Type.String(),
  personId: Nullable(Type.Integer()), name: Nullable(Type.String({ description: '脱敏' })), userId: Nullable(Type.Integer()),
});
export type PostT = Static<typeof Post>;

export const CompoundPage = Type.Object({
  code: Type.String(), name: Type.String(), communityCode: Type.String(), communityName: Type.String(),
  gridCode: Nullable(Type.String()), gridName: Nullable(Type.String()),
  boundary: Nullable(GeoJsonGeometry), location: Nullable(GeoJsonGeometry),
  buildings: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(), number: Type.Integer(), boundary: Nullable(GeoJsonGeometry), location: Nullable(GeoJsonGeometry),
    microGridCode: Nullable(Type.String()), units: Type.Integer(), rooms: Type.Integer(), households: Type.Integer(), residents: Type.Integer(),
    partyMembers: PartyCounts, tagged: Type.Integer(), tags: Type.Array(TagCount),
  })),
  partners: Type.Array(Type.Object({
    kind: literals(['party_org', 'owners_committee', 'property_company'] as const), kindName: Type.String(), name: Type.String(),
    orgCode: Nullable(Type.String()), contactName: Nullable(Type.String()), contactPhone: Nullable(Type.String()),
    members: Type.Array(Type.Object({ personId: Type.Integer(), name: Nullable(Type.String()), role: Type.String() })),
  })),
  posts: Type.Array(Post),
  counts: Type.Ref('ArchiveCounts'),
});
export type CompoundPageT = Static<typeof CompoundPage>;

export const BuildingPage = Type.Object({
  code: Type.String(), name: Type.String(), number: Type.Integer(), compoundCode: Type.String(), compoundName: Type.String(),
  posts: Type.Array(Post),
  units: Type.Array(Type.Object({
    code: Type.String(), name: Type.String(),
    rooms: Type.Array(Type.Object({
      code: Type.String(), label: Type.String(), floor: Nullable(Type.Integer()), households: Type.Integer(), residents: Type.Integer(),
      partyMembers: Type.Integer(), tagged: Type.Integer(), tags: Type.Array(Type.String()),
    })),
  })),
});
export type BuildingPageT = Static<typeof BuildingPage>;

const Visit = Type.Object({
  id: Type.Integer(), roomCode: Type.String(), householdId: Nullable(Type.Integer()), visitedAt: Type.String({ format: 'date-time' }),
  kind: Type.String(), note: Type.String(), visitorName: Type.String(),
}, { $id: 'ArchiveVisit' });
export type VisitT = Static<typeof Visit>;
export { Visit };

export const RoomPage = Type.Object({
  code: Type.String(), label: Type.String(), buildingCode: Type.String(), unitCode: Type.String(), address: Type.String(),
  households: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String(), registryNo: Nullable(Type.String()),
    residents: Type.Array(Type.Object({
      personId: Type.Integer(), name: Nullable(Type.String()), gender: Nullable(Type.String()), age: Nullable(Type.Integer()),
      relation: Type.String(), movedIn: Type.String(), movedOut: Nullable(Type.String()),
      idNumber: Nullable(Type.String()), mobile: Nullable(Type.String()), tags: Type.Array(TagRef), partyMemberType: Nullable(Type.String()),
    })),
  })),
  visits: Type.Array(Type.Ref('ArchiveVisit')),
});
export type RoomPageT = Static<typeof RoomPage>;

export const PersonQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 60, description: '姓名片段、拼音首字母（zs）或全拼（zhangsan）、地址（3幢2单元501 / 3-2-501）、完整的 18 位身份证号或 11 位手机号、姓名加手机号后四位（张 5678）；号码片段（≥4 位）仅限 people:unmask 且须填 reason' })),
  reason: Type.Optional(Type.String({ maxLength: 200, description: '按号码片段查询的事由（5–200 字），记入审计' })),
  scopeCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{1,40}$', description: '限定在某个区域节点之下' })),
  tag: Type.Optional(Type.String({ maxLength: 40 })),
  memberType: Type.Optional(literals(memberTypes)),
  relation: Type.Optional(literals(relations)),
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
  ...ListQuery,
});
export type PersonQueryT = Static<typeof PersonQuery>;

export const PersonItem = Type.Object({
  id: Type.Integer(), name: Nullable(Type.String()), gender: Nullable(Type.String()), age: Nullable(Type.Integer()),
  idNumber: Nullable(Type.String()), mobile: Nullable(Type.String()), address: Nullable(Type.String({ description: '室号脱敏' })),
  communityCode: Nullable(Type.String()), communityName: Nullable(Type.String()), compoundName: Nullable(Type.String()),
  buildingCode: Nullable(Type.String()), relation: Nullable(Type.String()), tags: Type.Array(TagRef), partyMemberType: Nullable(Type.String()),
}, { $id: 'ArchivePersonItem' });
export type PersonItemT = Static<typeof PersonItem>;

export const PersonDetail = Type.Object({
  id: Type.Integer(), name: Nullable(Type.String()), gender: Nullable(Type.String()), age: Nullable(Type.Integer()),
  idNumber: Nullable(Type.String()), mobile: Nullable(Type.String()),
  residences: Type.Array(Type.Object({ address: Nullable(Type.String()), relation: Type.String(), movedIn: Type.String(), movedOut: Nullable(Type.String()) })),
  tags: Type.Array(TagRef),
  partyMember: Nullable(Type.Object({ type: Type.String(), orgName: Nullable(Type.String()), workUnit: Nullable(Type.String()) })),
});
export type PersonDetailT = Static<typeof PersonDetail>;

export const UnmaskBody = Type.Object({
  reason: Type.String({ minLength: 5, maxLength: 200, description: '查看原文的事由（5–200 字）' }),
  fields: Type.Array(literals(unmaskFields), { minItems: 1, maxItems: 4, uniqueItems: true }),
}, { additionalProperties: false });
export type UnmaskBodyT = Static<typeof UnmaskBody>;

export const UnmaskResult = Type.Object({
  id: Type.Integer(), name: Type.Optional(Nullable(Type.String())), idNumber: Type.Optional(Nullable(Type.String())),
  mobile: Type.Optional(Nullable(Type.String())), address: Type.Optional(Nullable(Type.String())),
});
export type UnmaskResultT = Static<typeof UnmaskResult>;

export const CreateVisitBody = Type.Object({
  roomCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }),
  householdId: Type.Optional(Id()),
  kind: Type.Optional(literals(visitKinds)),
  note: Type.String({ minLength: 1, maxLength: 2000 }),
}, { additionalProperties: false });
export type CreateVisitBodyT = Static<typeof CreateVisitBody>;

export const HouseholdQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 60, description: '地址（3幢2单元501）或户主姓名片段/拼音' })),
  due: Type.Optional(Type.Boolean({ description: 'true：只列出待走访的家庭（有需关爱的居民，30 天内未走访）' })),
  ...ListQuery,
});

export const HouseholdItem = Type.Object({
  id: Type.Integer(), roomCode: Type.String(), label: Type.String(), headName: Nullable(Type.String()), residents: Type.Integer(),
  tags: Type.Array(TagRef), lastVisitAt: Nullable(Type.String({ format: 'date-time' })),
});
export type HouseholdItemT = Static<typeof HouseholdItem>;

export const TagItem = Type.Object({ code: Type.String(), name: Type.String(), category: Type.String(), sensitive: Type.Boolean() });
