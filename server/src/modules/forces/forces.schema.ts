/** Forces register (力量图谱, C3.1–C3.2): TypeBox schemas for input and output. Personal fields are masked. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, ListQuery, Nullable } from '../../platform/schema.js';

const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const forceKinds = ['in_service_member', 'volunteer', 'craftsman', 'professional', 'department_staff'] as const;
export const forceStatuses = ['active', 'paused', 'left'] as const;
export const resourceKinds = ['venue', 'funds', 'equipment', 'service'] as const;
export const resourceStatuses = ['available', 'in_use', 'withdrawn'] as const;
export const teamKinds = ['volunteer', 'governance', 'club'] as const;
export const periods = ['morning', 'afternoon', 'evening'] as const;

const Code = Type.String({ pattern: '^[0-9A-Z]{1,40}$' });
export const IdParam = Type.Object({ id: Id() });
export const TeamMemberParam = Type.Object({ id: Id(), forceId: Id() });

/** When a person can serve: days of the week (1 = Monday … 7 = Sunday) and parts of the day. */
export const Availability = Type.Object({
  days: Type.Optional(Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { maxItems: 7, uniqueItems: true })),
  periods: Type.Optional(Type.Array(literals(periods), { maxItems: 3, uniqueItems: true })),
  note: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false, $id: 'ForceAvailability' });
export type AvailabilityT = Static<typeof Availability>;

export const SkillList = Type.Object({ items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), category: Type.String() })) });
export const PostKindList = Type.Object({
  items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), skills: Type.Array(Type.String()) })),
});

const Point = Type.Object({ lng: Type.Number({ minimum: -180, maximum: 180 }), lat: Type.Number({ minimum: -90, maximum: 90 }) });

export const ForcePerson = Type.Object({
  id: Type.Integer(), personId: Type.Integer(), userId: Nullable(Type.Integer()),
  name: Nullable(Type.String({ description: '脱敏' })), mobile: Nullable(Type.String({ description: '脱敏' })),
  kind: Type.String(), communityCode: Type.String(), communityName: Type.String(),
  homeCode: Nullable(Type.String()), homeAddress: Nullable(Type.String({ description: '室号脱敏' })), home: Nullable(Point),
  microGridCode: Nullable(Type.String()), microGridName: Nullable(Type.String()),
  skills: Type.Array(Type.String()), availability: Type.Ref('ForceAvailability'), status: Type.String(), openLoad: Type.Integer(),
  contacts: Type.Integer({ description: '党群联系户数（1:8）' }), createdAt: Type.String({ format: 'date-time' }),
}, { $id: 'ForcePerson' });
export type ForcePersonT = Static<typeof ForcePerson>;

export const PersonQuery = Type.Object({
  communityCode: Type.Optional(Code), scopeCode: Type.Optional(Code),
  kind: Type.Optional(literals(forceKinds)), skill: Type.Optional(Type.String({ maxLength: 40 })),
  status: Type.Optional(literals(forceStatuses)),
  q: Type.Optional(Type.String({ maxLength: 40, description: '姓名片段或拼音、完整的 11 位手机号或 18 位身份证号、姓名加手机号后四位（张 5678）；号码片段仅限 people:unmask 且须填 reason' })),
  reason: Type.Optional(Type.String({ maxLength: 200, description: '按号码片段查询的事由（5–200 字），记入审计' })),
  format: Type.Optional(literals(['json', 'xlsx'] as const)),
  ...ListQuery,
});
export type PersonQueryT = Static<typeof PersonQuery>;

export const CreatePersonBody = Type.Object({
  personId: Id({ description: '档案人员 ID（在本人数据范围内）' }),
  kind: literals(['volunteer', 'craftsman', 'professional', 'department_staff'] as const),
  communityCode: Type.Optional(Code),
  skills: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, uniqueItems: true })),
  availability: Type.Optional(Type.Ref('ForceAvailability')),
}, { additionalProperties: false });
export type CreatePersonBodyT = Static<typeof CreatePersonBody>;

export const UpdatePersonBody = Type.Object({
  skills: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 20, uniqueItems: true })),
  availability: Type.Optional(Type.Ref('ForceAvailability')),
  status: Type.Optional(literals(forceStatuses)),
}, { additionalProperties: false, minProperties: 1 });
export type UpdatePersonBodyT = Static<typeof UpdatePersonBody>;

