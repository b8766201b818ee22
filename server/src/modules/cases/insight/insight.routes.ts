import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../../platform/http.js';
import { errorResponses } from '../../../platform/schema.js';
import { Rates, RatesQuery } from '../cases.schema.js';
import { Breakdown, BreakdownQuery, RatesExportQuery, CaseHeat, CaseMap, MapQuery, Trend, TrendQuery } from './insight.schema.js';
import { caseHeat, caseMap } from './map.js';
import { exportRates, getBreakdown, getRates, getTrend } from './rates.js';
import { sendXlsx } from '../../../platform/xlsx.js';

/** The three rates (响应率/解决率/满意率) with breakdown and trend, and the case map; every figure drills down to `GET /api/v1/cases?measure=&met=`. */
export const insightRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  const tags = ['cases'];
  const config = { permission: 'case:read' };

  app.get('/api/v1/cases/rates', {
    config,
    schema: { tags, summary: '三率：响应率、解决率、满意率（区域或职能部门，按上报日期统计）；format=xlsx 导出本级及其分解（下级区域、职能部门）',
      querystring: RatesExportQuery, response: { 200: Rates, ...errorResponses } },
  }, async (request, reply) => {
    if (request.query.format === 'xlsx') return sendXlsx(reply, '三率.xlsx', await exportRates(db, authOf(request), request.query));
    return getRates(db, authOf(request), request.query);
  });

  app.get('/api/v1/cases/rates/breakdown', {
    config,
    schema: { tags, summary: '三率分解：下级区域或被吹哨的职能部门', querystring: BreakdownQuery, response: { 200: Breakdown, ...errorResponses } },
  }, async (request) => getBreakdown(db, authOf(request), request.query));

  app.get('/api/v1/cases/rates/trend', {
    config,
    schema: { tags, summary: '三率趋势：按月、周或日（北京时间）', querystring: TrendQuery, response: { 200: Trend, ...errorResponses } },
  }, async (request) => getTrend(db, authOf(request), request.query));

  app.get('/api/v1/cases/map', {
    config,
    schema: { tags, summary: '案件地图：按缩放级别聚合的案件点（可按类别、状态、超期、期间筛选）', querystring: MapQuery, response: { 200: CaseMap, ...errorResponses } },
  }, async (request) => caseMap(db, authOf(request), request.query));

  app.get('/api/v1/cases/heat', {
    config,
    schema: { tags, summary: '案件热力图：按小网格聚合的案件数', querystring: MapQuery, response: { 200: CaseHeat, ...errorResponses } },
  }, async (request) => caseHeat(db, authOf(request), request.query));
};
