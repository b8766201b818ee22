import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery } from '../../platform/schema.js';
import * as archive from './archive.service.js';
import {
  BuildingPage, CodeParam, CompoundPage, Counts, CreateVisitBody, HouseholdItem, HouseholdQuery, NodeCounts, PersonDetail, PersonIdParam,
  PersonItem, PersonQuery, RoomPage, TagItem, UnmaskBody, UnmaskResult, Visit,
} from './archive.schema.js';

/** Residents' archive (C8). Every response is masked; raw values only through the audited unmask route. */
export const archiveRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  app.addSchema(Counts);
  app.addSchema(Visit);
  app.addSchema(PersonItem);
  const read = { permission: 'people:read' };
  const tags = ['archive'];
  const rateLimited = { 429: Type.Ref('ErrorResponse') };

  app.get('/api/v1/archive/compounds/:code', {
    // archive:compound: every holder of people:read, and the property company at its compounds (no person then)
    config: { permission: 'archive:compound' },
    schema: { tags, summary: '小区一张图：楼幢（含统计）、三方、岗位、统计（只有 archive:compound 而无 people:read 时：不含人员与关注标签）', params: CodeParam, response: { 200: CompoundPage, ...errorResponses } },
  }, async (request) => archive.getCompound(db, authOf(request), request.params.code));

  app.get('/api/v1/archive/counts/:code', {
    config: read,
    schema: { tags, summary: '任一区域节点的户数、人数、党员、关注人员统计（由记录实时统计）', params: CodeParam, response: { 200: NodeCounts, ...errorResponses } },
  }, async (request) => archive.getCounts(db, authOf(request), request.params.code));

  app.get('/api/v1/archive/buildings/:code', {
    config: read,
    schema: { tags, summary: '楼幢：单元 → 户（含户数、人数、党员、标签）', params: CodeParam, response: { 200: BuildingPage, ...errorResponses } },
  }, async (request) => archive.getBuilding(db, authOf(request), request.params.code));

  app.get('/api/v1/archive/rooms/:code', {
    config: read,
    schema: { tags, summary: '户：家庭与人员（脱敏）、走访', params: CodeParam, response: { 200: RoomPage, ...errorResponses } },
  }, async (request) => archive.getRoom(db, authOf(request), request.params.code));

  app.get('/api/v1/archive/rooms/:code/visits', {
    config: read,
    schema: { tags, summary: '户的走访记录', params: CodeParam, querystring: Type.Object(ListQuery),
      response: { 200: ListOf(Type.Ref('ArchiveVisit')), ...errorResponses } },
  }, async (request) => archive.listVisits(db, authOf(request), request.params.code, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['timestamp', 'id'])));

  app.get('/api/v1/archive/persons', {
    config: read,
    schema: { tags, summary: '人员查询（姓名、拼音、地址、完整证件号/手机号、姓名+手机后四位；号码片段需 people:unmask 与事由，留痕并计入查看原文次数；format=xlsx 导出，均脱敏；限频）', querystring: PersonQuery,
      response: { 200: ListOf(Type.Ref('ArchivePersonItem')), ...errorResponses, ...rateLimited } },
  }, async (request, reply) => {
    const auth = authOf(request);
    if (request.query.format === 'xlsx') {
      const file = await archive.exportPersons(db, auth, request.query, request.meta, config);
      return reply.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('人员名单.xlsx')}`).send(file);
    }
    return archive.searchPersons(db, auth, request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id']), request.meta, config);
  });

  app.get('/api/v1/archive/persons/:id', {
    config: read,
    schema: { tags, summary: '人员详情（脱敏）', params: PersonIdParam, response: { 200: PersonDetail, ...errorResponses } },
  }, async (request) => archive.getPerson(db, authOf(request), request.params.id));

  app.post('/api/v1/archive/persons/:id/unmask', {
    config: { permission: 'people:unmask', secretResponse: true },
    schema: { tags, summary: '查看原文（需 people:unmask 与事由；限频；留痕审计）', params: PersonIdParam, body: UnmaskBody,
      response: { 200: UnmaskResult, ...errorResponses, ...rateLimited } },
  }, async (request) => archive.unmaskPerson(db, authOf(request), request.params.id, request.body, request.meta, config.unmaskPerHour));

  app.post('/api/v1/archive/visits', {
    config: { permission: 'visit:write' },
    schema: { tags, summary: '记录走访', body: CreateVisitBody, response: { 201: Type.Ref('ArchiveVisit'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await archive.createVisit(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/archive/households', {
    config: read,
    schema: { tags, summary: '本人范围内的家庭（网格员：提户知人）', querystring: HouseholdQuery, response: { 200: ListOf(HouseholdItem), ...errorResponses, ...rateLimited } },
  }, async (request) => archive.searchHouseholds(db, authOf(request), request.query.q, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id']),
    request.meta, config, request.query.due === true));

  app.get('/api/v1/archive/tags', {
    config: read,
    schema: { tags, summary: '关注标签字典', response: { 200: Type.Object({ items: Type.Array(TagItem) }), ...errorResponses } },
  }, async (request) => archive.listTags(db, authOf(request)));
};
