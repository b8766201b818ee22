import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery } from '../../platform/schema.js';
import * as projects from './projects.service.js';
import {
  ClaimBody, ClaimResult, CodeParam, CommunityLists, CreateNeedBody, CreateProjectBody, IdParam, MoneyResult, Need, NeedQuery, Overview, OverviewQuery,
  PledgeBody, ProjectDetail, ProjectItem, ProjectQuery, ProjectStatusBody, ReachingUnits, SpendingBody, UpdateNeedBody,
} from './projects.schema.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Three lists and co-build projects (三张清单, 共建项目, 公益众筹, C5). Staff work in their territory scope; a unit
 * party organisation (service:unit) sees and claims the projects in its reach — the routes without a fixed
 * permission let the service decide between the two.
 */
export const projectsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(Need);
  app.addSchema(ProjectItem);
  const read = { permission: 'service:read' };
  const write = { permission: 'service:write' };
  const tags = ['projects'];

  // ── Needs (需求清单) ──
  app.get('/api/v1/service/needs', {
    config: read,
    schema: { tags, summary: '需求清单（按社区/上级区域、状态、类别筛选；format=xlsx 导出）', querystring: NeedQuery,
      response: { 200: ListOf(Type.Ref('ServiceNeed')), ...errorResponses } },
  }, async (request, reply) => {
    const auth = authOf(request);
    if (request.query.format === 'xlsx') {
      const file = await projects.exportNeeds(db, auth, request.query);
      return reply.type(XLSX).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('需求清单.xlsx')}`).send(file);
    }
    return projects.listNeeds(db, auth, request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id']));
  });

  app.post('/api/v1/service/needs', {
    config: write,
    schema: { tags, summary: '登记社区需求', body: CreateNeedBody, response: { 201: Type.Ref('ServiceNeed'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await projects.createNeed(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/needs/:id', {
    config: read,
    schema: { tags, summary: '需求详情', params: IdParam, response: { 200: Type.Ref('ServiceNeed'), ...errorResponses } },
  }, async (request) => projects.getNeed(db, authOf(request), request.params.id));

  app.patch('/api/v1/service/needs/:id', {
    config: write,
    schema: { tags, summary: '修改需求或其状态（待认领 → 已立项 → 已满足/已关闭）', params: IdParam, body: UpdateNeedBody,
      response: { 200: Type.Ref('ServiceNeed'), ...errorResponses } },
  }, async (request) => projects.updateNeed(db, authOf(request), request.params.id, request.body, request.meta));

  // ── Projects (项目清单) ──
  app.get('/api/v1/service/projects', {
    schema: { tags, summary: '项目清单（工作人员：范围内全部；单位党组织：可认领的项目）', querystring: ProjectQuery,
      response: { 200: ListOf(Type.Ref('ServiceProjectItem')), ...errorResponses } },
  }, async (request) => projects.listProjects(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/projects/mine', {
    config: { permission: 'service:unit' },
    schema: { tags, summary: '我单位认领的项目', querystring: Type.Object(ListQuery), response: { 200: ListOf(Type.Ref('ServiceProjectItem')), ...errorResponses } },
  }, async (request) => projects.listMyProjects(db, authOf(request), request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.post('/api/v1/service/projects', {
    config: write,
    schema: { tags, summary: '发布共建项目 / 公益众筹项目（公益众筹须填目标金额）', body: CreateProjectBody, response: { 201: ProjectDetail, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await projects.createProject(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/projects/:id', {
    schema: { tags, summary: '项目详情：认领单位、认捐、支出、进度', params: IdParam, response: { 200: ProjectDetail, ...errorResponses } },
  }, async (request) => projects.getProject(db, authOf(request), request.params.id));

  app.post('/api/v1/service/projects/:id/status', {
    config: write,
    schema: { tags, summary: '项目状态流转（已发布 → 已认领 → 实施中 → 已完成 / 已取消）', params: IdParam, body: ProjectStatusBody,
      response: { 200: ProjectDetail, ...errorResponses } },
  }, async (request) => projects.changeProjectStatus(db, authOf(request), request.params.id, request.body, request.meta));

  app.post('/api/v1/service/projects/:id/claims', {
    schema: { tags, summary: '单位认领项目（单位党组织为本单位；工作人员代单位登记须填 orgCode）', params: IdParam, body: ClaimBody,
      response: { 201: ClaimResult, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await projects.claimProject(db, authOf(request), request.params.id, request.body, request.meta)));

  app.post('/api/v1/service/projects/:id/pledges', {
    schema: { tags, summary: '登记认捐（工作人员；或单位党组织为本单位）', params: IdParam, body: PledgeBody, response: { 201: MoneyResult, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await projects.pledge(db, authOf(request), request.params.id, request.body, request.meta)));

  app.post('/api/v1/service/projects/:id/spending', {
    config: write,
    schema: { tags, summary: '登记资金支出（不能超过已认捐金额）', params: IdParam, body: SpendingBody, response: { 201: MoneyResult, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await projects.spend(db, authOf(request), request.params.id, request.body, request.meta)));

  // ── Lists summary and overview ──
  app.get('/api/v1/service/communities/:code/lists', {
    config: read,
    schema: { tags, summary: '社区三张清单：需求清单、资源清单、项目清单（由记录统计）', params: CodeParam, response: { 200: CommunityLists, ...errorResponses } },
  }, async (request) => projects.communityLists(db, authOf(request), request.params.code));

  app.get('/api/v1/service/communities/:code/units', {
    config: read,
    schema: { tags, summary: '可认领本社区项目的单位党组织（服务本社区/街道的联盟成员单位、驻社区单位）', params: CodeParam,
      response: { 200: ReachingUnits, ...errorResponses } },
  }, async (request) => projects.reachingUnits(db, authOf(request), request.params.code));

  app.get('/api/v1/service/overview', {
    config: read,
    schema: { tags, summary: '各社区需求、项目、认捐与支出、参与单位概览', querystring: OverviewQuery, response: { 200: Overview, ...errorResponses } },
  }, async (request) => projects.overview(db, authOf(request), request.query.scopeCode));
};