export const Resource = Type.Object({
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), kind: Type.String(), name: Type.String(),
  description: Type.String(), providerOrg: Nullable(Type.String()), providerOrgName: Nullable(Type.String()), providerName: Nullable(Type.String()),
  quantity: Nullable(Type.Number()), unit: Nullable(Type.String()), location: Nullable(Point), availableNote: Nullable(Type.String()),
  status: Type.String(), createdAt: Type.String({ format: 'date-time' }),
});
export type ResourceT = Static<typeof Resource>;

export const ResourceQuery = Type.Object({
  communityCode: Type.Optional(Code), kind: Type.Optional(literals(resourceKinds)), status: Type.Optional(literals(resourceStatuses)),
  ...ListQuery,
});
export type ResourceQueryT = Static<typeof ResourceQuery>;

const resourceFields = {
  kind: literals(resourceKinds),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  providerOrg: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  providerName: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  quantity: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 1e9 }))),
  unit: Type.Optional(Nullable(Type.String({ maxLength: 20 }))),
  location: Type.Optional(Nullable(Point)),
  availableNote: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
};
export const CreateResourceBody = Type.Object({ communityCode: Code, ...resourceFields }, { additionalProperties: false });
export type CreateResourceBodyT = Static<typeof CreateResourceBody>;
export const UpdateResourceBody = Type.Partial(Type.Object({ ...resourceFields, status: literals(resourceStatuses) }), { additionalProperties: false, minProperties: 1 });
export type UpdateResourceBodyT = Static<typeof UpdateResourceBody>;

const TeamMember = Type.Object({
  forceId: Type.Integer(), name: Nullable(Type.String()), kind: Type.String(), role: Type.String(), joinedOn: Type.String(), skills: Type.Array(Type.String()),
});
export const Team = Type.Object({
  id: Type.Integer(), communityCode: Type.String(), communityName: Type.String(), kind: Type.String(), name: Type.String(), description: Type.String(),
  leaderId: Nullable(Type.Integer()), leaderName: Nullable(Type.String()), members: Type.Integer(), createdAt: Type.String({ format: 'date-time' }),
});
export type TeamT = Static<typeof Team>;
export const TeamDetail = Type.Composite([Team, Type.Object({ memberList: Type.Array(TeamMember) })]);
export type TeamDetailT = Static<typeof TeamDetail>;
export const TeamQuery = Type.Object({ communityCode: Type.Optional(Code), kind: Type.Optional(literals(teamKinds)), ...ListQuery });
export const CreateTeamBody = Type.Object({
  communityCode: Code, kind: literals(teamKinds), name: Type.String({ minLength: 1, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type CreateTeamBodyT = Static<typeof CreateTeamBody>;
export const UpdateTeamBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), description: Type.Optional(Type.String({ maxLength: 2000 })),
  kind: Type.Optional(literals(teamKinds)),
}, { additionalProperties: false, minProperties: 1 });
export type UpdateTeamBodyT = Static<typeof UpdateTeamBody>;
export const AddMemberBody = Type.Object({
  forceId: Id(), role: Type.Optional(literals(['leader', 'member'] as const)),
}, { additionalProperties: false });
export type AddMemberBodyT = Static<typeof AddMemberBody>;

export const Contact = Type.Object({
  id: Type.Integer(), forceId: Type.Integer(), householdId: Type.Integer(), slot: Type.Integer(), since: Type.String(), until: Nullable(Type.String()),
  roomCode: Type.String(), label: Type.String({ description: '小区 楼幢单元 ***室' }), headName: Nullable(Type.String()), residents: Type.Integer(),
});
export type ContactT = Static<typeof Contact>;
export const AssignContactBody = Type.Object({ forceId: Id(), householdId: Id() }, { additionalProperties: false });
export type AssignContactBodyT = Static<typeof AssignContactBody>;
export const AutoAssignBody = Type.Object({ communityCode: Code }, { additionalProperties: false });
export const AutoAssignResult = Type.Object({
  communityCode: Type.String(), assigned: Type.Integer(), members: Type.Integer({ description: '分到联系户的党员数' }),
  unassigned: Type.Integer({ description: '仍未分配的户数（党员联系名额已满）' }),
});
export const ContactSummary = Type.Object({
  communityCode: Type.String(), households: Type.Integer(), covered: Type.Integer(), members: Type.Integer(), freeSlots: Type.Integer(),
});
