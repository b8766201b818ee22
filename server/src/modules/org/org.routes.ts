import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery } from '../../platform/schema.js';
import * as org from './org.service.js';
import { AllianceMemberBody, CreateOrgBody, OrgCodeParam, OrgDetail, OrgSummary, UpdateOrgBody } from './org.schema.js';

export const orgRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(OrgSummary);
  app.addSchema(OrgDetail);
  const read = { permission: 'org:read' };
  const write = { permission: 'org:write' };
  const tags = ['org'];

  app.get('/api/v1/org/roots', {
    config: read,
    schema: { tags, summary: '本人数据范围内的顶层党组织', response: { 200: Type.Object({ items: Type.Array(Type.Ref('OrgSummary')) }), ...errorResponses } },
  }, async (request) => org.listRoots(db, authOf(request)));

  app.get('/api/v1/org/nodes/:code', {
    config: read,
    schema: { tags, summary: '党组织详情', params: OrgCodeParam, response: { 200: Type.Ref('OrgDetail'), ...errorResponses } },
  }, async (request) => org.getOrg(db, authOf(request), request.params.code));

  app.get('/api/v1/org/nodes/:code/children', {
    config: read,
    schema: { tags, summary: '下级党组织', params: OrgCodeParam, querystring: Type.Object(ListQuery), response: { 200: ListOf(Type.Ref('OrgSummary')), ...errorResponses } },
  }, async (request) => org.listChildren(db, authOf(request), request.params.code, request.query.limit ?? 50, decodeCursor(request.query.cursor, ['string'])));

  app.post('/api/v1/org/nodes', {
    config: write,
    schema: { tags, summary: '新增党组织', body: CreateOrgBody, response: { 201: Type.Ref('OrgDetail'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await org.createOrg(db, authOf(request), request.body, request.meta)));

  app.patch('/api/v1/org/nodes/:code', {
    config: write,
    schema: { tags, summary: '修改党组织', params: OrgCodeParam, body: UpdateOrgBody, response: { 200: Type.Ref('OrgDetail'), ...errorResponses } },
  }, async (request) => org.updateOrg(db, authOf(request), request.params.code, request.body, request.meta));

  app.post('/api/v1/org/nodes/:code/alliance-members', {
    config: write,
    schema: { tags, summary: '单位党组织加入联盟', params: OrgCodeParam, body: AllianceMemberBody, response: { 201: Type.Ref('OrgDetail'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(
    await org.addAllianceMember(db, authOf(request), request.params.code, request.body.memberCode, request.body.role ?? 'member', request.meta)));

  app.delete('/api/v1/org/nodes/:code/alliance-members/:memberCode', {
    config: write,
    schema: { tags, summary: '单位党组织退出联盟', params: Type.Object({ code: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }), memberCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }) }),
      response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await org.removeAllianceMember(db, authOf(request), request.params.code, request.params.memberCode, request.meta);
    return reply.code(204).send(null);
  });
};
