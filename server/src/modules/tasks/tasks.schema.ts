/** Tasks with limited slots and emergency mobilisation calls (应急式报到, C4.4): TypeBox schemas for input and output. */
import { Type, type Static } from '@sinclair/typebox';
import { GeoJsonGeometry, Id, ListQuery, Nullable } from '../../platform/schema.js';

export const taskSizes = ['micro', 'project', 'activity'] as const;
export const taskStatuses = ['open', 'closed', 'cancelled'] as const;
const literals = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

export const IdParam = Type.Object({ id: Id({ description: '记录 ID' }) });
export const ClaimParams = Type.Object({ id: Id(), claimId: Id() });

const skillCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,39}$' });
const TaskFields = {
  title: Type.String({ minLength: 2, maxLength: 100 }),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
  size: Type.Optional(literals(taskSizes)),
  capacity: Type.Integer({ minimum: 1, maximum: 100000, description: '名额' }),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  location: Type.Optional(Nullable(GeoJsonGeometry)),
  skills: Type.Optional(Type.Array(skillCode, { maxItems: 10 })),
  hourCap: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24, description: '本任务可记服务时长上限（小时）' })),
};

export const CreateTaskBody = Type.Object({
  ...TaskFields,
  size: literals(taskSizes),
  scopeCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$', description: '发布范围（区域节点编码）' }),
  emergency: Type.Optional(Type.Boolean()),
  callId: Type.Optional(Id({ description: '归属的召集令' })),
}, { additionalProperties: false });
export type CreateTaskBodyT = Static<typeof CreateTaskBody>;

const CallTask = Type.Object(TaskFields, { additionalProperties: false });
export type CallTaskT = Static<typeof CallTask>;

export const CreateCallBody = Type.Object({
  title: Type.String({ minLength: 2, maxLength: 100 }),
  message: Type.String({ maxLength: 2000 }),
  scopeCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }),
  tasks: Type.Array(CallTask, { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false });
export type CreateCallBodyT = Static<typeof CreateCallBody>;

export const ClaimBody = Type.Object({
  teamId: Type.Optional(Id({ description: '以队伍名义认领' })),
  memberIds: Type.Optional(Type.Array(Id(), { minItems: 1, maxItems: 200, uniqueItems: true,
    description: '队长为队员认领（力量库 ID），一人一个名额，全部成功或全部不成功' })),
}, { additionalProperties: false });
export type ClaimBodyT = Static<typeof ClaimBody>;

export const DoneBody = Type.Object({
  hours: Type.Number({ exclusiveMinimum: 0, maximum: 24 }),
  evidence: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 9, description: '照片（POST /api/v1/files 返回的 ID）' })),
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });
export type DoneBodyT = Static<typeof DoneBody>;

export const TaskQuery = Type.Object({
  ...ListQuery,
  status: Type.Optional(literals(taskStatuses)),
  callId: Type.Optional(Id()),
  q: Type.Optional(Type.String({ maxLength: 50 })),
  mine: Type.Optional(Type.Boolean({ description: '党员：只看我认领的任务' })),
});
export type TaskQueryT = Static<typeof TaskQuery>;

export const Task = Type.Object({
  id: Type.Integer(), callId: Nullable(Type.Integer()), title: Type.String(), description: Type.String(),
  size: Type.String(), scopeCode: Type.String(), scopeName: Type.String(),
  skills: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  location: Nullable(GeoJsonGeometry), capacity: Type.Integer(), claimed: Type.Integer(),
  startsAt: Type.String({ format: 'date-time' }), endsAt: Type.String({ format: 'date-time' }), hourCap: Type.Number(),
  emergency: Type.Boolean(), status: Type.String({ description: 'open 进行中 / closed 已结束 / cancelled 已取消' }),
  createdAt: Type.String({ format: 'date-time' }),
  distanceMeters: Type.Optional(Nullable(Type.Number({ description: '党员查看时：离家距离' }))),
  myClaim: Type.Optional(Nullable(Type.Object({
    id: Type.Integer(), status: Type.String(), teamId: Nullable(Type.Integer()),
    checkedInAt: Nullable(Type.String({ format: 'date-time', description: '签到时间（选填，从不作为条件）' })),
    checkedOutAt: Nullable(Type.String({ format: 'date-time', description: '签退时间（选填）' })),
    suggestedHours: Nullable(Type.Number({ description: '按签到签退时间建议的时长（仅作默认值，不超过上限）' })),
  }))),
}, { $id: 'ServiceTask' });
export type TaskT = Static<typeof Task>;

