import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { errorResponses } from '../../platform/schema.js';
import * as matching from './matching.service.js';
import { IdParam, Suggestions } from './matching.schema.js';

/** Matching needs to abilities (C4.6): who fits a task, an order, a need — with reasons. */
export const matchingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  const tags = ['matching'];
  const read = { permission: 'service:read' };
  const response = { 200: Suggestions, ...errorResponses };

  app.get('/api/v1/service/tasks/:id/suggestions', {
    config: read, schema: { tags, summary: '为任务推荐党员（前 20 名，含推荐理由；已认领的不再推荐）', params: IdParam, response },
  }, async (request) => matching.suggestForTask(db, authOf(request), request.params.id));

  app.get('/api/v1/service/orders/:id/suggestions', {
    config: read, schema: { tags, summary: '为居民点单推荐接单党员（本社区，按技能、距离、时间、负荷、评价）', params: IdParam, response },
  }, async (request) => matching.suggestForOrder(db, authOf(request), request.params.id));

  app.get('/api/v1/service/needs/:id/suggestions', {
    config: read, schema: { tags, summary: '为需求清单条目推荐党员', params: IdParam, response },
  }, async (request) => matching.suggestForNeed(db, authOf(request), request.params.id));
};
