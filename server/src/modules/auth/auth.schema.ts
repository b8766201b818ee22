import { Type, type Static } from '@sinclair/typebox';

export const Scope = Type.Object({
  kind: Type.Union([Type.Literal('all'), Type.Literal('subtree'), Type.Literal('node'), Type.Literal('custom'), Type.Literal('self')]),
  codes: Type.Array(Type.String()),
});

export const SessionUser = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  roleNames: Type.Array(Type.String()),
  permissions: Type.Array(Type.String()),
  scope: Scope,
  orgCode: Type.Union([Type.String(), Type.Null()]),
  gridWorker: Type.Boolean({ description: '网格员：持有 case:handle 且数据范围在网格或以下（街道、区持有该权限只为授予他人）' }),
  mustChangePassword: Type.Boolean(),
}, { $id: 'SessionUser' });
export type SessionUserT = Static<typeof SessionUser>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('api')], { description: 'api: no cookie, bearer token only' })),
}, { additionalProperties: false });

export const LoginResponse = Type.Object({ token: Type.String(), user: Type.Ref('SessionUser') });

export const PasswordBody = Type.Object({
  oldPassword: Type.String({ minLength: 1, maxLength: 128 }),
  newPassword: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false });

export const LoginLogItem = Type.Object({
  id: Type.Integer(), at: Type.String({ format: 'date-time' }), username: Type.String(), outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]), userAgent: Type.Union([Type.String(), Type.Null()]),
});
