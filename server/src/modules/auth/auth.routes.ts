import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { authOf } from '../../platform/http.js';
import { SESSION_COOKIE, revokeSession } from '../../platform/auth/session.js';
import { decodeCursor, errorResponses, ListOf, ListQuery, page } from '../../platform/schema.js';
import { changePassword, logIn, logOut, presentSessionUser } from './auth.service.js';
import { LoginBody, LoginLogItem, LoginResponse, PasswordBody } from './auth.schema.js';

export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  const cookieOptions = { httpOnly: true, sameSite: 'lax' as const, path: '/', secure: config.cookieSecure };

  app.post('/api/v1/auth/login', {
    config: { public: true },
    schema: { tags: ['auth'], security: [], summary: '登录', body: LoginBody,
      response: { 200: LoginResponse, 400: Type.Ref('ErrorResponse'), 401: Type.Ref('ErrorResponse'), 423: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const kind = request.body.client === 'api' ? 'api' : 'web';
    const { token, auth } = await logIn(db, config, request.body.username, request.body.password, kind, request.meta);
    if (kind === 'web') reply.setCookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: config.sessionMaxHours * 3600 });
    return { token, user: presentSessionUser(auth) };
  });

  app.post('/api/v1/auth/logout', {
    config: { allowPasswordChange: true },
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
    config: { allowPasswordChange: true },
    schema: { tags: ['auth'], summary: '当前用户', response: { 200: Type.Object({ user: Type.Ref('SessionUser') }), ...errorResponses } },
  }, async (request) => ({ user: presentSessionUser(authOf(request)) }));

  app.post('/api/v1/auth/password', {
    config: { allowPasswordChange: true },
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
