import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { decodeCursor, errorResponses, ListOf, ListQuery, Nullable } from '../../platform/schema.js';
import * as cases from './cases.service.js';
import { sendXlsx } from '../../platform/xlsx.js';
import * as settings from './cases.settings.js';
import { allTransitions } from './cases.repository.js';
import { FeatureCollection } from '../territory/territory.schema.js';
import { ActionBody, CaseDetail, CaseIdParam, CaseItem, CaseListQuery, CreateCaseBody, CreatedCase, PropertyCaseQuery, PropertySummary } from './cases.schema.js';

const Deadlines = Type.Object({ accept: Type.Integer(), handle: Type.Integer(), verify: Type.Integer(), reportIn: Type.Integer(), respond: Type.Integer() },
  { description: '各环节期限（工作日）' });
const CategoryOut = Type.Object({
  code: Type.String(), name: Type.String(), kind: Type.String(), defaultTier: Type.String(), departmentKind: Nullable(Type.String()), deadlines: Deadlines,
  cameraEvents: Type.Array(Type.String()), keywords: Type.Array(Type.String()), open311: Type.Boolean(),
  attributes: Type.Array(Type.Object({ code: Type.String(), datatype: Type.String(), required: Type.Boolean(), description: Type.String(),
    values: Type.Array(Type.Object({ key: Type.String(), name: Type.String() })) })),
});
const Policy = Type.Object({
  yellowAfterDays: Type.Integer({ minimum: 0, maximum: 30, description: '超期多少个工作日亮黄牌（0：一超期即亮）' }),
  redAfterDays: Type.Integer({ minimum: 1, maximum: 60, description: '超期多少个工作日亮红牌并上报上级' }),
  ratingWindowDays: Type.Integer({ minimum: 1, maximum: 30, description: '核查通过后等待评价的天数' }),
  unratedPolicy: Type.Union([Type.Literal('close_unrated'), Type.Literal('close_satisfied')], { description: '评价期满未评价：结案不计满意率 / 视为满意' }),
  duplicateRadiusM: Type.Integer({ minimum: 5, maximum: 1000, description: '疑似重复：距离（米）' }),
  duplicateWindowHours: Type.Integer({ minimum: 1, maximum: 720, description: '疑似重复：时间窗（小时）' }),
}, { additionalProperties: false });
const DayOut = Type.Object({ day: Type.String(), workday: Type.Boolean(), name: Type.String(), source: Type.String() });
const DayParam = Type.Object({ day: Type.String({ format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }) });

