import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { PRINTABLE_PAGE_CSP } from '../../platform/http-protections.js';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import * as records from './records.service.js';
import {
  CertificateQuery, ConfirmBody, Flag, ForceIdParam, Honour, HonoursQuery, MemberSummary, NegativeItemBody, RateBody, RecordIdParam,
  RecordListQuery, RejectBody, ServiceRecord, TalkBody,
} from './records.schema.js';

/** Service records, multi-party rating, talk flags, honours, member summary and certificate (C4.5). */
export const recordsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(ServiceRecord);
  const tags = ['service-records'];
  const one = { 200: Type.Ref('ServiceRecord'), ...errorResponses };
  const list = { 200: ListOf(Type.Ref('ServiceRecord')), ...errorResponses };
  const html = { 200: Type.String({ description: 'text/html 可打印页面（A4）' }), ...errorResponses };

  app.get('/api/v1/service/records', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '本范围内的服务记录', querystring: RecordListQuery, response: list },
  }, async (request) => records.listRecords(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/records/mine', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '我的服务记录（党员）', querystring: RecordListQuery, response: list },
  }, async (request) => records.listMyRecords(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/records/:id', {
    schema: { tags, summary: '服务记录详情与评价', params: RecordIdParam, response: one },
  }, async (request) => records.getRecord(db, authOf(request), request.params.id));

  app.post('/api/v1/service/records/:id/confirm', {
    schema: { tags, summary: '组织者确认服务时长（可更正，不超过本次上限）', params: RecordIdParam, body: ConfirmBody, response: one },
  }, async (request) => records.confirmRecord(db, authOf(request), request.params.id, request.body, request.meta));

  app.post('/api/v1/service/records/:id/reject', {
    schema: { tags, summary: '组织者驳回服务记录（须写明原因）', params: RecordIdParam, body: RejectBody, response: one },
  }, async (request) => records.rejectRecord(db, authOf(request), request.params.id, request.body.reason, request.meta));

  app.post('/api/v1/service/records/:id/ratings', {
    schema: { tags, summary: '评价一次服务（居民、社区或支部，各评一次）', params: RecordIdParam, body: RateBody, response: { 201: Type.Ref('ServiceRecord'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await records.rateRecord(db, authOf(request), request.params.id, request.body, request.meta)));

  app.get('/api/v1/service/flags', {
    schema: { tags, summary: '谈话提醒：满意率低于 70% 或有负面清单、尚未谈话的党员（单位党组织：本单位党员；工作人员：本范围）',
      response: { 200: Type.Object({ items: Type.Array(Flag) }), ...errorResponses } },
  }, async (request) => records.listFlags(db, authOf(request)));

  app.post('/api/v1/service/flags/:forceId/talks', {
    schema: { tags, summary: '记录谈话（单位书记或社区工作人员）', params: ForceIdParam, body: TalkBody,
      response: { 201: Type.Object({ id: Type.Integer(), forceId: Type.Integer(), talkedOn: Type.String() }), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await records.recordTalk(db, authOf(request), request.params.forceId, request.body, request.meta)));

  app.post('/api/v1/service/members/:forceId/negative-items', {
    config: { permission: 'service:write' },
    schema: { tags, summary: '登记负面清单事项', params: ForceIdParam, body: NegativeItemBody,
      response: { 201: Type.Object({ id: Type.Integer(), forceId: Type.Integer(), flagged: Type.Boolean() }), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await records.addNegativeItem(db, authOf(request), request.params.forceId, request.body, request.meta)));

  app.get('/api/v1/service/honours', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '表彰推荐：年度评价最好的党员（最少评价数、满意率、确认时长）', querystring: HonoursQuery,
      response: { 200: Type.Object({ year: Type.Integer(), items: Type.Array(Honour) }), ...errorResponses } },
  }, async (request) => records.listHonours(db, authOf(request), request.query));

  app.get('/api/v1/service/members/me', {
    schema: { tags, summary: '我的服务概况（党员）：报到社区、时长、服务次数、满意率、岗位、待办', response: { 200: MemberSummary, ...errorResponses } },
  }, async (request) => records.mySummary(db, authOf(request)));

  app.get('/api/v1/service/members/me/certificate', {
    schema: { tags, summary: '我的服务证明（可打印的 HTML 页面）', querystring: CertificateQuery, produces: ['text/html'], response: html },
  }, async (request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', PRINTABLE_PAGE_CSP).send(await records.myCertificate(db, authOf(request), request.query)));

  app.get('/api/v1/service/members/:forceId', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '党员服务概况（工作人员，姓名脱敏）', params: ForceIdParam, response: { 200: MemberSummary, ...errorResponses } },
  }, async (request) => records.memberSummaryFor(db, authOf(request), request.params.forceId));

  app.get('/api/v1/service/members/:forceId/certificate', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '党员服务证明（工作人员，姓名脱敏）', params: ForceIdParam, querystring: CertificateQuery, produces: ['text/html'], response: html },
  }, async (request, reply) => reply.type('text/html; charset=utf-8').header('content-security-policy', PRINTABLE_PAGE_CSP).send(await records.certificateFor(db, authOf(request), request.params.forceId, request.query)));
};