export const Claim = Type.Object({
  id: Type.Integer(), taskId: Type.Integer(), forceId: Type.Integer(), teamId: Nullable(Type.Integer()), status: Type.String(),
  claimed: Type.Integer({ description: '认领后任务已占名额' }), capacity: Type.Integer(),
  claims: Type.Optional(Type.Array(Type.Object({ id: Type.Integer(), forceId: Type.Integer() }), { description: '队长为队员认领时的全部认领' })),
});
export type ClaimT = Static<typeof Claim>;

export const ClaimItem = Type.Object({
  id: Type.Integer(), forceId: Type.Integer(), name: Nullable(Type.String({ description: '脱敏' })), teamId: Nullable(Type.Integer()),
  teamName: Nullable(Type.String()), status: Type.String(), claimedAt: Type.String({ format: 'date-time' }),
  doneAt: Nullable(Type.String({ format: 'date-time' })),
  checkedInAt: Nullable(Type.String({ format: 'date-time', description: '签到（选填）' })), checkedOutAt: Nullable(Type.String({ format: 'date-time', description: '签退（选填）' })),
});
export type ClaimItemT = Static<typeof ClaimItem>;

/** The member's optional check-in and check-out on their claimed slot. */
export const Attendance = Type.Object({
  claimId: Type.Integer(), taskId: Type.Integer(),
  checkedInAt: Nullable(Type.String({ format: 'date-time' })), checkedOutAt: Nullable(Type.String({ format: 'date-time' })),
  suggestedHours: Nullable(Type.Number({ description: '签到到签退的时长（按半小时取整，不超过任务上限），仅作报告完成时的默认值' })),
});
export type AttendanceT = Static<typeof Attendance>;

export const DoneResult = Type.Object({
  claimId: Type.Integer(), recordId: Type.Integer(), hours: Type.Number(), status: Type.String({ description: '服务记录状态：pending 待组织方确认' }),
});
export type DoneResultT = Static<typeof DoneResult>;

export const CallCounters = Type.Object({
  tasks: Type.Integer(), capacity: Type.Integer(), claimed: Type.Integer(), members: Type.Integer({ description: '响应党员人数' }),
  teams: Type.Integer({ description: '以队伍响应的队伍数' }), done: Type.Integer({ description: '已报告完成的认领' }),
});
export type CallCountersT = Static<typeof CallCounters>;

export const Call = Type.Object({
  id: Type.Integer(), title: Type.String(), message: Type.String(), scopeCode: Type.String(), scopeName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }), closedAt: Nullable(Type.String({ format: 'date-time' })),
  counters: CallCounters,
  tasks: Type.Array(Type.Ref('ServiceTask')),
});
export type CallT = Static<typeof Call>;

export const CallItem = Type.Object({
  id: Type.Integer(), title: Type.String(), message: Type.String(), scopeCode: Type.String(), scopeName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }), closedAt: Nullable(Type.String({ format: 'date-time' })), counters: CallCounters,
});
export type CallItemT = Static<typeof CallItem>;

export const CallQuery = Type.Object({ ...ListQuery, active: Type.Optional(Type.Boolean({ description: '只看未结束的召集' })) });
export type CallQueryT = Static<typeof CallQuery>;
