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
  totpEnabled: Type.Boolean({ description: '已开启两步验证（登录时需动态验证码）' }),
  totpEnrollmentRequired: Type.Boolean({ description: '权限较高的账号尚未开启两步验证（非演示模式）：须先开启，其他接口答 403 TOTP_ENROLLMENT_REQUIRED' }),
}, { $id: 'SessionUser' });
export type SessionUserT = Static<typeof SessionUser>;

export const LoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 128 }),
  totp: Type.Optional(Type.String({ maxLength: 32, description: '动态验证码（6 位数字），或一个恢复码（xxxx-xxxx-xxxx，每个只能用一次）' })),
  client: Type.Optional(Type.Union([Type.Literal('web'), Type.Literal('api')], { description: 'api: no cookie, bearer token only' })),
}, { additionalProperties: false });

export const LoginResponse = Type.Union([
  Type.Object({ token: Type.String(), user: Type.Ref('SessionUser') }),
  Type.Object({ totpRequired: Type.Literal(true, { description: '密码正确，请在同一请求中再提交 totp' }) }),
]);

export const TotpEnrollResponse = Type.Object({
  otpauthUri: Type.String({ description: 'otpauth://totp/… 供验证器 App 扫码' }),
  secret: Type.String({ description: 'Base32 密钥，供手动输入；只在此返回一次' }),
  qrCode: Type.String({ description: '二维码图片（data:image/svg+xml 的 data URL）' }),
});

export const TotpConfirmBody = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 12, description: '验证器上当前显示的 6 位数字' }),
}, { additionalProperties: false });

export const TotpConfirmResponse = Type.Object({
  recoveryCodes: Type.Array(Type.String(), { description: '10 个一次性恢复码，只显示这一次' }),
});

export const PasswordBody = Type.Object({
  oldPassword: Type.String({ minLength: 1, maxLength: 128 }),
  newPassword: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false });

export const LoginLogItem = Type.Object({
  id: Type.Integer(), at: Type.String({ format: 'date-time' }), username: Type.String(), outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]), userAgent: Type.Union([Type.String(), Type.Null()]),
});
