import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { contentDisposition, FILE_CSP } from '../../platform/http-protections.js';
import { authOf, publicOrigin } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf } from '../../platform/schema.js';
import * as registration from './registration.service.js';
import {
  ApproveBody, CodeParam, CreatePostBody, CreateRegistrationBody, IdParam, OrgParam, PeriodQuery, Placement, Post, PostDetail, PostQuery, QrQuery,
  Rates, RatesQuery, Registration, RegistrationForm, RegistrationQuery, RejectBody, SignupBody, SignupInfo, SignupResult, UnitMembers, UnitOrgList,
  UnitOrgQuery, UnitRates,
} from './registration.schema.js';

const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Double registration (双报到, C4.1), 报回单位, registration and service rates, and posts (岗位式报到, C4.2). */
export const registrationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(Registration);
  app.addSchema(Post);
  const tags = ['registration'];
  const RegistrationRef = Type.Ref('Registration');
  const PostRef = Type.Ref('ServicePost');

  app.get('/api/v1/service/communities/:code/registration-qr', {
    config: { public: true },
    schema: { tags, summary: '社区报到二维码（PNG/SVG，公开：用于张贴海报）；编码 <站点>/m/signup/<code>（码上报到页）', params: CodeParam, querystring: QrQuery,
      security: [], response: { 404: Type.Ref('ErrorResponse') } },
  }, async (request, reply) => {
    const origin = publicOrigin(request, app.linli.config);
    const image = await registration.registrationQr(db, request.params.code, request.query.format === 'svg' ? 'svg' : 'png', origin);
    // the SVG is our own QRCode.toString output (paths only, no script or link); FILE_CSP keeps it inert when opened alone
    return reply.type(image.type).header('cache-control', 'public, max-age=3600')
      .header('x-content-type-options', 'nosniff').header('content-security-policy', FILE_CSP)
      .header('content-disposition', contentDisposition('inline', `register-${request.params.code}.${request.query.format ?? 'png'}`)).send(image.body);
  });

  app.get('/api/v1/service/communities/:code/registration-form', {
    schema: { tags, summary: 'H5 报到表单所需：社区、小区→楼幢→单元、技能字典、岗位类别', params: CodeParam, response: { 200: RegistrationForm, ...errorResponses } },
  }, async (request) => registration.registrationForm(db, authOf(request), request.params.code));

  // 码上报到: public (the QR's page is opened before anyone has an account); see docs/decisions.md
  app.get('/api/v1/service/communities/:code/signup', {
    config: { public: true },
    schema: { tags, summary: '码上报到页所需（公开）：社区名称、所属街道、小区列表', params: CodeParam, security: [],
      response: { 200: SignupInfo, ...errorResponses } },
  }, async (request) => registration.signupInfo(db, request.params.code));

  app.post('/api/v1/service/communities/:code/signup', {
    config: { public: true },
    schema: { tags, summary: '码上报到（公开）：没有账号的在职党员注册并报到 → 账号（手机号）与待审核的报到；身份证号或手机号已登记 409 DUPLICATE；每 IP、每手机号限频 429',
      params: CodeParam, body: SignupBody, security: [], response: { 201: SignupResult, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await registration.signUp(db, app.linli.config, request.auth, request.params.code, request.body, request.meta)));

  app.get('/api/v1/service/unit-orgs', {
    config: { public: true },
    schema: { tags, summary: '单位党组织搜索（名称/拼音；无关键词时为空；公开：码上报到页用它）', querystring: UnitOrgQuery, security: [],
      response: { 200: UnitOrgList, ...errorResponses } },
  }, async (request) => registration.searchUnitOrgs(db, request.query.q, request.query.limit ?? 20));

  app.post('/api/v1/service/registrations', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '在职党员到居住社区报到（扫码报到）→ 待审核', body: CreateRegistrationBody, response: { 201: RegistrationRef, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await registration.createRegistration(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/service/registrations', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '报到审核列表（本人数据范围内）', querystring: RegistrationQuery, response: { 200: ListOf(RegistrationRef), ...errorResponses } },
  }, async (request) => registration.listRegistrations(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/registrations/mine', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '我的报到记录', response: { 200: ListOf(RegistrationRef), ...errorResponses } },
  }, async (request) => registration.myRegistrations(db, authOf(request)));

  app.get('/api/v1/service/registrations/:id', {
    schema: { tags, summary: '报到记录（本人的，或数据范围内的）', params: IdParam, response: { 200: RegistrationRef, ...errorResponses } },
  }, async (request) => registration.getRegistration(db, authOf(request), request.params.id));

  app.get('/api/v1/service/registrations/:id/placement', {
    config: { permission: 'service:write' },
    schema: { tags, summary: '可编入的支部、党小组、微网格（标出默认）', params: IdParam, response: { 200: Placement, ...errorResponses } },
  }, async (request) => registration.placementOptions(db, authOf(request), request.params.id));

  app.post('/api/v1/service/registrations/:id/approve', {
    config: { permission: 'service:write' },
    // every placement field has a default: a POST without a body means "place by the defaults"
    preValidation: async (request) => { if (request.body === undefined || request.body === null) request.body = {}; },
    schema: { tags, summary: '审核通过：编入功能型党支部、党小组、微网格，进入力量名册', params: IdParam, body: ApproveBody,
      response: { 200: RegistrationRef, ...errorResponses } },
  }, async (request) => registration.approveRegistration(db, authOf(request), request.params.id, request.body ?? {}, request.meta));

  app.post('/api/v1/service/registrations/:id/reject', {
    config: { permission: 'service:write' },
    schema: { tags, summary: '审核不通过（须说明理由）', params: IdParam, body: RejectBody, response: { 200: RegistrationRef, ...errorResponses } },
  }, async (request) => registration.rejectRegistration(db, authOf(request), request.params.id, request.body.note, request.meta));

  app.post('/api/v1/service/registrations/:id/withdraw', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '党员撤回本人的报到', params: IdParam, response: { 200: RegistrationRef, ...errorResponses } },
  }, async (request) => registration.withdrawRegistration(db, authOf(request), request.params.id, request.meta));

  app.get('/api/v1/service/units/:orgCode/members', {
    schema: { tags, summary: '报回单位：本单位党员的报到与服务情况（quarter=2026Q4 或 from/to；format=xlsx 季度导出）', params: OrgParam,
      querystring: PeriodQuery, response: { 200: UnitMembers, ...errorResponses } },
  }, async (request, reply) => {
    const auth = authOf(request);
    if (request.query.format === 'xlsx') {
      const { file, name } = await registration.exportUnitMembers(db, auth, request.params.orgCode, request.query, request.meta);
      return reply.type(xlsx).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`).send(file);
    }
    return registration.unitMembers(db, auth, request.params.orgCode, request.query);
  });

  app.get('/api/v1/service/units/:orgCode/rates', {
    schema: { tags, summary: '单位的报到率、服务率（由记录计算）', params: OrgParam, querystring: Type.Object({ from: PeriodQuery.properties.from, to: PeriodQuery.properties.to }),
      response: { 200: UnitRates, ...errorResponses } },
  }, async (request) => registration.unitRates(db, authOf(request), request.params.orgCode, request.query));

  app.get('/api/v1/service/rates', {
    config: { permission: 'service:read' },
    schema: { tags, summary: '各社区报到率、服务率（由记录计算）与合计', querystring: RatesQuery, response: { 200: Rates, ...errorResponses } },
  }, async (request) => registration.communityRates(db, authOf(request), request.query));

  // posts
  app.get('/api/v1/service/posts', {
    schema: { tags, summary: '岗位：工作人员看范围内的岗位；党员看报到社区的开放岗位（含匹配理由）', querystring: PostQuery,
      response: { 200: ListOf(PostRef), ...errorResponses } },
  }, async (request) => registration.listPosts(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['id'])));

  app.get('/api/v1/service/posts/mine', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '我的岗位', response: { 200: ListOf(PostRef), ...errorResponses } },
  }, async (request) => registration.myPosts(db, authOf(request)));

  app.get('/api/v1/service/posts/:id', {
    schema: { tags, summary: '岗位与在岗党员（脱敏）', params: IdParam, response: { 200: PostDetail, ...errorResponses } },
  }, async (request) => registration.getPost(db, authOf(request), request.params.id));

  app.post('/api/v1/service/posts', {
    config: { permission: 'service:write' },
    schema: { tags, summary: '设岗', body: CreatePostBody, response: { 201: PostRef, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await registration.createPost(db, authOf(request), request.body, request.meta)));

  app.post('/api/v1/service/posts/:id/close', {
    config: { permission: 'service:write' },
    schema: { tags, summary: '关闭岗位', params: IdParam, response: { 200: PostRef, ...errorResponses } },
  }, async (request) => registration.closePost(db, authOf(request), request.params.id, request.meta));

  app.post('/api/v1/service/posts/:id/holders', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '党员认领岗位（满员 409 FULL；已在岗 409 ALREADY_DONE）', params: IdParam, response: { 201: PostRef, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await registration.takePost(db, authOf(request), request.params.id, request.meta)));

  app.delete('/api/v1/service/posts/:id/holders/me', {
    config: { permission: 'service:claim' },
    schema: { tags, summary: '党员离开岗位', params: IdParam, response: { 204: Type.Null(), ...errorResponses } },
  }, async (request, reply) => {
    await registration.leavePost(db, authOf(request), request.params.id, request.meta);
    return reply.code(204).send(null);
  });
};
