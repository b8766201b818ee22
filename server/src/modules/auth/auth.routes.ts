import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { authOf } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import { SESSION_COOKIE, revokeSession, sessionMaxHoursFor } from '../../platform/auth/session.js';
import { decodeCursor, errorResponses, ListOf, ListQuery, page } from '../../platform/schema.js';
import { changePassword, logIn, logOut, presentSessionUser } from './auth.service.js';
import { confirmTotp, enrollTotp } from './totp.service.js';
import {
  LoginBody, LoginLogItem, LoginResponse, PasswordBody, TotpConfirmBody, TotpConfirmResponse, TotpEnrollResponse,
} from './auth.schema.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: config.cookieSecure };

  app.post('/api/v1/auth/login', {
    config: { public: true },
    schema: { tags: ['auth'], security: [], summary: '登录', body: LoginBody,
      description: '用户已开启两步验证时，只给用户名和密码答 200 `{totpRequired:true}`（不建会话），须在同一接口再提交 `totp`。'
        + '失败次数按账号（无论是否存在）、按 IP、按全局计算：账号锁定答 423 LOCKED，IP 或全局限流答 429 RATE_LIMITED，均带 Retry-After。',
      response: { 200: LoginResponse, 400: Type.Ref('ErrorResponse'), 401: Type.Ref('ErrorResponse'), 423: Type.Ref('ErrorResponse'),
        429: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const kind = request.body.client === 'api' ? 'api' : 'web';
    const { username, password, totp } = request.body;
    let result;
    try {
      result = await logIn(db, config, { username, password, totp }, kind, request.meta);
    } catch (err) {
      const retryAfter = err instanceof AppError ? err.options.details?.retryAfter : undefined;
      if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
      throw err;
    }
    if ('totpRequired' in result) return { totpRequired: true as const };
    const { token, auth } = result;
    if (kind === 'web') reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: sessionMaxHoursFor(config, auth.permissions) * 3600 });
    return { token, user: presentSessionUser(auth) };
  });

  app.post('/api/v1/auth/totp/enroll', {
    config: { allowTotpEnrollment: true, secretResponse: true },
    schema: { tags: ['auth'], summary: '开始设置两步验证（返回密钥与二维码，只此一次）', response: { 200: TotpEnrollResponse, ...errorResponses } },
  }, async (request) => enrollTotp(db, config, authOf(request), request.meta));

  app.post('/api/v1/auth/totp/confirm', {
    config: { allowTotpEnrollment: true, secretResponse: true },
    schema: { tags: ['auth'], summary: '用验证码确认并开启两步验证（返回一次性恢复码，只显示这一次）', body: TotpConfirmBody,
      response: { 200: TotpConfirmResponse, ...errorResponses } },
  }, async (request) => confirmTotp(db, config, authOf(request), request.body.code, request.meta));

  app.post('/api/v1/auth/logout', {
    config: { allowPasswordChange: true, allowTotpEnrollment: true },
    schema: { tags: ['auth'], summary: '退出登录', response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const auth = authOf(request);
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies[SESSION_COOKIE];
    if (token) await revokeSession(db, token);
    await logOut(db, auth, request.meta);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { allowPasswordChange: true, allowTotpEnrollment: true },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: Type.Object({ user: Type.Ref('SessionUser') }), ...errorResponses } },
  }, async (request) => ({ user: presentSessionUser(authOf(request)) }));

  app.post('/api/v1/auth/password', {
    config: { allowPasswordChange: true, allowTotpEnrollment: true },
    schema: { tags: ['auth'], summary: '修改本人密码', body: PasswordBody, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    const header = request.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : request.cookies[SESSION_COOKIE];
    await changePassword(db, authOf(request), request.body.oldPassword, request.body.newPassword, request.meta, token);
    return reply.code(204).send(null);
  });

  app.get('/api/v1/auth/login-log', {
    config: { permission: 'audit:read' },
    schema: {
      tags: ['auth'], summary: '登录日志',
      querystring: Type.Object({ username: Type.Optional(Type.String({ maxLength: 64 })), ...ListQuery }),
      response: { 200: ListOf(LoginLogItem), ...errorResponses },
    },
  }, async (request) => {
    const limit = request.query.limit ?? 20;
    const after = decodeCursor(request.query.cursor, ['id']);
    let q = db.selectFrom('login_log').selectAll().orderBy('id', 'desc').limit(limit + 1);
    if (request.query.username) q = q.where('username', '=', request.query.username.toLowerCase());
    if (after) q = q.where('id', '<', Number(after[0]));
    // Login events of users outside the caller's scope are theirs to see only with scope 'all'.
    const auth = authOf(request);
    if (auth.scope.kind !== 'all') q = q.where(sql<boolean>`false`);
    const rows = await q.execute();
    const result = page(rows, limit, (r) => [r.id]);
    return {
      nextCursor: result.nextCursor,
      items: result.items.map((r) => ({ id: r.id, at: r.at.toISOString(), username: r.username, outcome: r.outcome, ip: r.ip, userAgent: r.user_agent })),
    };
  });
};
