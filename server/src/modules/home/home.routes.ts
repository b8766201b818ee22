import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { authOf } from '../../platform/http.js';
import { errorResponses } from '../../platform/schema.js';
import { Home } from './home.schema.js';
import { homeOf } from './home.service.js';

/** 工作台: what waits for the caller, each count a link to the list it counts. */
export const homeRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.linli;
  app.get('/api/v1/home', {
    schema: { tags: ['home'], summary: '我的工作台：待办事项（由记录统计，每项链接到筛选好的清单）', response: { 200: Home, ...errorResponses } },
  }, async (request) => homeOf(db, authOf(request)));
};
