import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery } from '../../platform/schema.js';
import * as users from './users.service.js';
import { CreateUserBody, RoleItem, UpdateUserBody, UserIdParam, UserItem } from './users.schema.js';

export const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(UserItem);
  const read = { permission: 'user:read' };
  const write = { permission: 'user:write' };
  const tags = ['users'];

  app.get('/api/v1/users', {
    config: read,
    schema: { tags, summary: '用户列表（本人管理范围内）',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })), role: Type.Optional(Type.String({ maxLength: 40 })), ...ListQuery }),
      response: { 200: ListOf(Type.Ref('UserItem')), ...errorResponses } },
  }, async (request) => users.listUsers(db, authOf(request), { q: request.query.q, role: request.query.role }, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/users/:id', {
    config: read,
    schema: { tags, summary: '用户详情', params: UserIdParam, response: { 200: Type.Ref('UserItem'), ...errorResponses } },
  }, async (request) => users.getUser(db, authOf(request), request.params.id));

  app.post('/api/v1/users', {
    config: { ...write, secretResponse: true },
    schema: { tags, summary: '新增用户（返回一次性初始密码）', body: CreateUserBody,
      response: { 201: Type.Object({ user: Type.Ref('UserItem'), initialPassword: Type.String() }), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await users.createUser(db, authOf(request), request.body, request.meta)));

  app.patch('/api/v1/users/:id', {
    config: write,
    schema: { tags, summary: '修改用户（角色、数据范围、状态）', params: UserIdParam, body: UpdateUserBody, response: { 200: Type.Ref('UserItem'), ...errorResponses } },
  }, async (request) => users.updateUser(db, authOf(request), request.params.id, request.body, request.meta));

  app.post('/api/v1/users/:id/reset-password', {
    config: { ...write, secretResponse: true },
    schema: { tags, summary: '重置密码（返回一次性初始密码）', params: UserIdParam, response: { 200: Type.Object({ initialPassword: Type.String() }), ...errorResponses } },
  }, async (request) => users.resetPassword(db, authOf(request), request.params.id, request.meta));

  app.post('/api/v1/users/:id/unlock', {
    config: write,
    schema: { tags, summary: '解除锁定', params: UserIdParam, response: { 200: Type.Ref('UserItem'), ...errorResponses } },
  }, async (request) => users.unlockUser(db, authOf(request), request.params.id, request.meta));

  app.post('/api/v1/users/:id/reset-totp', {
    config: write,
    schema: { tags, summary: '重置两步验证（手机丢失时；该用户须重新设置）', params: UserIdParam, response: { 200: Type.Ref('UserItem'), ...errorResponses } },
  }, async (request) => users.resetTotp(db, authOf(request), request.params.id, request.meta));

  app.get('/api/v1/roles', {
    config: read,
    schema: { tags, summary: '角色与权限', response: { 200: Type.Object({ items: Type.Array(RoleItem) }), ...errorResponses } },
  }, async () => users.listRoles(db));
};