/** Cases (一网统管, 吹哨报到): intake from the app, the desks, the timeline and the actions; categories, calendar, policy. */
export const casesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.addSchema(CaseItem);
  const tags = ['cases'];

  app.get('/api/v1/cases/categories', {
    schema: { tags, summary: '案件类别（大类/小类，事件/部件）与各环节期限（工作日）', response: { 200: Type.Object({
      items: Type.Array(Type.Object({ ...CategoryOut.properties, children: Type.Array(CategoryOut) })) }), ...errorResponses } },
  }, async () => settings.categoryTree(db));

  app.get('/api/v1/cases/states', {
    schema: { tags, summary: '案件状态与流转表（数据）：谁在什么状态下可以做什么', response: { 200: Type.Object({
      states: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), terminal: Type.Boolean(), open311: Type.String() })),
      transitions: Type.Array(Type.Object({ from_state: Type.String(), action: Type.String(), to_state: Type.String(), actor: Type.String(), name: Type.String() })),
    }), ...errorResponses } },
  }, async () => {
    const { states, transitions } = await allTransitions(db);
    return { states: states.map((s) => ({ code: s.code, name: s.name, terminal: s.terminal, open311: s.open311 })), transitions };
  });

  app.get('/api/v1/cases/departments', {
    config: { permission: 'case:read' },
    schema: { tags, summary: '职能部门（吹哨、交办、抄告的对象）', response: { 200: Type.Object({ items: Type.Array(Type.Object({
      code: Type.String(), name: Type.String(), shortName: Type.String(), kind: Type.String(), territoryCode: Type.String(), duty: Type.String() })) }), ...errorResponses } },
  }, async (request) => settings.departments(db, authOf(request)));

  app.get('/api/v1/cases/policy', {
    config: { permission: 'case:read' },
    schema: { tags, summary: '督办与评价政策', response: { 200: Type.Object({ ...Policy.properties, updatedAt: Type.String({ format: 'date-time' }) }), ...errorResponses } },
  }, async () => settings.getPolicy(db));

  app.put('/api/v1/cases/policy', {
    config: { permission: 'case:admin' },
    schema: { tags, summary: '修改督办与评价政策（审计）', body: Policy, response: { 200: Type.Object({ ...Policy.properties, updatedAt: Type.String({ format: 'date-time' }) }), ...errorResponses } },
  }, async (request) => settings.putPolicy(db, authOf(request), request.body, request.meta));

  // the work calendar is public knowledge (holidays, 调休): every desk and handler reads its deadlines by it — a
  // property company without case:read too
  app.get('/api/v1/cases/calendar', {
    schema: { tags, summary: '工作日历：法定节假日、调休上班日与本平台的调整', querystring: Type.Object({ year: Type.Integer({ minimum: 2020, maximum: 2100 }) }),
      response: { 200: Type.Object({ year: Type.Integer(), days: Type.Array(DayOut), overrides: Type.Array(Type.Object({ day: Type.String(), workday: Type.Boolean(), name: Type.String() })),
        workdays: Type.Array(Type.Integer(), { description: '每月工作日数' }) }), ...errorResponses } },
  }, async (request) => settings.calendarYear(db, request.query.year));

  app.put('/api/v1/cases/calendar/:day', {
    config: { permission: 'case:admin' },
    schema: { tags, summary: '调整某一天为工作日或休息日（审计）', params: DayParam,
      body: Type.Object({ workday: Type.Boolean(), name: Type.Optional(Type.String({ maxLength: 40 })) }, { additionalProperties: false }),
      response: { 200: DayOut, ...errorResponses } },
  }, async (request) => settings.putCalendarDay(db, authOf(request), request.params.day, request.body, request.meta));

  app.delete('/api/v1/cases/calendar/:day', {
    config: { permission: 'case:admin' },
    schema: { tags, summary: '撤销某一天的调整，恢复国家日历', params: DayParam, response: { 200: DayOut, ...errorResponses } },
  }, async (request) => settings.deleteCalendarDay(db, authOf(request), request.params.day, request.meta));

  app.post('/api/v1/cases', {
    config: { permission: 'case:report' },
    schema: { tags, summary: '上报案件（随手拍、巡查、心愿、窗口登记）：按位置路由到微网格，按工作日计算受理期限', body: CreateCaseBody,
      response: { 201: CreatedCase, ...errorResponses } },
  }, async (request, reply) => reply.code(201).send(await cases.createCase(db, authOf(request), request.body, request.meta)));

  app.get('/api/v1/cases', {
    config: { permission: 'case:read' },
    schema: { tags, summary: '案件台：本范围（或本部门）的案件，按队列、状态、类别、渠道、超期、期间、三率口径筛选；format=xlsx 按同样条件导出（上报人脱敏）',
      querystring: CaseListQuery, response: { 200: ListOf(Type.Ref('Case')), ...errorResponses } },
  }, async (request, reply) => {
    if (request.query.format === 'xlsx') return sendXlsx(reply, '案件清单.xlsx', await cases.exportCases(db, authOf(request), request.query, request.meta));
    return cases.listCases(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['timestamp', 'id']));
  });

  app.get('/api/v1/cases/counts', {
    config: { permission: 'case:read' },
    schema: { tags, summary: '案件台各队列数量（由案件记录统计）', response: { 200: Type.Object({
      mine: Type.Integer(), reported: Type.Integer(), open: Type.Integer(), overdue: Type.Integer(), yellow: Type.Integer(), red: Type.Integer(),
      rating: Type.Integer(), total: Type.Integer() }), ...errorResponses } },
  }, async (request) => cases.countCases(db, authOf(request)));

  app.get('/api/v1/cases/mine', {
    config: { permission: 'case:report' },
    schema: { tags, summary: '我上报的案件', querystring: Type.Object(ListQuery), response: { 200: ListOf(Type.Ref('Case')), ...errorResponses } },
  }, async (request) => cases.listMine(db, authOf(request), request.query.limit ?? 20, decodeCursor(request.query.cursor, ['timestamp', 'id'])));

  app.get('/api/v1/cases/home-area', {
    config: { permission: 'case:report' },
    schema: { tags, summary: '本人现住社区的边界与网格（手机无法定位时，随手拍的地图从这里开始）', response: { 200: FeatureCollection, ...errorResponses } },
  }, async (request) => cases.homeArea(db, authOf(request)));

  app.get('/api/v1/cases/property', {
    config: { permission: 'case:property' },
    schema: { tags, summary: '物业案件：所服务小区交给本物业承办的案件（按状态，或某项比率的分子/分母）', querystring: PropertyCaseQuery,
      response: { 200: ListOf(Type.Ref('Case')), ...errorResponses } },
  }, async (request) => cases.listPropertyCases(db, authOf(request), request.query, request.query.limit ?? 20, decodeCursor(request.query.cursor, ['timestamp', 'id'])));

  app.get('/api/v1/cases/property/summary', {
    config: { permission: 'case:property' },
    schema: { tags, summary: '物业案件概况：所服务的小区、各状态件数、响应率/解决率/满意率（居民评价）', response: { 200: PropertySummary, ...errorResponses } },
  }, async (request) => cases.propertySummary(db, authOf(request)));

  app.get('/api/v1/cases/:id/property-targets', {
    config: { permission: 'case:desk' },
    schema: { tags, summary: '可交办的小区物业：本案所在社区中物业已入驻平台的小区', params: CaseIdParam, response: { 200: Type.Object({
      items: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), company: Nullable(Type.String()) })) }), ...errorResponses } },
  }, async (request) => cases.propertyTargets(db, authOf(request), request.params.id));

  app.get('/api/v1/cases/:id', {
    schema: { tags, summary: '案件详情：全过程时间线、吹哨、会商、延期、督办牌与本人可执行的操作', params: CaseIdParam, response: { 200: CaseDetail, ...errorResponses } },
  }, async (request) => cases.getCase(db, authOf(request), request.params.id));

  app.post('/api/v1/cases/:id/actions', {
    schema: { tags, summary: '案件流转（按流转表与本人身份校验；不允许时 409 INVALID_TRANSITION）', params: CaseIdParam, body: ActionBody,
      response: { 200: CaseDetail, ...errorResponses } },
  }, async (request) => cases.actOnCase(db, authOf(request), request.params.id, request.body, request.meta));

  app.post('/api/v1/cases/:id/follow', {
    config: { permission: 'case:report' },
    schema: { tags, summary: '我也遇到 / 我也想要（+1）', params: CaseIdParam, response: { 200: Type.Object({ followers: Type.Integer() }), ...errorResponses } },
  }, async (request) => cases.followCase(db, authOf(request), request.params.id));
};
