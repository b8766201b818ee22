import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import * as forces from './forces.service.js';
import {
  AddMemberBody, AssignContactBody, Availability, AutoAssignBody, AutoAssignResult, Contact, ContactSummary, CreatePersonBody, CreateResourceBody,
  CreateTeamBody, ForcePerson, IdParam, PersonQuery, PostKindList, Resource, ResourceQuery, SkillList, Team, TeamDetail, TeamMemberParam, TeamQuery,
  UpdatePersonBody, UpdateResourceBody, UpdateTeamBody,
} from './forces.schema.js';

/** Forces register (力量图谱, C3.1–C3.2): people, resources, teams, party–mass contact 1:8. Read: service:read; write: forces:write. */
export const forcesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.linli;
  app.addSchema(Availability);
  app.addSchema(ForcePerson);
  const read = { permission: 'service:read' };
  const write = { permission: 'forces:write' };
  const tags = ['forces'];
  const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

  app.get('/api/v1/forces/skills', {
    schema: { tags, summary: '技能字典', response: { 200: SkillList, ...errorResponses } },
  }, async () => forces.listSkills(db));

  app.get('/api/v1/forces/post-kinds', {
    schema: { tags, summary: '岗位类别（八类岗位）', response: { 200: PostKindList, ...errorResponses } },
  }, async () => forces.listPostKinds(db));

  app.get('/api/v1/forces/persons', {
    config: read,
    schema: { tags, summary: '力量名册（按社区/范围、类别、技能、姓名筛选；format=xlsx 导出；均脱敏）', querystring: PersonQuery,
      response: { 200: ListOf(Type.Ref('ForcePerson')), ...errorResponses, 429: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const auth = authOf(request);
    if (request.query.format === 'xlsx') {
      const file = await forces.exportForces(db, auth, request.query, request.meta, config);
      return reply.type(xlsx).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent('力量名册.xlsx')}`).send(file);
    }
    return forces.listForces(db, auth, request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id']), request.meta, config);
  });

  app.get('/api/v1/forces/summary', {
    config: read,
    schema: { tags, summary: '力量名册统计：总数、在岗数、各类别人数（由记录统计）',
      querystring: Type.Object({ communityCode: Type.Optional(Type.String({ pattern: '^[0-9A-Z]{1,40}$' })) }),
      response: { 200: Type.Object({ total: Type.Integer(), active: Type.Integer(), byKind: Type.Record(Type.String(), Type.Integer()) }), ...errorResponses } },
  }, async (request) => forces.forceSummary(db, authOf(request), request.query.communityCode));

  app.get('/api/v1/forces/persons/:id', {
    config: read,
    schema: { tags, summary: '力量人员详情（脱敏）', params: IdParam, response: { 200: Type.Ref('ForcePerson'), ...errorResponses } },
  }, async (request) => forces.getForce(db, authOf(request), request.params.id));

  app.post('/api/v1/forces/persons', {
    config: write,
    schema: { tags, summary: '从档案人员登记力量（志愿者、能工巧匠、专业人士、下沉干部）', body: CreatePersonBody,
      response: { 201: Type.Ref('ForcePerson'), ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await forces.createForce(db, authOf(request), request.body, request.meta)));

  app.patch('/api/v1/forces/persons/:id', {
    config: write,
    schema: { tags, summary: '修改技能、可服务时间、状态', params: IdParam, body: UpdatePersonBody, response: { 200: Type.Ref('ForcePerson'), ...errorResponses } },
  }, async (request) => forces.updateForce(db, authOf(request), request.params.id, request.body, request.meta));

  app.get('/api/v1/forces/persons/:id/contacts', {
    config: read,
    schema: { tags, summary: '党员联系的家庭（1:8，脱敏）', params: IdParam, response: { 200: Type.Object({ items: Type.Array(Contact) }), ...errorResponses } },
  }, async (request) => forces.listContacts(db, authOf(request), request.params.id));

  // resources
  app.get('/api/v1/forces/resources', {
    config: read,
    schema: { tags, summary: '资源（场地、资金、设备、服务）', querystring: ResourceQuery, response: { 200: ListOf(Resource), ...errorResponses } },
  }, async (request) => forces.listResources(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/forces/resources/:id', {
    config: read,
    schema: { tags, summary: '资源详情', params: IdParam, response: { 200: Resource, ...errorResponses } },
  }, async (request) => forces.getResource(db, authOf(request), request.params.id));

  app.post('/api/v1/forces/resources', {
    config: write,
    schema: { tags, summary: '登记资源', body: CreateResourceBody, response: { 201: Resource, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await forces.createResource(db, authOf(request), request.body, request.meta)));

  app.patch('/api/v1/forces/resources/:id', {
    config: write,
    schema: { tags, summary: '修改资源', params: IdParam, body: UpdateResourceBody, response: { 200: Resource, ...errorResponses } },
  }, async (request) => forces.updateResource(db, authOf(request), request.params.id, request.body, request.meta));

  app.delete('/api/v1/forces/resources/:id', {
    config: write,
    schema: { tags, summary: '撤下资源（保留记录）', params: IdParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await forces.withdrawResource(db, authOf(request), request.params.id, request.meta);
    return reply.code(204).send(null);
  });

  // teams
  app.get('/api/v1/forces/teams', {
    config: read,
    schema: { tags, summary: '队伍（志愿服务队、社会治理队伍、兴趣社团）', querystring: TeamQuery, response: { 200: ListOf(Team), ...errorResponses } },
  }, async (request) => forces.listTeams(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/forces/teams/:id', {
    config: read,
    schema: { tags, summary: '队伍与队员', params: IdParam, response: { 200: TeamDetail, ...errorResponses } },
  }, async (request) => forces.getTeam(db, authOf(request), request.params.id));

  app.post('/api/v1/forces/teams', {
    config: write,
    schema: { tags, summary: '新建队伍', body: CreateTeamBody, response: { 201: TeamDetail, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await forces.createTeam(db, authOf(request), request.body, request.meta)));

  app.patch('/api/v1/forces/teams/:id', {
    config: write,
    schema: { tags, summary: '修改队伍', params: IdParam, body: UpdateTeamBody, response: { 200: TeamDetail, ...errorResponses } },
  }, async (request) => forces.updateTeam(db, authOf(request), request.params.id, request.body, request.meta));

  app.delete('/api/v1/forces/teams/:id', {
    config: write,
    schema: { tags, summary: '解散队伍（队伍已认领任务时不可解散）', params: IdParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await forces.deleteTeam(db, authOf(request), request.params.id, request.meta);
    return reply.code(204).send(null);
  });

  app.post('/api/v1/forces/teams/:id/members', {
    config: write,
    schema: { tags, summary: '加入队员或设为队长', params: IdParam, body: AddMemberBody, response: { 200: TeamDetail, ...errorResponses } },
  }, async (request) => forces.addTeamMember(db, authOf(request), request.params.id, request.body, request.meta));

  app.delete('/api/v1/forces/teams/:id/members/:forceId', {
    config: write,
    schema: { tags, summary: '移出队员', params: TeamMemberParam, response: { 200: TeamDetail, ...errorResponses } },
  }, async (request) => forces.removeTeamMember(db, authOf(request), request.params.id, request.params.forceId, request.meta));

  // party–mass contact 1:8
  app.get('/api/v1/forces/contacts/summary', {
    config: read,
    schema: { tags, summary: '社区党群联系 1:8 概况（由记录统计）', querystring: Type.Object({ communityCode: Type.String({ pattern: '^[0-9A-Z]{1,40}$' }) }),
      response: { 200: ContactSummary, ...errorResponses } },
  }, async (request) => forces.contactSummary(db, authOf(request), request.query.communityCode));

  app.post('/api/v1/forces/contacts', {
    config: write,
    schema: { tags, summary: '为党员分配联系户（每人至多 8 户：409 FULL；该户已有联系党员：409 CONFLICT）', body: AssignContactBody,
      response: { 201: Contact, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await forces.assignContact(db, authOf(request), request.body, request.meta)));

  app.post('/api/v1/forces/contacts/:id/end', {
    config: write,
    schema: { tags, summary: '结束联系关系（腾出名额）', params: IdParam, response: { 200: Contact, ...errorResponses } },
  }, async (request) => forces.endContact(db, authOf(request), request.params.id, request.meta));

  app.post('/api/v1/forces/contacts/auto-assign', {
    config: write,
    schema: { tags, summary: '一键分配：社区未联系的家庭按就近分给在职党员（每人至多 8 户，一个事务）', body: AutoAssignBody,
      response: { 200: AutoAssignResult, ...errorResponses } },
  }, async (request) => forces.autoAssignContacts(db, authOf(request), request.body.communityCode, request.meta));
};
