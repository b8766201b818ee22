import { Type, type Static } from '@sinclair/typebox';
import { Id } from '../../platform/schema.js';

export const ScopeKindT = Type.Union([Type.Literal('all'), Type.Literal('subtree'), Type.Literal('node'), Type.Literal('custom'), Type.Literal('self')]);

export const UserItem = Type.Object({
  id: Type.Integer(), username: Type.String(), displayName: Type.String(),
  roles: Type.Array(Type.String()), roleNames: Type.Array(Type.String()),
  scope: Type.Object({ kind: Type.String(), codes: Type.Array(Type.String()), names: Type.Array(Type.String()) }),
  orgCode: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(), mustChangePassword: Type.Boolean(), totpEnabled: Type.Boolean({ description: '已开启两步验证' }),
  lockedUntil: Type.Union([Type.String(), Type.Null()]), lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  mobile: Type.Union([Type.String(), Type.Null()], { description: '脱敏' }),
}, { $id: 'UserItem' });
export type UserItemT = Static<typeof UserItem>;

export const UserIdParam = Type.Object({ id: Id() });

export const CreateUserBody = Type.Object({
  username: Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{2,63}$', description: '小写字母、数字、点、下划线、连字符，3–64 位' }),
  displayName: Type.String({ minLength: 1, maxLength: 50 }),
  roles: Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 10 }),
  scopeKind: ScopeKindT,
  scopeCodes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
  orgCode: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  mobile: Type.Optional(Type.Union([Type.String({ pattern: '^1[3-9][0-9]{9}$' }), Type.Null()])),
}, { additionalProperties: false });
export type CreateUserBodyT = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object({
  displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  roles: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { minItems: 1, maxItems: 10 })),
  scopeKind: Type.Optional(ScopeKindT),
  scopeCodes: Type.Optional(Type.Array(Type.String({ maxLength: 40 }), { maxItems: 50 })),
  orgCode: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  mobile: Type.Optional(Type.Union([Type.String({ pattern: '^1[3-9][0-9]{9}$' }), Type.Null()])),
  status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
}, { additionalProperties: false });
export type UpdateUserBodyT = Static<typeof UpdateUserBody>;

export const RoleItem = Type.Object({
  code: Type.String(), name: Type.String(), description: Type.String(), permissions: Type.Array(Type.String()), defaultScope: Type.String(),
});
